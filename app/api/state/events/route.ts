import { authenticateRequest, requestSessionId } from '@/lib/auth/request';
import { readSession } from '@/lib/auth/session';
import { answered, problem } from '@/lib/http';
import { onStateChange } from '@/lib/views';
import { eventStream } from '@/lib/server/event-stream';
import { db } from '@/lib/store/db';
import { processSingleton } from '@/lib/process-wide';

export const dynamic = 'force-dynamic';

/** Open streams per session: a few tabs, not a way to hold the server's sockets. */
const STREAMS_PER_SESSION = 4;
const SESSION_CHECK_MS = 5_000;
const streams = processSingleton('eventStreams', () => new Map<string, number>())();

/**
 * Server-sent events: a `change` whenever the shared cache or Multipass changed (at most one per
 * 200 ms), so open pages refetch at once instead of polling.
 */
export const GET = answered(async (req: Request) => {
  const auth = authenticateRequest(req);
  if (!auth.ok) return auth.response;
  const { key } = auth.session;
  if ((streams.get(key) ?? 0) >= STREAMS_PER_SESSION)
    return problem(429, `At most ${STREAMS_PER_SESSION} live-update connections per session: close a tab.`);
  streams.set(key, (streams.get(key) ?? 0) + 1);
  const cookie = requestSessionId(req);
  return eventStream(
    req,
    (stream) => {
      let pending: NodeJS.Timeout | null = null;
      const off = onStateChange(() => {
        pending ??= setTimeout(() => {
          pending = null;
          stream.send('change', String(Date.now()));
        }, 200);
      });
      // A stream lives no longer than its session: logout, expiry or a password reset end it.
      const sessionCheck = setInterval(() => {
        if (readSession(db(), cookie)) return;
        stream.send('ended');
        stream.close();
      }, SESSION_CHECK_MS);
      return () => {
        streams.set(key, (streams.get(key) ?? 1) - 1);
        if (streams.get(key)! <= 0) streams.delete(key);
        off();
        clearInterval(sessionCheck);
        if (pending) clearTimeout(pending);
      };
    },
    'retry: 2000\n',
  );
});

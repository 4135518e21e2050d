import 'server-only';
import { env } from '@/lib/env';
import { ACTOR_HEADER } from '@/lib/host/auth';
import { hostChanged } from '@/lib/host/events';
import { hostFetch } from './transport';

const RETRY_MS = { first: 500, max: 10_000 };

/**
 * In role ui: follows the host role's change stream (/api/host/events) and raises each change
 * here, so the ui's open pages update as they do in role all. Reconnects with backoff while the
 * host role is away, and raises one change when it is back (whatever happened meanwhile).
 */
export function followHostChanges(): () => void {
  const { hostToken } = env();
  let stopped = false;
  let current: AbortController | null = null;
  let delay = RETRY_MS.first;
  const loop = async () => {
    while (!stopped) {
      current = new AbortController();
      try {
        const res = await hostFetch('/api/host/events', {
          headers: { authorization: `Bearer ${hostToken}`, [ACTOR_HEADER]: 'ui' },
          signal: current.signal,
        });
        if (!res.ok || !res.body) throw new Error(`the host role answered ${res.status}`);
        delay = RETRY_MS.first;
        const decoder = new TextDecoder();
        let buffer = '';
        const reader = res.body.getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          buffer += decoder.decode(read.value, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (/^event: (change|ready)$/m.test(event)) hostChanged();
          }
        }
      } catch {
        // Away (restarting, not started yet): try again shortly; the pages poll meanwhile.
      }
      if (stopped) break;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, RETRY_MS.max);
    }
  };
  void loop();
  return () => {
    stopped = true;
    current?.abort();
  };
}

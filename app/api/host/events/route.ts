import { onHostChange } from '@/lib/host/events';
import { hostRoute } from '@/lib/host/route';
import { multipassWatcher } from '@/lib/multipass/watcher';
import { eventStream } from '@/lib/server/event-stream';

export const dynamic = 'force-dynamic';

/**
 * The host role's changes as server-sent events — a `change` whenever forwards or their status
 * changed (a change made here, the reconciler's repair, a re-point) or Multipass's instances did
 * (telemetry at its slower pace) — for the ui role, which passes them on to its open pages
 * (lib/host-api/follow.ts) and never talks to Multipass itself.
 */
export const GET = hostRoute(async ({ req }) =>
  eventStream(req, (s) => {
    const send = () => s.send('change', String(Date.now()));
    const mp = multipassWatcher();
    const offs = [onHostChange(send), mp.onChange(send), mp.onTelemetry(send)];
    return () => offs.forEach((off) => off());
  }),
);

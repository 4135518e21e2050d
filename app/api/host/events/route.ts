import { onHostChange } from '@/lib/host/events';
import { hostRoute } from '@/lib/host/route';
import { eventStream } from '@/lib/server/event-stream';

export const dynamic = 'force-dynamic';

/**
 * The host role's changes as server-sent events — a `change` whenever forwards or their status
 * changed (a change made here, the reconciler's repair, a re-point) — for the ui role, which
 * passes them on to its open pages (lib/host/follow.ts).
 */
export const GET = hostRoute(async ({ req }) => eventStream(req, (s) => onHostChange(() => s.send('change', String(Date.now())))));

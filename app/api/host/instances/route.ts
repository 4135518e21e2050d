import { hostRoute } from '@/lib/host/route';
import { multipassWatcher } from '@/lib/multipass/watcher';

export const dynamic = 'force-dynamic';

/** Multipass's instances as the host role's watcher last saw them: the one process that talks to the daemon. */
export const GET = hostRoute(async () => {
  const watcher = multipassWatcher();
  await watcher.ready();
  return Response.json(watcher.snapshot());
});

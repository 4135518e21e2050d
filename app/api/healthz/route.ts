import { env } from '@/lib/env';
import { answered } from '@/lib/http';
import { storeHealth } from '@/lib/store/failure';
import { firstSyncDone } from '@/lib/host/first-sync';
import { VERSION } from '@/lib/version';

export const dynamic = 'force-dynamic';

/**
 * Liveness and readiness for monitors and installers: no auth, and nothing beyond version, uptime
 * and the store's state. 503 "starting" until a host role's first sync has put every stored
 * forward in the kernel; "degraded", with the reason, while the store cannot take changes.
 */
export const GET = answered(async () => {
  const ready = firstSyncDone();
  const store = storeHealth(env().dataDir);
  return Response.json(
    {
      status: store ? 'degraded' : ready ? 'ok' : 'starting',
      version: VERSION,
      uptimeSeconds: Math.round(process.uptime()),
      store: store ? { state: store.state, reason: store.message } : { state: 'ok' },
    },
    { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
});

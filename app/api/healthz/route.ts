import { firstSyncDone } from '@/lib/server/start';
import { VERSION } from '@/lib/version';

export const dynamic = 'force-dynamic';

/**
 * Liveness and readiness for monitors and installers: no auth, and nothing beyond version and
 * uptime. 503 "starting" until a host role's first sync has put every stored forward in the kernel.
 */
export function GET() {
  const ready = firstSyncDone();
  return Response.json(
    { status: ready ? 'ok' : 'starting', version: VERSION, uptimeSeconds: Math.round(process.uptime()) },
    { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}

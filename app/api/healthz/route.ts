import { VERSION } from '@/lib/version';

export const dynamic = 'force-dynamic';

/** Liveness for monitors and installers: no auth, and nothing beyond version and uptime. */
export function GET() {
  return Response.json(
    { status: 'ok', version: VERSION, uptimeSeconds: Math.round(process.uptime()) },
    { headers: { 'cache-control': 'no-store' } },
  );
}

import { env } from '@/lib/env';
import { answered, problem } from '@/lib/http';
import { refuseMetrics } from '@/lib/server/metrics-auth';
import { hostFetch } from '@/lib/host-api/transport';

export const dynamic = 'force-dynamic';

/**
 * The host role's metrics, relayed by the ui role: the host role listens on loopback only, so
 * a Prometheus in the cluster scrapes both roles through the dashboard's port.
 */
export const GET = answered(async (req: Request): Promise<Response> => {
  const refused = refuseMetrics(req);
  if (refused) return refused;
  const { role, hostUrl, metricsToken } = env();
  if (role !== 'ui') return problem(404, 'This process is the host role itself: its metrics are at /metrics.');
  try {
    const res = await hostFetch('/metrics', {
      headers: { authorization: `Bearer ${metricsToken}` },
      signal: AbortSignal.timeout(5_000),
    });
    return new Response(await res.text(), {
      status: res.status,
      headers: { 'content-type': res.headers.get('content-type') ?? 'text/plain', 'cache-control': 'no-store' },
    });
  } catch (e) {
    return problem(502, `The host role cannot be reached at ${hostUrl}: ${e instanceof Error ? e.message : String(e)}`);
  }
});

import { answered } from '@/lib/http';
import { metrics } from '@/lib/observe/metrics';
import { refuseMetrics } from '@/lib/server/metrics-auth';

export const dynamic = 'force-dynamic';

/** Prometheus scrapes here with its own token (LABGATE_METRICS_TOKEN), never the host token. */
export const GET = answered(async (req: Request): Promise<Response> => {
  const refused = refuseMetrics(req);
  if (refused) return refused;
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
});

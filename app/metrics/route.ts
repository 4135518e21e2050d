import { env } from '@/lib/env';
import { bearerMatches } from '@/lib/host/auth';
import { problem } from '@/lib/http';
import { metrics } from '@/lib/server/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus scrapes here with its own token (LABGATE_METRICS_TOKEN), never the host token. */
export async function GET(req: Request): Promise<Response> {
  const token = env().metricsToken;
  if (!token) return problem(404, 'Metrics are off: set LABGATE_METRICS_TOKEN to turn them on.');
  if (!bearerMatches(req.headers.get('authorization'), token)) return problem(401, 'The metrics token is missing or wrong.');
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}

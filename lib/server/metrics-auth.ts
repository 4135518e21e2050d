import 'server-only';
import { env } from '@/lib/env';
import { bearerMatches } from '@/lib/auth/bearer';
import { problem } from '@/lib/http';

/**
 * The /metrics routes' gate: null when the request carries the metrics token, else the answer
 * that refuses it. Kept apart from the registry, which host code and the command line import
 * without any request machinery.
 */
export function refuseMetrics(req: Request): Response | null {
  const token = env().metricsToken;
  if (!token) return problem(404, 'Metrics are off: set LABGATE_METRICS_TOKEN to turn them on.');
  return bearerMatches(req.headers.get('authorization'), token) ? null : problem(401, 'The metrics token is missing or wrong.');
}

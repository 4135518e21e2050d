import 'server-only';
import { env } from '@/lib/env';
import { answered, problem } from '@/lib/http';
import { readBody } from '@/lib/request-body';
import type { Outcome } from '@/lib/result';
import { requireHostAuth } from './auth';
import { type HostService } from './service';
import { hostService } from './wiring';

/** A host API handler: authenticate (session or token), then hand the host service to the work. */
export function hostRoute<C = unknown>(
  work: (ctx: { host: HostService; actor: string; req: Request; params: C; body: () => Promise<Outcome<unknown>> }) => Promise<Response>,
) {
  return answered(async (req: Request, route?: { params: Promise<C> }): Promise<Response> => {
    // A ui-role process has no iptables: the host API lives in the host role (LABGATE_HOST_URL).
    if (env().role === 'ui') return problem(404, 'The host API is served by the host role, not by this ui-role process.');
    const auth = requireHostAuth(req);
    if (!auth.ok) return auth.response;
    const params = (route ? await route.params : undefined) as C;
    return work({ host: await hostService(), actor: auth.actor, req, params, body: () => readBody(req) });
  });
}

export { outcomeResponse } from '@/lib/http';

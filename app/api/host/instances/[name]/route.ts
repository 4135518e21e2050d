import { hostRoute, outcomeResponse } from '@/lib/host/route';
import { instanceControl } from '@/lib/host/instances';

export const dynamic = 'force-dynamic';

type Params = { name: string };

/** One change to an instance's life (InstanceChange); the instance is the one the path names. */
export const POST = hostRoute<Params>(async ({ host, actor, params, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  const control = instanceControl((entry) => host.recordAudit(entry));
  return outcomeResponse(await control.change({ ...(input.data as object), instance: params.name }, actor));
});

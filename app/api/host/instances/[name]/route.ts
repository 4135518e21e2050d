import { hostRoute, outcomeResponse } from '@/lib/host/route';
import { instanceControl } from '@/lib/host/instances';

export const dynamic = 'force-dynamic';

type Params = { name: string };

/** One change to an instance's life (InstanceChange); the instance is the one the path names. */
export const POST = hostRoute<Params>(async ({ actor, params, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  return outcomeResponse(await instanceControl().change({ ...(input.data as object), instance: params.name }, actor));
});

import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

type Params = { id: string };

export const GET = hostRoute<Params>(async ({ host, params }) => outcomeResponse(host.get(params.id)));

export const PATCH = hostRoute<Params>(async ({ host, actor, params, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  return outcomeResponse(await host.update({ ...(input.data as object), id: params.id }, actor));
});

export const DELETE = hostRoute<Params>(async ({ host, actor, params }) => outcomeResponse(await host.remove(params.id, actor)));

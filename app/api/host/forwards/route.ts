import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

export const GET = hostRoute(async ({ host }) => outcomeResponse({ ok: true, data: host.list() }));

export const POST = hostRoute(async ({ host, actor, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  return outcomeResponse(await host.create(input.data, actor), 201);
});

import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

/** Adopt a hand-made forward: `{ ruleKey, confirm: true }`. */
export const POST = hostRoute(async ({ host, actor, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  return outcomeResponse(await host.adopt(input.data, actor), 201);
});

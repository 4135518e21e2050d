import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

export const GET = hostRoute(async ({ host }) => {
  const rules = await host.exportRules();
  return rules.ok
    ? new Response(rules.data, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } })
    : outcomeResponse(rules);
});

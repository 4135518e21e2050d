import { hostRoute } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

export const GET = hostRoute(
  async ({ host }) =>
    new Response(await host.exportRules(), { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } }),
);

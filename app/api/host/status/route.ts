import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

/** The last known status; `?fresh=1` reads the kernel now. */
export const GET = hostRoute(async ({ host, req }) =>
  outcomeResponse(new URL(req.url).searchParams.get('fresh') === '1' ? await host.status() : await host.lastStatus()),
);

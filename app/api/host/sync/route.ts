import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

export const POST = hostRoute(async ({ host }) => outcomeResponse(await host.sync()));

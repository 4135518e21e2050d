import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

export const GET = hostRoute(async ({ host }) => outcomeResponse(await host.status()));

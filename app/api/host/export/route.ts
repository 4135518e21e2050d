import { hostRoute } from '@/lib/host/route';
import { textResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = hostRoute(async ({ host }) => textResponse(await host.exportRules()));

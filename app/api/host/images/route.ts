import { hostRoute, outcomeResponse } from '@/lib/host/route';
import { instanceControl } from '@/lib/host/instances';

export const dynamic = 'force-dynamic';

/** The images the daemon can launch (`multipass find`). */
export const GET = hostRoute(async () => outcomeResponse(await instanceControl().images()));

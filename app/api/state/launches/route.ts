import { sessionGet } from '@/lib/auth/route';
import { hostClient } from '@/lib/host-api/client';
import { outcomeResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** Launches as the host role follows them; the Instances page polls this while one runs. */
export const GET = sessionGet(async () => outcomeResponse(await hostClient().launches()));

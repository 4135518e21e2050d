import { sessionGet } from '@/lib/auth/route';
import { hostClient } from '@/lib/host-api/client';
import { outcomeResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** The images Multipass can launch, for the launch form. */
export const GET = sessionGet(async () => outcomeResponse(await hostClient().images()));

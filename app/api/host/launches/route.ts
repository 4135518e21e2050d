import { hostRoute, outcomeResponse } from '@/lib/host/route';
import { instanceControl } from '@/lib/host/instances';

export const dynamic = 'force-dynamic';

/** Launches under way and just finished, for the pages to follow. */
export const GET = hostRoute(async () => Response.json(instanceControl().launches()));

/** A launch (LaunchInstance): 202 once the daemon has taken it; its refusals on their fields. */
export const POST = hostRoute(async ({ actor, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  return outcomeResponse(await instanceControl().launch(input.data, actor), 202);
});

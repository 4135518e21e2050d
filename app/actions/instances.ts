'use server';

import { revalidatePath } from 'next/cache';
import { hostClient } from '@/lib/host/client';
import type { InstanceChanged } from '@/lib/host/instances';
import type { ActionResult } from '@/lib/result';
import { InstanceChange } from '@/lib/schemas/instances';
import { asAction, invalidInput, withSession } from '@/lib/server/action';

/** Start, stop, suspend, restart or delete an instance: checked here, then again by the host role, which asks the daemon. */
export const changeInstance = withSession(async (input: unknown): Promise<ActionResult<InstanceChanged>> => {
  const parsed = InstanceChange.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const res = await hostClient().changeInstance(parsed.data);
  if (res.ok) revalidatePath('/instances');
  return asAction(res);
});

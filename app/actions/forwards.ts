'use server';

import { revalidatePath } from 'next/cache';
import { currentSession } from '@/lib/auth/request';
import { hostClient } from '@/lib/host/client';
import type { ForwardView } from '@/lib/host/forwards';
import type { ActionResult } from '@/lib/result';
import { readForwardForm } from '@/lib/schemas/forward-form';

const noSession: ActionResult<never> = { ok: false, error: 'Your session has ended: log in again.' };

export async function createForward(_prev: ActionResult<ForwardView> | null, form: FormData): Promise<ActionResult<ForwardView>> {
  if (!(await currentSession())) return noSession;
  const res = await hostClient().createForward(readForwardForm(form));
  if (!res.ok) return { ok: false, error: res.error, fieldErrors: res.fieldErrors };
  revalidatePath('/forwards');
  return { ok: true, data: res.data };
}

export async function deleteForward(id: string): Promise<ActionResult<{ id: string }>> {
  if (!(await currentSession())) return noSession;
  const res = await hostClient().deleteForward(id);
  if (!res.ok) return { ok: false, error: res.error };
  revalidatePath('/forwards');
  return { ok: true, data: res.data };
}

/** `widen`: the person saw what the hand-made rules restrict and confirmed that labgate's forward takes more. */
export async function adoptForward(ruleKey: string, widen: boolean): Promise<ActionResult<ForwardView>> {
  if (!(await currentSession())) return noSession;
  const res = await hostClient().adopt({ ruleKey, confirm: true, ...(widen ? { widen: true } : {}) });
  if (!res.ok) return { ok: false, error: res.error };
  revalidatePath('/forwards');
  return { ok: true, data: res.data };
}

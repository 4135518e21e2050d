'use client';

import { useActionState, useState } from 'react';
import type { ActionResult } from '@/lib/result';
import { useOutcome } from './useOutcome';

/**
 * Every form's one hook: runs its server action, refreshes the live views when it succeeds, says
 * how it went in a toast, and hands back what was typed (React resets a form after its action)
 * so the person's input survives an error. `done`: the toast on success; `onDone`: what the
 * form does next (close itself).
 */
export function useLiveAction<T>(
  action: (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>,
  done: string | ((data: T) => string) = 'Done.',
  onDone?: (data: T) => void,
) {
  const told = useOutcome(done);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [state, submit, pending] = useActionState(async (prev: ActionResult<T> | null, form: FormData) => {
    setTyped(Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])));
    const res = await action(prev, form);
    await told(res, res.ok ? '' : res.error); // a form shows each field's message beside it
    if (res.ok) onDone?.(res.data);
    return res;
  }, null);
  const errors = (field: string) => (state?.ok === false ? state.fieldErrors?.[field] : undefined);
  return { state, submit, pending, typed, errors };
}

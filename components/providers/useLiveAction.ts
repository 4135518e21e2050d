'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useActionState, useState } from 'react';
import { useToast } from '@/components/ui/Toaster';
import { queryKeys } from '@/lib/query-keys';
import type { ActionResult } from '@/lib/result';

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
  const client = useQueryClient();
  const toast = useToast();
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [state, submit, pending] = useActionState(async (prev: ActionResult<T> | null, form: FormData) => {
    setTyped(Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])));
    const res = await action(prev, form);
    if (res.ok) await client.invalidateQueries({ queryKey: queryKeys.state });
    toast(res.ok ? 'ok' : 'error', res.ok ? (typeof done === 'function' ? done(res.data) : done) : res.error);
    if (res.ok) onDone?.(res.data);
    return res;
  }, null);
  const errors = (field: string) => (state?.ok === false ? state.fieldErrors?.[field] : undefined);
  return { state, submit, pending, typed, errors };
}

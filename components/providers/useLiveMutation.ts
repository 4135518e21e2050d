'use client';

import { useMutation } from '@tanstack/react-query';
import { useToast } from '@/components/ui/Toaster';
import type { ActionResult } from '@/lib/result';
import { useOutcome } from './useOutcome';

/** An action's failure in one line: its field messages when it has them (they say what to fix), else its message. */
export const failureOf = (res: ActionResult<unknown>): string | null =>
  res.ok ? null : (res.fieldErrors && Object.values(res.fieldErrors).flat().join(' ')) || res.error;

/**
 * Every button that changes something, its one hook (as useLiveAction is every form's): runs the
 * server action, refreshes the live views when it succeeds, says how it went in a toast, and
 * keeps the failure to show where the person is looking. `done`: the toast on success.
 */
export function useLiveMutation<A, T>(action: (arg: A) => Promise<ActionResult<T>>, done: string | ((data: T) => string) = 'Done.') {
  const told = useOutcome(done);
  const toast = useToast();
  const mutation = useMutation({
    mutationFn: action,
    onSuccess: (res) => told(res, failureOf(res) ?? ''),
    onError: (e) => toast('error', e.message),
  });
  const error = mutation.data ? failureOf(mutation.data) : mutation.error ? mutation.error.message : null;
  /** Runs the action; resolves with its result, or with a failure when the server could not be reached. */
  const run = (arg: A): Promise<ActionResult<T>> =>
    mutation.mutateAsync(arg).catch((e: unknown) => ({ ok: false, error: e instanceof Error ? e.message : String(e) }));
  return { run, pending: mutation.isPending, error, reset: mutation.reset };
}

import type { ActionResult } from '@/lib/result';

/** The result of a form's action, announced: the error, or a short confirmation. */
export function FormStatus({ state, done }: { state: ActionResult<unknown> | null; done: string }) {
  return (
    <div role="status" aria-live="polite" className="text-sm">
      {state?.ok === false ? <p className="text-red-600 dark:text-red-400">{state.error}</p> : null}
      {state?.ok ? <p className="text-emerald-700 dark:text-emerald-400">{done}</p> : null}
    </div>
  );
}

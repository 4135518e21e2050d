import 'server-only';
import type { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { currentSession } from '@/lib/auth/request';
import { env } from '@/lib/env';
import { crossOriginReason } from '@/lib/http';
import { noteStoreFailure, storeFailure } from '@/lib/store/failure';
import type { ActionResult, Outcome } from '@/lib/result';
import { CHECK_FIELDS, fieldErrorsOf } from '@/lib/schemas/errors';

export const SESSION_ENDED: ActionResult<never> = { ok: false, error: 'Your session has ended: log in again.' };

/**
 * A server action is a public endpoint: this runs it only for a live session, checked before
 * anything else (after its origin). Every action but logging in and out is made with it.
 */
export function withSession<A extends unknown[], T>(
  action: (...args: A) => Promise<ActionResult<T>>,
): (...args: A) => Promise<ActionResult<T>> {
  return async (...args: A) => {
    try {
      return (await crossOriginAction()) ?? ((await currentSession()) ? await action(...args) : SESSION_ENDED);
    } catch (e) {
      return storeFailureResult(e);
    }
  };
}

/**
 * A store that fails, as an action's result: its cause in words, shown beside the form, which
 * keeps what was typed. Anything else is thrown again (Next's redirects among them).
 */
export function storeFailureResult(e: unknown): ActionResult<never> {
  const problem = storeFailure(e, env().dataDir);
  if (!problem) throw e;
  noteStoreFailure(problem);
  return { ok: false, error: problem.message };
}

/**
 * An action's request that may not have come from labgate's own pages, refused; null when it did.
 * Next refuses an Origin that names another host, but lets a request without one through.
 */
export async function crossOriginAction(): Promise<ActionResult<never> | null> {
  const reason = crossOriginReason(await headers());
  return reason ? { ok: false, error: reason } : null;
}

/** Bad input, as the form shows it: a summary and each field's messages. */
export const invalidInput = (err: z.ZodError, rename?: Record<string, string>): ActionResult<never> => ({
  ok: false,
  error: CHECK_FIELDS,
  fieldErrors: fieldErrorsOf(err, rename),
});

/** A lib Outcome as an action's result (the status stays on the server). */
export const asAction = <T>(o: Outcome<T> | ActionResult<T>): ActionResult<T> =>
  o.ok ? o : { ok: false, error: o.error, fieldErrors: o.fieldErrors };

/**
 * How every action that changes something finishes: when the change happened, what the server
 * drew is drawn again (every page, as the Overview and the topology show each change too), and
 * the outcome becomes the action's result.
 */
export function finished<T>(o: Outcome<T> | ActionResult<T>): ActionResult<T> {
  if (o.ok) revalidatePath('/', 'layout');
  return asAction(o);
}

/** What every server action returns: expected failures are values, not exceptions. */
export type ActionResult<T = void> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Partial<Record<string, string[]>> };

/** The same shape with an HTTP status, for lib functions shared by actions and route handlers. */
export type Outcome<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: string; fieldErrors?: Partial<Record<string, string[]>>; retryAfterMs?: number };

/** A failed Outcome with its status (and, for a form, each field's messages). */
export const fail = (status: number, error: string, fieldErrors?: Record<string, string[]>): Outcome<never> => ({
  ok: false,
  status,
  error,
  fieldErrors,
});

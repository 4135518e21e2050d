import type { z } from 'zod';

export const CHECK_FIELDS = 'Check the highlighted fields.';

/**
 * The one conversion of a zod error into field errors, for actions, the host API and forms:
 * keyed by the input's whole path ("target.port"), or by the form's own name where `rename`
 * maps a top-level key onto one (nodePorts → nodePort).
 */
export function fieldErrorsOf(err: z.ZodError, rename: Record<string, string> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of err.issues) {
    const first = String(issue.path[0] ?? '');
    // A list's entries are one field (its index dropped): the form shows the message beside the list.
    const key = rename[first] ?? (issue.path.filter((p) => typeof p !== 'number').join('.') || 'form');
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useToast } from '@/components/ui/Toaster';
import { queryKeys } from '@/lib/query-keys';
import type { ActionResult } from '@/lib/result';

/**
 * How a change's outcome is told, for forms (useLiveAction) and buttons (useLiveMutation) alike:
 * the live views refreshed when it happened, and a toast — `done` on success, else `failure`.
 */
export function useOutcome<T>(done: string | ((data: T) => string)) {
  const client = useQueryClient();
  const toast = useToast();
  return async (res: ActionResult<T>, failure: string): Promise<void> => {
    if (res.ok) await client.invalidateQueries({ queryKey: queryKeys.state });
    toast(res.ok ? 'ok' : 'error', res.ok ? (typeof done === 'function' ? done(res.data) : done) : failure);
  };
}

'use client';

import { useQuery } from '@tanstack/react-query';
import { fetchJson } from '@/lib/fetch-json';

/** A live view's data: the server's first paint, then refetched on every change event (and every 10 s, should events stop). */
export function useLiveState<T>(queryKey: readonly unknown[], url: string, initial: T): T {
  const { data } = useQuery({ queryKey, queryFn: () => fetchJson<T>(url), initialData: initial, refetchInterval: 10_000 });
  return data ?? initial;
}

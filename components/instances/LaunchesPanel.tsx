'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { fetchJson } from '@/lib/fetch-json';
import type { LaunchProgress } from '@/lib/wire';
import { queryKeys } from '@/lib/query-keys';

/**
 * Launches under way, each with the daemon's progress: a bar while it says how far (the image's
 * download), its words otherwise; how it ended once it has. Asked twice a second while one runs.
 */
export function LaunchesPanel() {
  const client = useQueryClient();
  const { data = [] } = useQuery({
    queryKey: queryKeys.launches,
    queryFn: () => fetchJson<LaunchProgress[]>('/api/state/launches'),
    refetchInterval: (q) => (q.state.data?.some((l) => l.outcome === 'running') ? 500 : 5_000),
  });
  // A launch that ends changes the instances: the table asks again.
  const running = data.filter((l) => l.outcome === 'running').length;
  const before = useRef(running);
  useEffect(() => {
    if (running < before.current) void client.invalidateQueries({ queryKey: queryKeys.instances });
    before.current = running;
  }, [running, client]);
  if (!data.length) return null;
  return (
    <section aria-label="Launches" className="space-y-2">
      {data.map((l) => (
        <div key={l.name} className="rounded-lg border border-zinc-200 bg-white p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          <div className="flex justify-between gap-2">
            <span className="font-medium">Launching {l.name}</span>
            <span className={l.outcome === 'failed' ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}>
              {l.outcome === 'failed' ? `Failed: ${l.error}` : l.outcome === 'launched' ? 'Running' : l.step.text}
            </span>
          </div>
          {l.outcome === 'running' ? (
            <div
              role="progressbar"
              aria-label={`Launching ${l.name}: ${l.step.text}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={l.step.percent ?? undefined}
              aria-valuetext={l.step.percent === null ? l.step.text : `${l.step.text}: ${l.step.percent}%`}
              className="mt-2 h-2 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
            >
              <div
                className={`h-full bg-brand-600 transition-all ${l.step.percent === null ? 'w-1/3 animate-pulse' : ''}`}
                style={l.step.percent === null ? undefined : { width: `${l.step.percent}%` }}
              />
            </div>
          ) : null}
        </div>
      ))}
    </section>
  );
}

'use client';

import { LanUrl } from '@/components/ui/LanUrl';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { undoExposeAction } from '@/app/actions/expose';
import { Button } from '@/components/ui/Button';
import { queryKeys } from '@/lib/query-keys';

export interface ExposureItem {
  id: string;
  title: string;
  url: string;
}

export function ExposuresList({ items }: { items: ExposureItem[] }) {
  const client = useQueryClient();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (items.length === 0) return null;
  return (
    <section
      aria-labelledby="exposed-heading"
      className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="exposed-heading" className="mb-2 text-sm font-semibold">
        Exposed on the LAN
      </h2>
      <ul className="space-y-2 text-sm">
        {items.map((e) => (
          <li key={e.id} className="flex flex-wrap items-center gap-3">
            <span>{e.title.replace(/^Expose | on the LAN$/g, '')}</span>
            <LanUrl url={e.url} className="font-mono" />
            <Button
              variant="secondary"
              disabled={pending}
              aria-label={`Undo ${e.title}`}
              onClick={() =>
                start(async () => {
                  if (!window.confirm(`Undo "${e.title}"? The forward closes and the Service goes back to what it was.`)) return;
                  const res = await undoExposeAction(e.id);
                  setError(res.ok ? null : res.error);
                  await client.invalidateQueries({ queryKey: queryKeys.state });
                  router.refresh();
                })
              }
            >
              Undo
            </Button>
          </li>
        ))}
      </ul>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </section>
  );
}

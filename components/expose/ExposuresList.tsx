'use client';

import { useRouter } from 'next/navigation';
import { undoExposeAction } from '@/app/actions/expose';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { LanUrl } from '@/components/ui/LanUrl';

export interface ExposureItem {
  id: string;
  title: string;
  url: string;
}

export function ExposuresList({ items }: { items: ExposureItem[] }) {
  const router = useRouter();
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
            <ConfirmButton
              label={`Undo ${e.title}`}
              text="Undo"
              title={`Undo "${e.title}"?`}
              confirmLabel="Undo"
              busy="Undoing…"
              done={`Undone: ${e.title.replace(/^Expose | on the LAN$/g, '')} is no longer on the LAN.`}
              run={async () => {
                const res = await undoExposeAction(e.id);
                if (res.ok) router.refresh(); // this list is the page's, drawn on the server
                return res;
              }}
            >
              <p>The forward closes and the Service goes back to what it was.</p>
            </ConfirmButton>
          </li>
        ))}
      </ul>
    </section>
  );
}

'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { DataTable } from '@/components/ui/DataTable';
import type { Column } from '@/components/ui/table-model';
import { fetchJson } from '@/lib/fetch-json';
import type { AuditEntry } from '@/lib/wire';

const columns: Column<AuditEntry>[] = [
  {
    id: 'at',
    header: 'When',
    value: (e) => e.at,
    render: (e) => <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>,
    width: '12rem',
  },
  { id: 'actor', header: 'Who', value: (e) => e.actor, width: '7rem' },
  {
    id: 'action',
    header: 'What',
    value: (e) => e.action,
    render: (e) => <span className="font-mono text-xs">{e.action}</span>,
    width: '10rem',
  },
  { id: 'subject', header: 'On', value: (e) => e.subject, width: 'minmax(10rem, 1fr)' },
  {
    id: 'result',
    header: 'Result',
    value: (e) => e.result,
    render: (e) =>
      e.result === 'ok' ? <Badge tone="green">ok</Badge> : <span className="text-red-700 dark:text-red-400">{e.result}</span>,
    width: 'minmax(10rem, 1.5fr)',
  },
];

/** The newest page stays live; older pages come one at a time, on request. */
export function ActivityTable({ initial, pageSize }: { initial: AuditEntry[]; pageSize: number }) {
  const { data, fetchNextPage, hasNextPage, isFetchingNextPage } = useInfiniteQuery({
    queryKey: ['state', 'audit'],
    queryFn: ({ pageParam }) => fetchJson<AuditEntry[]>(`/api/state/audit?limit=${pageSize}${pageParam ? `&before=${pageParam}` : ''}`),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.length === pageSize ? last.at(-1)!.id : undefined),
    initialData: { pages: [initial], pageParams: [0] },
    refetchInterval: 10_000,
  });
  const rows = data.pages.flat();
  const toolbar = (
    <>
      <a
        href="/api/state/audit?format=csv"
        download
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Export CSV
      </a>
      {hasNextPage ? (
        <Button onClick={() => void fetchNextPage()} disabled={isFetchingNextPage} aria-busy={isFetchingNextPage}>
          {isFetchingNextPage ? 'Loading older…' : `Show ${pageSize} older`}
        </Button>
      ) : null}
    </>
  );
  return (
    <DataTable
      label="Activity"
      rows={rows}
      columns={columns}
      rowKey={(e) => String(e.id)}
      initialSort={{ id: 'at', direction: 'desc' }}
      empty="No activity yet: every change made through labgate is recorded here."
      toolbar={toolbar}
    />
  );
}

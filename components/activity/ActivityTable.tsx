'use client';

import { useQuery } from '@tanstack/react-query';
import { Badge } from '@/components/ui/Badge';
import { DataTable } from '@/components/ui/DataTable';
import type { Column } from '@/components/ui/table-model';
import { fetchJson } from '@/lib/fetch-json';
import type { AuditEntry } from '@/lib/host/store/audit';

const columns: Column<AuditEntry>[] = [
  { id: 'at', header: 'When', value: (e) => e.at, render: (e) => <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>, width: '12rem' },
  { id: 'actor', header: 'Who', value: (e) => e.actor, width: '7rem' },
  { id: 'action', header: 'What', value: (e) => e.action, render: (e) => <span className="font-mono text-xs">{e.action}</span>, width: '10rem' },
  { id: 'subject', header: 'On', value: (e) => e.subject, width: 'minmax(10rem, 1fr)' },
  { id: 'result', header: 'Result', value: (e) => e.result, render: (e) => (e.result === 'ok' ? <Badge tone="green">ok</Badge> : <span className="text-red-700 dark:text-red-400">{e.result}</span>), width: 'minmax(10rem, 1.5fr)' },
];

export function ActivityTable({ initial }: { initial: AuditEntry[] }) {
  const { data } = useQuery({ queryKey: ['state', 'audit'], queryFn: () => fetchJson<AuditEntry[]>('/api/host/audit'), initialData: initial, refetchInterval: 10_000 });
  const download = (
    <a href="/api/host/audit?format=csv" download className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
      Export CSV
    </a>
  );
  return <DataTable label="Activity" rows={data} columns={columns} rowKey={(e) => String(e.id)} initialSort={{ id: 'at', direction: 'desc' }} empty="No activity yet: every change made through labgate is recorded here." toolbar={download} />;
}

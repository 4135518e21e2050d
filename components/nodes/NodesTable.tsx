'use client';

import { Badge } from '@/components/ui/Badge';
import { LabelForm } from './LabelForm';
import { PinForm } from './PinForm';
import { Banner } from '@/components/ui/Banner';
import { DataTable } from '@/components/ui/DataTable';
import type { Column } from '@/components/ui/table-model';
import { formatLabel } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import type { NodeRow, NodesView } from '@/lib/wire';
import { isSystemLabel } from '@/lib/domain/cluster/labels';
import { useLiveState } from '@/components/providers/useLiveState';

type Data = NodesView;

const labelText = (r: NodeRow) =>
  Object.entries(r.labels)
    .map(([k, v]) => formatLabel(k, v))
    .join(' ');

const columns: Column<NodeRow>[] = [
  {
    id: 'name',
    header: 'Name',
    value: (r) => r.name,
    render: (r) => <span className="font-medium">{r.name}</span>,
    width: 'minmax(7rem, 0.8fr)',
  },
  {
    id: 'ready',
    header: 'Status',
    value: (r) => (r.ready ? 'Ready' : 'NotReady') + (r.unschedulable ? ' SchedulingDisabled' : ''),
    render: (r) => (
      <span className="flex flex-wrap gap-1">
        <Badge tone={r.ready ? 'green' : 'red'}>{r.ready ? 'Ready' : 'NotReady'}</Badge>
        {r.unschedulable ? <Badge tone="amber">SchedulingDisabled</Badge> : null}
      </span>
    ),
    width: '8rem',
  },
  { id: 'roles', header: 'Roles', value: (r) => r.roles.join(', '), render: (r) => r.roles.join(', ') || '—', width: '7rem' },
  {
    id: 'labels',
    header: 'Labels',
    value: labelText,
    render: (r) => (
      <ul aria-label={`Labels of ${r.name}`} className="flex flex-wrap gap-1">
        {Object.entries(r.labels)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => (
            <li key={k}>
              <Badge tone={isSystemLabel(k) ? 'gray' : 'blue'}>{formatLabel(k, v)}</Badge>
            </li>
          ))}
      </ul>
    ),
    width: 'minmax(16rem, 3fr)',
  },
  {
    id: 'ip',
    header: 'InternalIP',
    value: (r) => r.internalIP,
    render: (r) => <span className="font-mono text-xs">{r.internalIP ?? '—'}</span>,
    width: '8rem',
  },
  {
    id: 'vm',
    header: 'VM',
    value: (r) => r.instance ?? '',
    render: (r) => r.instance ?? <span className="text-zinc-500 dark:text-zinc-400">unknown</span>,
    width: '6rem',
  },
  { id: 'pods', header: 'Pods', value: (r) => r.podCount, width: '4.5rem' },
];

export function NodesTable({ initial }: { initial: Data }) {
  const data = useLiveState(queryKeys.nodes, '/api/state/nodes', initial);
  return (
    <>
      {data.error ? <Banner title="The cluster is not answering">{data.error}</Banner> : null}
      <DataTable
        label="Nodes"
        rows={data.rows}
        columns={columns}
        rowKey={(r) => r.name}
        initialSort={{ id: 'name', direction: 'asc' }}
        empty="The cluster has no nodes."
      />
      {data.rows.length ? (
        <div className="mt-6 grid gap-4 xl:grid-cols-2">
          <LabelForm nodes={data.rows} />
          <PinForm nodes={data.rows} workloads={data.workloads} />
        </div>
      ) : null}
    </>
  );
}

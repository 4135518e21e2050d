'use client';

import { useState } from 'react';
import { ExposeButton } from '@/components/expose/ExposeDialog';
import { InstanceActions } from './InstanceActions';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Banner } from '@/components/ui/Banner';
import { DataTable } from '@/components/ui/DataTable';
import type { Column } from '@/components/ui/table-model';
import { instanceState, multipassProblemTitle } from '@/lib/domain/cluster/instances';
import { formatBytes, formatUsage } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import type { InstanceRow, InstancesView } from '@/lib/wire';
import { useLiveState } from '@/components/providers/useLiveState';

type Data = InstancesView;

function State({ state }: { state: string }) {
  const s = instanceState(state);
  return (
    <span className="inline-flex items-center gap-1">
      <Badge tone={s.tone} title={s.meaning}>
        {s.label}
      </Badge>
      <span className="sr-only">{s.meaning}</span>
    </span>
  );
}

/** The management address (the only one forwards target), then what else the VM reports, muted. */
function Addresses({ ipv4 }: { ipv4: string[] }) {
  if (!ipv4.length) return <>—</>;
  const [management, ...others] = ipv4;
  return (
    <span className="font-mono text-xs">
      <span title="Management address: forwards to this instance go here">{management}</span>
      {others.length > 0 && (
        <span className="text-zinc-500 dark:text-zinc-400" title="Other addresses in the VM (cni0, flannel, VIPs): shown, never targeted">
          , {others.join(', ')}
        </span>
      )}
    </span>
  );
}

const zoneColumn: Column<InstanceRow> = {
  id: 'zone',
  header: 'Zone',
  value: (r) => r.zone ?? '',
  render: (r) => r.zone ?? '—',
  width: '6rem',
};

const columns: Column<InstanceRow>[] = [
  {
    id: 'name',
    header: 'Name',
    value: (r) => r.name,
    render: (r) => <span className="font-medium">{r.name}</span>,
    width: 'minmax(7rem, 1fr)',
  },
  { id: 'state', header: 'State', value: (r) => r.state, render: (r) => <State state={r.state} />, width: '9rem' },
  { id: 'ipv4', header: 'IPv4', value: (r) => r.ipv4.join(' '), render: (r) => <Addresses ipv4={r.ipv4} />, width: 'minmax(9rem, 1.4fr)' },
  { id: 'image', header: 'Image', value: (r) => r.imageRelease ?? '', render: (r) => r.imageRelease ?? '—' },
  { id: 'cpu', header: 'CPUs', value: (r) => r.cpuCount, width: '5rem' },
  { id: 'memory', header: 'Memory', value: (r) => r.memory?.total ?? null, render: (r) => formatUsage(r.memory) },
  {
    id: 'disk',
    header: 'Disk',
    value: (r) => r.disk?.total ?? null,
    render: (r) => (r.disk ? `${formatBytes(r.disk.used)} / ${formatBytes(r.disk.total)}` : '—'),
  },
  {
    id: 'node',
    header: 'Node',
    value: (r) => r.node ?? '',
    render: (r) => r.node ?? <span className="text-zinc-500 dark:text-zinc-400">not a node</span>,
    width: '7rem',
  },
  {
    id: 'expose',
    header: '',
    value: () => null,
    // Only where a forward would take traffic now: running, with its management address.
    render: (r) => (instanceState(r.state).running && r.ipv4[0] ? <ExposePort instance={r.name} /> : null),
    width: '13rem',
  },
  {
    id: 'actions',
    header: 'Actions',
    value: () => null,
    render: (r) => <InstanceActions row={r} />,
    width: 'minmax(12rem, 1.5fr)',
  },
];

function ExposePort({ instance }: { instance: string }) {
  const [port, setPort] = useState('');
  const valid = /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
  return (
    <span className="flex items-center gap-1">
      <input
        type="number"
        min={1}
        max={65535}
        value={port}
        onChange={(e) => setPort(e.target.value)}
        aria-label={`Port to expose on ${instance}`}
        placeholder="port"
        className="w-20 rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
      />
      {valid ? (
        <ExposeButton target={{ kind: 'instance', instance, port: Number(port) }} label="Expose port" variant="secondary" size="sm" />
      ) : (
        <Button variant="secondary" size="sm" disabled>
          Expose port
        </Button>
      )}
    </span>
  );
}

export function InstancesTable({ initial }: { initial: Data }) {
  const data = useLiveState(queryKeys.instances, '/api/state/instances', initial);
  // Zones only where the daemon reports them (Multipass with availability zones).
  const shown = data.rows.some((r) => r.zone) ? [...columns.slice(0, 3), zoneColumn, ...columns.slice(3)] : columns;
  return (
    <>
      {data.error ? (
        <Banner title={multipassProblemTitle(data.error.kind)}>
          {data.error.message} {data.rows.length ? 'The list below is the last one Multipass gave.' : ''}
        </Banner>
      ) : null}
      <DataTable
        label="Instances"
        rows={data.rows}
        columns={shown}
        rowKey={(r) => r.name}
        initialSort={{ id: 'name', direction: 'asc' }}
        empty="Multipass has no instances."
      />
    </>
  );
}

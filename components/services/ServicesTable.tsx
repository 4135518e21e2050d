'use client';

import { LanUrl } from '@/components/ui/LanUrl';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ExposeButton } from '@/components/expose/ExposeDialog';
import { ServiceForm } from './ServiceForm';
import { HealthBadge } from '@/components/health/HealthCell';
import { Badge } from '@/components/ui/Badge';
import { Banner } from '@/components/ui/Banner';
import { DataTable } from '@/components/ui/DataTable';
import type { Column } from '@/components/ui/table-model';
import { exposeAnnotation } from '@/lib/domain/expose/annotations';
import { describePorts } from '@/lib/domain/cluster/joins';
import { fetchJson } from '@/lib/fetch-json';
import { queryKeys } from '@/lib/query-keys';
import type { ServiceRow, ServicesView } from '@/lib/wire';

type Data = ServicesView;

const columns: Column<ServiceRow>[] = [
  {
    id: 'name',
    header: 'Name',
    value: (r) => r.name,
    render: (r) => {
      const asked = exposeAnnotation(r.annotations);
      return (
        <span className="space-y-1">
          <span className="block font-medium">{r.name}</span>
          {asked && 'error' in asked ? (
            <>
              <Badge tone="red">bad annotation</Badge>
              <span className="block text-xs text-red-700 dark:text-red-400">{asked.error}</span>
            </>
          ) : asked ? (
            <Badge tone="green" title="labgate exposes it because its annotation labgate.dev/expose says so">
              exposed by annotation
            </Badge>
          ) : null}
        </span>
      );
    },
    width: 'minmax(8rem, 1.2fr)',
  },
  { id: 'namespace', header: 'Namespace', value: (r) => r.namespace, width: 'minmax(7rem, 0.8fr)' },
  {
    id: 'type',
    header: 'Type',
    value: (r) => r.type,
    render: (r) => <Badge tone={r.type === 'ClusterIP' ? 'gray' : 'blue'}>{r.type}</Badge>,
    width: '7.5rem',
  },
  {
    id: 'ports',
    header: 'Ports',
    value: (r) => describePorts(r),
    render: (r) => <span className="font-mono text-xs">{describePorts(r) || '—'}</span>,
    width: 'minmax(8rem, 1fr)',
  },
  {
    id: 'selector',
    header: 'Selector',
    value: (r) =>
      Object.entries(r.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    render: (r) =>
      r.selector ? (
        <span className="font-mono text-xs">
          {Object.entries(r.selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}
        </span>
      ) : (
        <span className="text-zinc-500 dark:text-zinc-400">none</span>
      ),
    width: 'minmax(8rem, 1.2fr)',
  },
  {
    id: 'nodes',
    header: 'Pods on nodes',
    value: (r) => r.nodes.join(' '),
    render: (r) =>
      r.pods.length ? (
        <span title={r.pods.map((p) => `${p.name} on ${p.node ?? 'no node'}`).join('\n')}>
          {r.pods.length} on {r.nodes.join(', ') || 'no node'}
        </span>
      ) : (
        <span className="text-zinc-500 dark:text-zinc-400">no ready pods</span>
      ),
    width: 'minmax(8rem, 1fr)',
  },
  {
    id: 'exposure',
    header: 'LAN',
    value: (r) => r.exposure.map((e) => (e.exposure.exposed ? (e.exposure.url ?? 'forwarded') : 'not exposed')).join(' '),
    render: (r) =>
      r.exposure.length === 0 ? (
        <span className="text-zinc-500 dark:text-zinc-400">—</span>
      ) : (
        <ul className="space-y-0.5">
          {r.exposure.map((e) => (
            <li key={e.nodePort}>
              {!e.exposure.exposed ? (
                <span className="text-zinc-500">:{e.nodePort} not exposed</span>
              ) : (
                <span className="flex flex-wrap items-center gap-x-1.5">
                  {e.exposure.url ? <LanUrl url={e.exposure.url} /> : <span>:{e.nodePort} forwarded, no web address</span>}
                  {e.exposure.health && e.exposure.health.state !== 'unknown' ? <HealthBadge health={e.exposure.health} /> : null}
                  {e.exposure.health?.state === 'down' && e.exposure.health.reason ? (
                    <span className="block w-full text-xs text-zinc-600 dark:text-zinc-300">{e.exposure.health.reason}</span>
                  ) : null}
                </span>
              )}
            </li>
          ))}
        </ul>
      ),
    width: 'minmax(15rem, 1fr)', // room for http://grafana.local:30060/ on one line
  },
  {
    id: 'expose',
    header: '',
    value: () => null,
    render: (r) =>
      r.type === 'ExternalName' || r.ports.length === 0 ? null : (
        <ExposeButton
          target={{ kind: 'service', namespace: r.namespace, name: r.name }}
          label="Expose on LAN"
          variant="secondary"
          size="sm"
        />
      ),
    width: '7.5rem',
  },
];

export function ServicesTable({ initial }: { initial: Data }) {
  const [namespace, setNamespace] = useState('');
  const selectId = useId();
  const { data } = useQuery({
    queryKey: queryKeys.services(namespace || 'all'),
    queryFn: () => fetchJson<Data>(`/api/state/services${namespace ? `?namespace=${encodeURIComponent(namespace)}` : ''}`),
    initialData: namespace ? undefined : initial,
    // A first paint of part of a long list counts as stale at once, so the rest is fetched on mount.
    initialDataUpdatedAt: initial.rows.length < initial.total ? 0 : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const shown = data ?? initial;
  const toolbar = (
    <>
      <label htmlFor={selectId} className="text-sm text-zinc-600 dark:text-zinc-400">
        Namespace
      </label>
      <select
        id={selectId}
        value={namespace}
        onChange={(e) => setNamespace(e.target.value)}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">All namespaces</option>
        {shown.namespaces.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </>
  );
  return (
    <>
      {shown.error ? <Banner title="The cluster is not answering">{shown.error}</Banner> : null}
      {shown.rows.length < shown.total ? (
        <p role="status" className="text-sm text-zinc-500">
          Showing the first {shown.rows.length} of {shown.total} services; loading the rest…
        </p>
      ) : null}
      <DataTable
        label="Services"
        rows={shown.rows}
        columns={columns}
        rowKey={(r) => `${r.namespace}/${r.name}`}
        initialSort={{ id: 'namespace', direction: 'asc' }}
        empty="No services."
        toolbar={toolbar}
      />
      {shown.rows.length ? <ServiceForm services={shown.rows} /> : null}
    </>
  );
}

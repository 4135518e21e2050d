'use client';

import { LanUrl } from '@/components/ui/LanUrl';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useMemo, useState } from 'react';
import { adoptForward, deleteForward } from '@/app/actions/forwards';
import { Badge } from '@/components/ui/Badge';
import { Banner } from '@/components/ui/Banner';
import { Button } from '@/components/ui/Button';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { HealthCell } from '@/components/health/HealthCell';
import { Sparkline } from '@/components/ui/Sparkline';
import { When } from '@/components/ui/When';
import { DataTable } from '@/components/ui/DataTable';
import type { Column } from '@/components/ui/table-model';
import { fetchJson } from '@/lib/fetch-json';
import { formatBytes } from '@/lib/format';
import { shownSource } from '@/lib/domain/network/networks';
import type { ForwardView, HandMadeForward, HostStatus } from '@/lib/wire';
import { queryKeys } from '@/lib/query-keys';
import { ForwardForm } from './ForwardForm';

const stateTone = { applied: 'green', pending: 'amber', stale: 'amber', error: 'red' } as const;

export function describeTarget(f: ForwardView): string {
  const t = f.target;
  return t.kind === 'service'
    ? `service ${t.namespace}/${t.name}:${t.port}`
    : t.kind === 'instance'
      ? `instance ${t.name}:${t.port}`
      : `${t.ip}:${t.port}`;
}

const AdoptButton = ({ handMade }: { handMade: HandMadeForward }) => (
  <ConfirmButton
    label={`Adopt the hand-made forward of port ${handMade.listenPort}`}
    text="Adopt"
    title={`Adopt the hand-made forward of port ${handMade.listenPort}?`}
    confirmLabel="Adopt"
    busy="Adopting…"
    done={`Adopted the forward of port ${handMade.listenPort}.`}
    run={() => adoptForward(handMade.key, handMade.restrictions.length > 0)}
  >
    <p>labgate will add its own forward for port {handMade.listenPort} and remove exactly these hand-made rules:</p>
    <pre className="overflow-x-auto text-xs">{handMade.rules.map((r) => `${r.table}: ${r.line}`).join('\n')}</pre>
    {handMade.restrictions.length ? (
      <>
        <p>They match less than labgate&apos;s forward will (it takes all LAN traffic to port {handMade.listenPort}):</p>
        <ul className="list-disc pl-5">
          {handMade.restrictions.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </>
    ) : null}
  </ConfirmButton>
);

const DeleteButton = ({ forward }: { forward: ForwardView }) => (
  <ConfirmButton
    label={`Delete forward ${forward.name}`}
    text="Delete"
    title={`Delete the forward "${forward.name}"?`}
    confirmLabel="Delete"
    busy="Deleting…"
    done={`Deleted the forward ${forward.name}.`}
    run={() => deleteForward(forward.id)}
  >
    <p>
      Its rules on port {forward.listenPort} leave the kernel{forward.url ? ` and ${forward.url} stops answering` : ''}.
    </p>
  </ConfirmButton>
);

const columns: Column<ForwardView>[] = [
  {
    id: 'name',
    header: 'Name',
    value: (f) => f.name,
    render: (f) => <span className="font-medium">{f.name}</span>,
    width: 'minmax(8rem, 1fr)',
  },
  {
    id: 'port',
    header: 'Host port',
    value: (f) => f.listenPort,
    render: (f) => (
      <span className="font-mono text-xs">
        :{f.listenPort}/{f.protocol}
      </span>
    ),
    width: '7rem',
  },
  { id: 'target', header: 'Target', value: describeTarget, width: 'minmax(10rem, 1.4fr)' },
  {
    id: 'access',
    header: 'Who may reach it',
    value: (f) =>
      `${f.allowFrom ? f.allowFrom.map(shownSource).join(', ') : 'everyone on the LAN'}${f.requiresSignIn ? ', signed in' : ''}`,
    render: (f) => (
      <span className="space-y-1">
        {f.allowFrom ? (
          <span className="block font-mono text-xs">
            {f.allowFrom.map((s, i) => (
              <Fragment key={s}>
                {i ? ', ' : ''}
                <span className="whitespace-nowrap">{shownSource(s)}</span>
              </Fragment>
            ))}
          </span>
        ) : (
          <span className="block text-zinc-500 dark:text-zinc-400">everyone on the LAN</span>
        )}
        {f.requiresSignIn ? (
          <span className="block text-xs font-medium text-indigo-700 dark:text-indigo-300">after signing in with labgate</span>
        ) : null}
      </span>
    ),
    width: 'minmax(8rem, 1fr)',
  },
  {
    id: 'now',
    header: 'Points at',
    value: (f) => (f.status?.targetIP ? `${f.status.targetIP}:${f.status.targetPort} ${f.status.node ?? ''}` : ''),
    render: (f) =>
      f.status?.targetIP ? (
        <span className="font-mono text-xs">
          {f.status.targetIP}:{f.status.targetPort}
          {f.status.node ? ` (${f.status.node})` : ''}
        </span>
      ) : (
        '—'
      ),
    width: 'minmax(10rem, 1fr)',
  },
  {
    id: 'state',
    header: 'Status',
    value: (f) => f.status?.state ?? 'pending',
    render: (f) => (
      <span className="space-y-1">
        <Badge tone={stateTone[f.status?.state ?? 'pending']}>{f.status?.state ?? 'pending'}</Badge>
        {f.status?.reason ? <span className="block text-xs text-zinc-500">{f.status.reason}</span> : null}
      </span>
    ),
    width: 'minmax(8rem, 1fr)',
  },
  {
    id: 'health',
    header: 'Health',
    value: (f) => f.health?.state ?? '',
    render: (f) => <HealthCell name={f.name} health={f.health} />,
    width: 'minmax(10rem, 1fr)',
  },
  {
    id: 'traffic',
    header: 'Traffic',
    value: (f) => f.traffic?.bytes ?? -1,
    render: (f) =>
      f.traffic ? (
        <span className="space-y-0.5 text-xs">
          <span className="block">
            {f.traffic.connections} connection{f.traffic.connections === 1 ? '' : 's'} ·{' '}
            <span className="whitespace-nowrap">{formatBytes(f.traffic.bytes)}</span>
          </span>
          <Sparkline
            values={f.traffic.perMinute}
            label={`${f.name}: bytes per minute over the last hour, at most ${formatBytes(Math.max(0, ...f.traffic.perMinute))} a minute`}
          />
          <span className="block text-zinc-500 dark:text-zinc-400">
            {f.traffic.lastUsed ? (
              <>
                last used <When at={f.traffic.lastUsed} />
              </>
            ) : (
              'not used yet'
            )}
          </span>
        </span>
      ) : (
        '—'
      ),
    width: 'minmax(10rem, 1fr)',
  },
  {
    id: 'url',
    header: 'LAN URL',
    value: (f) => f.url ?? '',
    render: (f) =>
      f.url ? (
        <span className="space-y-1">
          <LanUrl url={f.url} />
          {f.httpsUntil ? (
            // A day, not a time: the same on server and client whatever their time zones.
            <span className="block text-xs text-zinc-500">Certificate until {f.httpsUntil.slice(0, 10)}, renewed by labgate</span>
          ) : null}
        </span>
      ) : (
        '—'
      ),
    width: 'minmax(15rem, 1fr)', // room for http://grafana.local:30060/ on one line
  },
];

/** The table's columns with each row's actions: edit (in the form above the table) and delete. */
const withActions = (edit: (f: ForwardView) => void): Column<ForwardView>[] => [
  ...columns,
  {
    id: 'actions',
    header: '',
    value: () => null,
    render: (f) => (
      <span className="inline-flex gap-2">
        <Button variant="secondary" aria-label={`Edit forward ${f.name}`} onClick={() => edit(f)}>
          Edit
        </Button>
        <DeleteButton forward={f} />
      </span>
    ),
    width: '10rem',
  },
];

/** `device`: the address of the browser looking at the page, for "only this device". */
export function ForwardsLive({
  initial,
  initialStatus,
  device,
}: {
  initial: ForwardView[];
  initialStatus: HostStatus | null;
  device: string | null;
}) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<ForwardView | null>(null);
  const tableColumns = useMemo(
    () =>
      withActions((f) => {
        setAdding(false);
        setEditing(f);
      }),
    [],
  );
  const forwards = useQuery({
    queryKey: queryKeys.forwards,
    queryFn: () => fetchJson<ForwardView[]>('/api/state/forwards'),
    initialData: initial,
    refetchInterval: 5_000,
  });
  const status = useQuery({
    queryKey: queryKeys.hostStatus,
    queryFn: () => fetchJson<HostStatus>('/api/state/firewall'),
    initialData: initialStatus ?? undefined,
    refetchInterval: 5_000,
  });
  const rules = useQuery({
    queryKey: [...queryKeys.hostStatus, 'rules'],
    queryFn: () => fetch('/api/state/rules').then((r) => r.text()),
    enabled: false,
  });
  const s = status.data;
  return (
    <div className="space-y-4">
      {forwards.error || status.error ? (
        <Banner title="The host is not answering">
          {(status.error ?? forwards.error)!.message} What is shown is the last known state.
        </Banner>
      ) : null}
      {s && !s.inSync ? (
        <Banner tone="warning" title="The kernel differs from labgate's forwards">
          {s.diff.missing.length} rule(s) missing, {s.diff.unexpected.length} unexpected
          {s.diff.foreign.length ? `, ${s.diff.foreign.length} put in labgate's chains by someone else` : ''}. labgate repairs this by
          itself within a second or two.
        </Banner>
      ) : null}
      {s?.lastSync?.error ? <Banner title="The last sync failed">{s.lastSync.error}</Banner> : null}
      {s && s.ipForward === false ? (
        <Banner title="IP forwarding is off">Forwards cannot reach the VMs: run sysctl -w net.ipv4.ip_forward=1 on the host.</Banner>
      ) : null}
      {s?.handMade.length ? (
        <Banner tone="info" title="Hand-made forwards on this host">
          <ul>
            {s.handMade.map((h) => (
              <li key={h.key} className="flex flex-wrap items-center gap-2 py-1">
                <span className="font-mono text-xs">
                  :{h.listenPort}/{h.protocol} → {h.targetIP}:{h.targetPort} ({h.rules.length} rule{h.rules.length === 1 ? '' : 's'} outside
                  labgate&apos;s chains)
                </span>
                {h.restrictions.length ? <span className="text-xs text-amber-800">{h.restrictions.join('; ')}</span> : null}
                <AdoptButton handMade={h} />
              </li>
            ))}
          </ul>
        </Banner>
      ) : null}
      <div className="flex items-center gap-3">
        <Button onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          {adding ? 'Cancel' : 'Open a forward'}
        </Button>
        {s ? (
          <span className="text-xs text-zinc-500">
            iptables backend: {s.backend} · {s.inSync ? 'in sync' : 'drift'} · {s.restores} restore(s) since start · rules read whole at{' '}
            <When at={s.checkedAt} /> (checked for a flush every second)
          </span>
        ) : null}
      </div>
      {adding ? <ForwardForm device={device} onDone={() => setAdding(false)} /> : null}
      {editing ? (
        <div className="space-y-2">
          <ForwardForm key={editing.id} device={device} editing={editing} onDone={() => setEditing(null)} />
          <Button variant="secondary" onClick={() => setEditing(null)}>
            Cancel editing
          </Button>
        </div>
      ) : null}
      <DataTable
        label="Forwards"
        rows={forwards.data}
        columns={tableColumns}
        rowKey={(f) => f.id}
        initialSort={{ id: 'port', direction: 'asc' }}
        empty="No forwards yet. Open one to reach a VM, a node port or a service from the LAN."
      />
      <details
        onToggle={(e) => (e.currentTarget.open ? void rules.refetch() : undefined)}
        className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <summary className="cursor-pointer text-sm font-semibold">Rules: labgate&apos;s chains as the kernel has them</summary>
        <pre className="mt-3 overflow-x-auto text-xs">{rules.isFetching ? 'Loading…' : (rules.data ?? '')}</pre>
      </details>
    </div>
  );
}

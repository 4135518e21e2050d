'use client';

import dynamic from 'next/dynamic';
import Link from 'next/link';
import { Banner } from '@/components/ui/Banner';
import { TopologyList } from './TopologyList';
import { multipassProblemTitle } from '@/lib/domain/cluster/instances';
import { queryKeys } from '@/lib/query-keys';
import type { Overview } from '@/lib/wire';
import { useLiveState } from '@/components/providers/useLiveState';

// The graph library is the page's largest part: it loads after the page is interactive, so the
// counts and health come first (docs/benchmarks.md).
const TopologyView = dynamic(() => import('./TopologyView').then((m) => m.TopologyView), {
  ssr: false,
  loading: () => (
    <figure
      aria-busy="true"
      aria-label="Topology: loading"
      className="flex h-[480px] items-center justify-center rounded-lg border border-zinc-200 bg-white text-sm text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900"
    >
      Drawing the topology…
    </figure>
  ),
});

function Stat({ label, value, detail, href }: { label: string; value: number; detail?: string; href: string }) {
  return (
    <Link
      href={href}
      className="rounded-lg border border-zinc-200 bg-white p-4 hover:border-brand-500 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
      {detail ? <p className="text-xs text-zinc-500">{detail}</p> : null}
    </Link>
  );
}

function Check({ ok, label, message }: { ok: boolean | null; label: string; message?: string | null }) {
  return (
    <li className="flex items-start gap-2">
      <span aria-hidden="true" className={ok === null ? 'text-zinc-400' : ok ? 'text-emerald-600' : 'text-red-600'}>
        {ok === null ? '?' : ok ? '✔' : '✖'}
      </span>
      <span>
        <span className="font-medium">{label}</span>: {ok === null ? 'unknown' : ok ? 'OK' : (message ?? 'failing')}
      </span>
    </li>
  );
}

export function OverviewLive({ initial }: { initial: Overview }) {
  const data = useLiveState(queryKeys.overview, '/api/state/overview', initial);
  const { counts, health } = data;
  return (
    <div className="space-y-6">
      {!health.apiserver.ok && health.apiserver.message ? (
        <Banner title="The cluster is not answering">{health.apiserver.message}</Banner>
      ) : null}
      {!health.multipass.ok && health.multipass.message ? (
        <Banner title={multipassProblemTitle(health.multipass.kind)}>{health.multipass.message}</Banner>
      ) : null}
      {!health.firewall.ok && health.firewall.message ? (
        <Banner title="Forwards cannot be kept true">{health.firewall.message}</Banner>
      ) : null}
      <section aria-label="Counts" className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
        <Stat label="Instances" value={counts.instances} detail={`${counts.running} running`} href="/instances" />
        <Stat label="Nodes" value={counts.nodes} detail={`${counts.ready} ready`} href="/nodes" />
        <Stat label="Services" value={counts.services} detail={`${counts.nodePorts} with node ports`} href="/services" />
        <Stat label="Pods" value={counts.pods} href="/services" />
        <Stat
          label="Forwards"
          value={counts.forwards}
          detail={`${counts.forwardsUp} up${counts.forwardsDown ? ` · ${counts.forwardsDown} down` : ''}`}
          href="/forwards"
        />
      </section>
      <section
        aria-labelledby="health-heading"
        className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <h2 id="health-heading" className="mb-2 text-sm font-semibold">
          Health
        </h2>
        <ul className="space-y-1 text-sm">
          <Check ok={health.apiserver.ok} label="Kubernetes API" message={health.apiserver.message} />
          <Check ok={health.multipass.ok} label="Multipass" message={health.multipass.message} />
          <Check ok={health.ipForward} label="IP forwarding" message="off (net.ipv4.ip_forward = 0)" />
          <Check ok={health.firewall.ok} label="Host firewall" message={health.firewall.message} />
          {counts.forwards ? (
            <Check
              ok={counts.forwardsUp + counts.forwardsDown ? counts.forwardsDown === 0 : null}
              label="Forwards answering"
              message={`${counts.forwardsDown} of ${counts.forwards} down`}
            />
          ) : null}
        </ul>
        {health.problems.length ? (
          <>
            <h3 className="mt-3 text-sm font-semibold">Problems found</h3>
            <ul className="mt-1 list-disc pl-5 text-sm text-amber-800 dark:text-amber-300">
              {health.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </>
        ) : (
          <p className="mt-3 text-sm text-zinc-500">No problems found.</p>
        )}
      </section>
      <section aria-labelledby="topology-heading">
        <h2 id="topology-heading" className="mb-2 text-sm font-semibold">
          Topology
        </h2>
        {/* The picture where it stays legible; a list on a phone's width. */}
        <div className="hidden md:block">
          <TopologyView topology={data.topology} />
        </div>
        <div className="md:hidden">
          <TopologyList topology={data.topology} />
        </div>
      </section>
    </div>
  );
}

import 'server-only';
import { instanceState } from '@/lib/domain/cluster/instances';
import type { ForwardSummary } from '@/lib/domain/records';
import { instanceRows, nodeRows, serviceRows, topology } from '@/lib/domain/views';
import { env } from '@/lib/env';
import { hostClient } from '@/lib/host-api/client';

import type { Outcome } from '@/lib/result';
import { onHostChange } from '@/lib/host/events';
import { lanAddress } from '@/lib/host/hostinfo';
import { kubeCache, type KubeCacheStatus } from '@/lib/kube/cache';
import { multipassWatcher, type MultipassSnapshot } from '@/lib/multipass/watcher';
import type { Health, HostStatus, InstancesView, NodesView, Overview, ServicesView } from '@/lib/wire';

/** The live picture: the shared Kubernetes cache and Multipass watcher, joined for the pages and /api/state. */

export type { Health, Overview };

/** Host forwards as the views need them, from the host role. */
async function forwardSummaries(): Promise<ForwardSummary[]> {
  const res = await hostClient().listForwards();
  if (!res.ok) return [];
  return res.data.map((f) => ({
    id: f.id,
    name: f.name,
    protocol: f.protocol,
    listenPort: f.listenPort,
    targetIP: f.status?.targetIP ?? null,
    targetPort: f.status?.targetPort ?? f.target.port,
    service: f.target.kind === 'service' ? { namespace: f.target.namespace, name: f.target.name } : null,
    instance: f.target.kind === 'instance' ? f.target.name : null,
    url: f.url,
    health: f.health && { state: f.health.state, reason: f.health.reason },
  }));
}

/** Multipass as the host role sees it (in role ui, over the host API: the ui never talks to the daemon). */
async function multipass(): Promise<Pick<MultipassSnapshot, 'instances' | 'error'>> {
  const res = await hostClient().instances();
  return res.ok ? res.data : { instances: [], error: { kind: 'host-unreachable', message: res.error } };
}

async function sources() {
  const kube = kubeCache();
  const [mp] = await Promise.all([multipass(), kube.ready(3_000)]);
  const snap = kube.snapshot();
  return {
    kube: snap,
    kubeStatus: kube.getStatus(),
    multipass: mp,
    joined: {
      instances: mp.instances,
      nodes: snap.nodes,
      pods: snap.pods,
      services: snap.services,
      forwards: await forwardSummaries(),
      lanAddress: lanAddress(),
    },
  };
}

export async function instancesView(): Promise<InstancesView> {
  const s = await sources();
  return { rows: instanceRows(s.joined), error: s.multipass.error };
}

export async function nodesView(): Promise<NodesView> {
  const s = await sources();
  return { rows: nodeRows(s.joined), workloads: s.kube.workloads, error: kubeProblem(s.kubeStatus) };
}

/**
 * The Services view; with `firstPaint`, only that many rows (in the table's first order) and the
 * total — a page carries its first screenful and the browser fetches the rest, so a cluster of
 * thousands of services does not make every page load megabytes.
 */
export async function servicesView(namespace?: string, firstPaint?: number): Promise<ServicesView> {
  const s = await sources();
  const rows = serviceRows(s.joined, namespace);
  return {
    rows: firstPaint ? rows.slice(0, firstPaint) : rows,
    total: rows.length,
    namespaces: s.kube.namespaces.map((n) => n.name),
    error: kubeProblem(s.kubeStatus),
  };
}

/** The first thing wrong with the cluster connection, in words (each kind's own message). */
export function kubeProblem(status: KubeCacheStatus): string | null {
  if (status.configError) return status.configError;
  const errors = [...new Set(status.kinds.map((k) => k.error).filter((e): e is string => !!e))];
  return errors.length ? errors.join(' ') : null;
}

/** The host firewall as the Overview shows it: the last sync's failure, or the host role unreachable. */
function firewallHealth(status: Outcome<HostStatus>): Health['firewall'] {
  if (!status.ok) return { ok: false, message: status.error };
  const error = status.data.lastSync?.error;
  return error ? { ok: false, message: `The host firewall could not be written: ${error}` } : { ok: true, message: null };
}

export async function overviewView(): Promise<Overview> {
  const s = await sources();
  const { joined } = s;
  const kubeMessage = kubeProblem(s.kubeStatus);
  const status = await hostClient().status();
  const ipForward = status.ok ? status.data.ipForward : null; // the host role's word: it is the one that forwards
  const firewall = firewallHealth(status);
  const problems: string[] = [];
  if (kubeMessage) problems.push(kubeMessage);
  if (s.multipass.error) problems.push(s.multipass.error.message);
  if (ipForward === false) problems.push('IP forwarding is off on this host (net.ipv4.ip_forward = 0): forwards cannot reach the VMs.');
  if (firewall.message) problems.push(firewall.message);
  for (const n of joined.nodes) if (!n.ready) problems.push(`Node ${n.name} is not Ready.`);
  const rows = serviceRows(joined);
  for (const r of rows) {
    if ((r.type === 'NodePort' || r.type === 'LoadBalancer') && r.selector && r.nodes.length === 0)
      problems.push(`Service ${r.namespace}/${r.name} has no ready pod on any node.`);
  }
  const down = joined.forwards.filter((f) => f.health?.state === 'down');
  for (const f of down)
    problems.push(`Forward ${f.name ?? f.id} (${f.url ?? `port ${f.listenPort}`}) is down: ${f.health!.reason ?? 'it does not answer'}.`);
  return {
    counts: {
      instances: joined.instances.length,
      running: joined.instances.filter((i) => instanceState(i.state).running).length,
      nodes: joined.nodes.length,
      ready: joined.nodes.filter((n) => n.ready).length,
      services: joined.services.length,
      nodePorts: rows.filter((r) => r.type === 'NodePort' || r.type === 'LoadBalancer').length,
      pods: joined.pods.length,
      forwards: joined.forwards.length,
      forwardsUp: joined.forwards.filter((f) => f.health?.state === 'up').length,
      forwardsDown: down.length,
    },
    health: {
      apiserver: { ok: s.kubeStatus.reachable, message: kubeMessage },
      multipass: { ok: !s.multipass.error, kind: s.multipass.error?.kind ?? null, message: s.multipass.error?.message ?? null },
      ipForward,
      firewall,
      problems,
    },
    topology: topology(joined),
  };
}

/** Calls back whenever the cluster, Multipass or the host changed, and for new telemetry at its slower pace; returns the unsubscribe. */
export function onStateChange(listener: () => void): () => void {
  // In role ui, Multipass's changes come with the host role's (lib/host-api/follow.ts).
  const mp = env().role === 'ui' ? [] : [multipassWatcher().onChange(listener), multipassWatcher().onTelemetry(listener)];
  const offs = [kubeCache().onChange(listener), ...mp, onHostChange(listener)];
  return () => offs.forEach((off) => off());
}

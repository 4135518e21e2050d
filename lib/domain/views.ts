import { instanceForNode, nodeForInstance, nodePortExposure, nodesOf, PodIndex, type Exposure } from './cluster/joins';
import type { ForwardSummary, InstanceRecord, NodeRecord, PodRecord, ServiceRecord } from './records';

/** What the pages show: records joined across Multipass, Kubernetes and the host's forwards. Pure. */

export interface InstanceRow extends InstanceRecord {
  node: string | null;
  /** Forwards that point at it: what deleting it leaves without a target. */
  forwards: { id: string; name: string }[];
}

export interface NodeRow extends NodeRecord {
  instance: string | null;
  podCount: number;
}

export interface ServiceRow extends ServiceRecord {
  pods: { name: string; node: string | null }[];
  nodes: string[];
  exposure: { nodePort: number; exposure: Exposure }[];
}

export interface Sources {
  instances: readonly InstanceRecord[];
  nodes: readonly NodeRecord[];
  pods: readonly PodRecord[];
  services: readonly ServiceRecord[];
  forwards: readonly ForwardSummary[];
  lanAddress: string | null;
}

export function instanceRows(s: Pick<Sources, 'instances' | 'nodes' | 'forwards'>): InstanceRow[] {
  return s.instances.map((i) => ({
    ...i,
    node: nodeForInstance(i, s.nodes)?.name ?? null,
    forwards: s.forwards
      .filter((f) => f.instance === i.name || (!f.instance && !f.service && f.targetIP !== null && f.targetIP === i.ipv4[0]))
      .map((f) => ({ id: f.id, name: f.name ?? f.id })),
  }));
}

export function nodeRows(s: Pick<Sources, 'instances' | 'nodes' | 'pods'>): NodeRow[] {
  const counts = new Map<string, number>();
  for (const p of s.pods) if (p.nodeName && !p.terminating) counts.set(p.nodeName, (counts.get(p.nodeName) ?? 0) + 1);
  return s.nodes.map((n) => ({ ...n, instance: instanceForNode(n, s.instances)?.name ?? null, podCount: counts.get(n.name) ?? 0 }));
}

export function serviceRows(s: Pick<Sources, 'services' | 'pods' | 'forwards' | 'lanAddress'>, namespace?: string): ServiceRow[] {
  const index = new PodIndex(s.pods);
  return s.services
    .filter((svc) => !namespace || svc.namespace === namespace)
    .map((svc) => {
      const pods = index.servicePods(svc);
      return {
        ...svc,
        pods: pods.map((p) => ({ name: p.name, node: p.nodeName })),
        nodes: nodesOf(pods),
        exposure: svc.ports
          .filter((p) => p.nodePort !== null)
          .map((p) => ({ nodePort: p.nodePort!, exposure: nodePortExposure(svc, p.nodePort!, s.forwards, s.lanAddress) })),
      };
    });
}

export interface TopologyVm {
  name: string;
  state: string;
  address: string | null;
  node: { name: string; ready: boolean; pods: { namespace: string; name: string; ready: boolean }[] } | null;
}
export interface TopologyService {
  namespace: string;
  name: string;
  type: ServiceRecord['type'];
  nodes: string[];
  urls: string[];
}
export interface Topology {
  vms: TopologyVm[];
  orphanNodes: string[]; // nodes whose VM is unknown
  services: TopologyService[];
}

/** VMs containing nodes containing pods, and the NodePort services with the nodes they reach. */
export function topology(s: Sources): Topology {
  const rows = nodeRows(s);
  const vms = s.instances.map((i): TopologyVm => {
    const n = rows.find((r) => r.instance === i.name);
    return {
      name: i.name,
      state: i.state,
      address: i.ipv4[0] ?? null,
      node: n
        ? {
            name: n.name,
            ready: n.ready,
            pods: s.pods
              .filter((p) => p.nodeName === n.name && !p.terminating)
              .map((p) => ({ namespace: p.namespace, name: p.name, ready: p.ready })),
          }
        : null,
    };
  });
  const services = serviceRows(s)
    .filter((r) => r.type === 'NodePort' || r.type === 'LoadBalancer')
    .map((r) => ({
      namespace: r.namespace,
      name: r.name,
      type: r.type,
      nodes: r.nodes,
      urls: r.exposure.flatMap((e) => (e.exposure.exposed && e.exposure.url ? [e.exposure.url] : [])),
    }));
  return { vms, orphanNodes: rows.filter((r) => !r.instance).map((r) => r.name), services };
}

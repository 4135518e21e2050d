import { lanUrl } from '../network/lan-url';
import type { ForwardSummary, InstanceRecord, NodeRecord, PodRecord, ServiceRecord } from '../records';

/** The instance a node runs in: the one whose IPv4 addresses include the node's InternalIP. */
export function instanceForNode(node: NodeRecord, instances: readonly InstanceRecord[]): InstanceRecord | null {
  if (!node.internalIP) return null;
  return instances.find((i) => i.ipv4.includes(node.internalIP!)) ?? null;
}

/** The node an instance hosts, if any (VMs such as nfs or ops host none). */
export function nodeForInstance(instance: InstanceRecord, nodes: readonly NodeRecord[]): NodeRecord | null {
  return nodes.find((n) => n.internalIP !== null && instance.ipv4.includes(n.internalIP)) ?? null;
}

/** Whether a selector (a Service's, a workload's) matches a set of labels. An empty selector matches nothing here. */
export function selectorMatches(selector: Record<string, string> | null, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** A service's ready, running pods (a service without a selector has none we can know). */
export function servicePods(service: ServiceRecord, pods: readonly PodRecord[]): PodRecord[] {
  return pods.filter((p) => p.namespace === service.namespace && p.ready && !p.terminating && selectorMatches(service.selector, p.labels));
}

/** The distinct nodes a service's ready pods run on, sorted. */
export function serviceNodes(service: ServiceRecord, pods: readonly PodRecord[]): string[] {
  return nodesOf(servicePods(service, pods));
}

export const nodesOf = (pods: readonly PodRecord[]): string[] =>
  [...new Set(pods.map((p) => p.nodeName).filter((n): n is string => !!n))].sort();

/**
 * Ready pods indexed by namespace and label, so each service's pods are found without scanning
 * every pod: with 2,000 services over 10,000 pods, the scan is 20 million label checks.
 */
export class PodIndex {
  private readonly byLabel = new Map<string, PodRecord[]>(); // "namespace\0key=value" → pods

  constructor(pods: readonly PodRecord[]) {
    for (const p of pods) {
      if (!p.ready || p.terminating) continue;
      for (const [k, v] of Object.entries(p.labels)) {
        const key = `${p.namespace}\0${k}=${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(p);
        else this.byLabel.set(key, [p]);
      }
    }
  }

  /** The same pods as servicePods, in the same order. */
  servicePods(service: ServiceRecord): PodRecord[] {
    const entries = Object.entries(service.selector ?? {});
    if (!entries.length) return [];
    let fewest: PodRecord[] | undefined;
    for (const [k, v] of entries) {
      const list = this.byLabel.get(`${service.namespace}\0${k}=${v}`);
      if (!list) return [];
      if (!fewest || list.length < fewest.length) fewest = list;
    }
    return fewest!.filter((p) => selectorMatches(service.selector, p.labels));
  }
}

/** url: none for a UDP forward, which no browser opens. */
export type Exposure = { exposed: true; url: string | null; forwardId: string; health?: ForwardSummary['health'] } | { exposed: false };

/** How a NodePort is reached from the LAN: through a forward that targets it, else not at all. */
export function nodePortExposure(
  service: ServiceRecord,
  nodePort: number,
  forwards: readonly ForwardSummary[],
  lanAddress: string | null,
): Exposure {
  const fwd = forwards.find(
    (f) => f.targetPort === nodePort && (f.service ? f.service.namespace === service.namespace && f.service.name === service.name : true),
  );
  if (!fwd) return { exposed: false };
  return { exposed: true, url: fwd.url ?? lanUrl(fwd, lanAddress), forwardId: fwd.id, ...(fwd.health ? { health: fwd.health } : {}) };
}

/** "80:30060/TCP" style port descriptions, as kubectl prints them. */
export function describePorts(service: ServiceRecord): string {
  return service.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(', ');
}

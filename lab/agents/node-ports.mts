// Which NodePorts a node answers on, as kube-proxy would decide it. Pure.

export interface ServiceLike {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    type?: string;
    externalTrafficPolicy?: string;
    selector?: Record<string, string>;
    ports?: { nodePort?: number; protocol?: string }[];
  };
}
export interface PodLike {
  metadata?: { namespace?: string; labels?: Record<string, string>; deletionTimestamp?: unknown };
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export interface NodePortAnswer {
  service: string;
  namespace: string;
  nodePort: number;
  protocol: 'TCP' | 'UDP';
}

const isReady = (p: PodLike) =>
  p.status?.phase === 'Running' &&
  !p.metadata?.deletionTimestamp &&
  (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** NodePorts this node serves: every one, except Local-policy services without a ready pod here. */
export function nodePortsFor(node: string, services: readonly ServiceLike[], pods: readonly PodLike[]): NodePortAnswer[] {
  const out: NodePortAnswer[] = [];
  for (const svc of services) {
    if (svc.spec?.type !== 'NodePort' && svc.spec?.type !== 'LoadBalancer') continue;
    const namespace = svc.metadata?.namespace ?? 'default';
    if (svc.spec.externalTrafficPolicy === 'Local') {
      const local = pods.some(
        (p) =>
          p.spec?.nodeName === node && p.metadata?.namespace === namespace && isReady(p) && selects(svc.spec?.selector, p.metadata?.labels),
      );
      if (!local) continue;
    }
    for (const port of svc.spec.ports ?? []) {
      if (!port.nodePort) continue;
      out.push({
        service: svc.metadata?.name ?? '',
        namespace,
        nodePort: port.nodePort,
        protocol: port.protocol === 'UDP' ? 'UDP' : 'TCP',
      });
    }
  }
  return out.sort((a, b) => a.nodePort - b.nodePort || a.protocol.localeCompare(b.protocol));
}

import { labgateAnnotations } from '@/lib/domain/expose/annotations';
import type { V1Deployment, V1Namespace, V1Node, V1Pod, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import type { NamespaceRecord, NodeRecord, PodRecord, ServiceRecord, WorkloadRecord } from '@/lib/domain/records';

const ROLE = 'node-role.kubernetes.io/';
const toIso = (d: Date | string | undefined) => (d ? new Date(d).toISOString() : null);

export function toNodeRecord(n: V1Node): NodeRecord {
  const labels = n.metadata?.labels ?? {};
  return {
    name: n.metadata?.name ?? '',
    internalIP: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? null,
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    unschedulable: n.spec?.unschedulable ?? false,
    roles: Object.keys(labels)
      .filter((k) => k.startsWith(ROLE))
      .map((k) => k.slice(ROLE.length))
      .sort(),
    labels,
    taints: (n.spec?.taints ?? []).map((t) => ({ key: t.key, value: t.value ?? null, effect: t.effect })),
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? null,
    podCIDR: n.spec?.podCIDR ?? null,
    createdAt: toIso(n.metadata?.creationTimestamp),
    resourceVersion: n.metadata?.resourceVersion ?? '',
  };
}

export function toPodRecord(p: V1Pod): PodRecord {
  const owner = p.metadata?.ownerReferences?.find((o) => o.controller) ?? null;
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    nodeName: p.spec?.nodeName ?? null,
    phase: p.status?.phase ?? 'Unknown',
    ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    podIP: p.status?.podIP ?? null,
    labels: p.metadata?.labels ?? {},
    owner: owner ? { kind: owner.kind, name: owner.name } : null,
    terminating: !!p.metadata?.deletionTimestamp,
  };
}

const SERVICE_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);

export function toServiceRecord(s: V1Service): ServiceRecord {
  const type = SERVICE_TYPES.has(s.spec?.type ?? '') ? (s.spec!.type as ServiceRecord['type']) : 'ClusterIP';
  const policy = s.spec?.externalTrafficPolicy;
  return {
    namespace: s.metadata?.namespace ?? '',
    name: s.metadata?.name ?? '',
    type,
    clusterIP: s.spec?.clusterIP && s.spec.clusterIP !== 'None' ? s.spec.clusterIP : null,
    ports: (s.spec?.ports ?? []).map((p) => ({
      name: p.name ?? null,
      protocol: p.protocol === 'UDP' || p.protocol === 'SCTP' ? p.protocol : 'TCP',
      port: p.port,
      targetPort: p.targetPort === undefined ? null : typeof p.targetPort === 'number' ? p.targetPort : String(p.targetPort),
      nodePort: p.nodePort ?? null,
    })),
    selector: s.spec?.selector && Object.keys(s.spec.selector).length ? s.spec.selector : null,
    externalTrafficPolicy: policy === 'Local' || policy === 'Cluster' ? policy : null,
    labels: s.metadata?.labels ?? {},
    annotations: labgateAnnotations(s.metadata?.annotations),
    resourceVersion: s.metadata?.resourceVersion ?? '',
  };
}

export function toWorkloadRecord(kind: 'Deployment' | 'StatefulSet', w: V1Deployment | V1StatefulSet): WorkloadRecord {
  return {
    kind,
    namespace: w.metadata?.namespace ?? '',
    name: w.metadata?.name ?? '',
    replicas: w.spec?.replicas ?? 1,
    readyReplicas: w.status?.readyReplicas ?? 0,
    selector: w.spec?.selector?.matchLabels ?? {},
    nodeSelector: w.spec?.template?.spec?.nodeSelector ?? {},
    podLabels: w.spec?.template?.metadata?.labels ?? {},
    resourceVersion: w.metadata?.resourceVersion ?? '',
  };
}

export const toNamespaceRecord = (n: V1Namespace): NamespaceRecord => ({
  name: n.metadata?.name ?? '',
  phase: n.status?.phase ?? 'Active',
});

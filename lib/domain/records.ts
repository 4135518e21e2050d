import type { HealthState } from './forwards/health';
/** The plain records labgate works with: what the adapters return and the pages render. */

export interface InstanceRecord {
  name: string;
  state: string; // Running, Stopped, Suspended, …
  ipv4: string[]; // management address first
  release: string | null; // the guest's, e.g. "Ubuntu 22.04.5 LTS"
  imageRelease: string | null; // e.g. "22.04 LTS"
  cpuCount: number | null;
  memory: { used: number; total: number } | null; // bytes
  disk: { used: number; total: number } | null; // bytes
  load: number[];
  zone: string | null;
  mounts: string[]; // mount targets in the instance
}

export interface NodeRecord {
  name: string;
  internalIP: string | null;
  ready: boolean;
  unschedulable: boolean;
  roles: string[];
  labels: Record<string, string>;
  taints: { key: string; value: string | null; effect: string }[];
  kubeletVersion: string | null;
  podCIDR: string | null;
  createdAt: string | null;
  resourceVersion: string;
}

export interface PodRecord {
  namespace: string;
  name: string;
  nodeName: string | null;
  phase: string;
  ready: boolean;
  podIP: string | null;
  labels: Record<string, string>;
  owner: { kind: string; name: string } | null;
  terminating: boolean;
}

export interface ServicePort {
  name: string | null;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  targetPort: string | number | null;
  nodePort: number | null;
}

export interface ServiceRecord {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP: string | null;
  ports: ServicePort[];
  selector: Record<string, string> | null; // null: no selector (endpoints managed by hand)
  externalTrafficPolicy: 'Cluster' | 'Local' | null;
  labels: Record<string, string>;
  annotations: Record<string, string>; // labgate.dev/* only (lib/domain/expose/annotations.ts)
  resourceVersion: string;
}

export interface WorkloadRecord {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  name: string;
  replicas: number;
  readyReplicas: number;
  selector: Record<string, string>;
  nodeSelector: Record<string, string>;
  podLabels: Record<string, string>;
  resourceVersion: string;
}

export interface NamespaceRecord {
  name: string;
  phase: string;
}

/** A host forward as the views need it (the full model arrives with the host API). */
export interface ForwardSummary {
  id: string;
  name?: string;
  protocol: 'tcp' | 'udp';
  listenPort: number;
  targetIP: string | null;
  targetPort: number;
  service: { namespace: string; name: string } | null;
  instance?: string | null; // a forward to an instance by name, which follows its address
  url?: string | null; // the host's URL for it: its name on the LAN (NAME.local, https) when it has one
  health?: { state: HealthState; reason: string | null } | null; // is it up, as the host's probes last saw
}

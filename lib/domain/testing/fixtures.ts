import type { HostNetwork } from '../firewall/rules';
import type { ResolvedForward } from '../forwards/forward';
import type { InstanceRecord, NodeRecord, PodRecord, ServiceRecord } from '../records';

/** The reference host's LAN side, as the rule tests render against it. */
export const referenceNetwork: HostNetwork = { lanInterface: 'enp3s0', lanAddress: '192.168.50.27', lanCidr: '192.168.50.0/24' };

/** Grafana's forward (g1) resolved to its NodePort on node1, open to everyone on the LAN. */
export const grafanaForward: ResolvedForward = {
  id: 'g1',
  protocol: 'tcp',
  listenPort: 30060,
  listenAddress: null,
  targetIP: '10.120.52.23',
  targetPort: 30060,
  allowFrom: null,
};

/** Small builders for table tests: a record with sensible defaults and the fields a case cares about. */
export const instance = (name: string, ipv4: string[], state = 'Running'): InstanceRecord => ({
  name,
  state,
  ipv4,
  release: 'Ubuntu 22.04.5 LTS',
  imageRelease: '22.04 LTS',
  cpuCount: 2,
  memory: { used: 1, total: 2 },
  disk: { used: 1, total: 2 },
  load: [0, 0, 0],
  zone: null,
  mounts: [],
});

export const node = (name: string, internalIP: string | null, extra: Partial<NodeRecord> = {}): NodeRecord => ({
  name,
  internalIP,
  ready: true,
  unschedulable: false,
  roles: [],
  labels: {},
  taints: [],
  kubeletVersion: 'v1.36.3',
  podCIDR: null,
  createdAt: null,
  resourceVersion: '1',
  ...extra,
});

export const pod = (
  namespace: string,
  name: string,
  nodeName: string | null,
  labels: Record<string, string>,
  extra: Partial<PodRecord> = {},
): PodRecord => ({
  namespace,
  name,
  nodeName,
  phase: 'Running',
  ready: true,
  podIP: null,
  labels,
  owner: null,
  terminating: false,
  ...extra,
});

export const service = (
  namespace: string,
  name: string,
  selector: Record<string, string> | null,
  extra: Partial<ServiceRecord> = {},
): ServiceRecord => ({
  namespace,
  name,
  type: 'ClusterIP',
  clusterIP: '10.96.0.10',
  ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: null }],
  selector,
  externalTrafficPolicy: null,
  labels: {},
  annotations: {},
  resourceVersion: '1',
  ...extra,
});

// The scale profile for benchmarks: many KWOK nodes, services and pods in the real apiserver.
import { kubectl } from './kube.mts';
import type { LabPaths } from './paths.mts';

export interface ScaleProfile {
  nodes: number;
  services: number;
  pods: number;
}
export const DEFAULT_SCALE: ScaleProfile = { nodes: 200, services: 2000, pods: 10_000 };
export const SCALE_NAMESPACE = 'scale';

const pad = (n: number) => String(n).padStart(5, '0');

export function scaleObjects(s: ScaleProfile): { nodes: object[]; workloads: object[] } {
  const nodes = Array.from({ length: s.nodes }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `scale-node-${pad(i)}`,
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
      labels: { 'kubernetes.io/hostname': `scale-node-${pad(i)}`, 'labgate.lab/scale': 'true' },
    },
    spec: { podCIDR: `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24` },
    status: {
      addresses: [{ type: 'InternalIP', address: `10.200.${Math.floor(i / 250)}.${(i % 250) + 2}` }],
      allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
      capacity: { cpu: '32', memory: '128Gi', pods: '110' },
    },
  }));
  // One Deployment behind each service; pods are spread over them.
  const workloads: object[] = [];
  for (let i = 0; i < s.services; i++) {
    const name = `svc-${pad(i)}`;
    const replicas = Math.floor(s.pods / s.services) + (i < s.pods % s.services ? 1 : 0);
    workloads.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: SCALE_NAMESPACE, labels: { app: name } },
      spec: { type: 'ClusterIP', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    workloads.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: SCALE_NAMESPACE, labels: { app: name } },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.lab/app:1' }] } },
      },
    });
  }
  return { nodes, workloads };
}

export async function addScale(prefix: string, p: LabPaths, s: ScaleProfile, log: (m: string) => void): Promise<void> {
  const k = kubectl(prefix, p.adminKubeconfig);
  const { nodes, workloads } = scaleObjects(s);
  const createAll = async (items: object[]) => {
    for (let i = 0; i < items.length; i += 400) {
      await k(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.slice(i, i + 400) }));
    }
  };
  await createAll(nodes);
  await k(['create', 'namespace', SCALE_NAMESPACE]);
  for (let i = 0; i < 60 && (await k.try(['get', 'serviceaccount', 'default', '-n', SCALE_NAMESPACE])).code !== 0; i++)
    await new Promise((r) => setTimeout(r, 250));
  await createAll(workloads);
  log(`scale objects created; waiting for ${s.pods} pods to run`);
  const until = Date.now() + 15 * 60_000;
  for (;;) {
    const running = (await k(['get', 'pods', '-n', SCALE_NAMESPACE, '--field-selector=status.phase=Running', '-o', 'name']))
      .split('\n')
      .filter(Boolean).length;
    if (running >= s.pods) return;
    if (Date.now() > until) throw new Error(`only ${running} of ${s.pods} scale pods are running after 15 minutes`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

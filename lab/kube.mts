// kubectl against the lab's apiserver, always from inside the lab's host namespace.
import fs from 'node:fs';
import path from 'node:path';
import { binary, pinnedVersion } from './build.mts';
import { must, run, type RunResult } from './exec.mts';
import { apiserverUrl } from './control-plane.mts';
import { ADMISSION_POLICY_MANIFEST, MANIFESTS, RBAC_MANIFEST, type LabPaths } from './paths.mts';
import { kubeconfig } from './pki.mts';
import { CONTROL_PLANE, KUBE_NODES, namespaces, type VmSpec } from './topology.mts';
import { labPaths } from './paths.mts';
import type { JoinCommand } from '../lib/domain/cluster/kubeadm-join.mts';
import { caCertHash } from '../lib/kube/join-token.mts';

export interface Kubectl {
  (args: readonly string[], input?: string): Promise<string>;
  try(args: readonly string[], input?: string): Promise<RunResult>;
}

export function kubectl(prefix: string, kubeconfigFile: string): Kubectl {
  const argv = (args: readonly string[]) => [
    'netns',
    'exec',
    namespaces(prefix).host,
    binary('kubectl'),
    `--kubeconfig=${kubeconfigFile}`,
    ...args,
  ];
  const fn = ((args: readonly string[], input?: string) => must('ip', argv(args), input === undefined ? {} : { input })) as Kubectl;
  fn.try = (args, input) => run('ip', argv(args), input === undefined ? {} : { input });
  return fn;
}

/** Node objects with their status set at creation (stored as given), for KWOK to keep Ready. */
export function nodeObjects(): object[] {
  return KUBE_NODES.map((vm) => nodeObject(vm as Required<VmSpec>));
}

function nodeObject(vm: Pick<VmSpec, 'name' | 'address'> & { podCidr: string }): object {
  const version = pinnedVersion('k8s.io/kubernetes');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: vm.name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': vm.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...(vm.name === CONTROL_PLANE ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: { podCIDR: vm.podCidr, podCIDRs: [vm.podCidr] },
    status: {
      addresses: [
        { type: 'InternalIP', address: vm.address },
        { type: 'Hostname', address: vm.name },
      ],
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      nodeInfo: {
        kubeletVersion: version,
        operatingSystem: 'linux',
        architecture: 'amd64',
        osImage: 'Ubuntu 22.04.5 LTS',
        containerRuntimeVersion: 'containerd://1.7.27',
        kernelVersion: '5.15.0-143-generic',
        kubeProxyVersion: '',
        bootID: '',
        machineID: '',
        systemUUID: '',
      },
    },
  };
}

/**
 * What `kubeadm join` does on a launched worker, as the lab can: the token checked as the
 * apiserver would take it (its Secret in kube-system, not expired, for authentication) and the
 * CA hash against the cluster's CA; then the kubelet registers the node (KWOK keeps it Ready),
 * with the next free pod CIDR. A join that does not check out registers nothing, as kubeadm fails.
 */
export async function joinWorker(prefix: string, name: string, address: string, join: JoinCommand): Promise<string | null> {
  const p = labPaths(prefix);
  const k = kubectl(prefix, p.adminKubeconfig);
  const [id, secret] = join.token.split('.') as [string, string];
  const found = await k.try(['get', 'secret', '-n', 'kube-system', `bootstrap-token-${id}`, '-o', 'json']);
  if (found.code !== 0) return `the bootstrap token ${id} does not exist`;
  const data = (JSON.parse(found.stdout) as { data: Record<string, string> }).data;
  const field = (key: string) => Buffer.from(data[key] ?? '', 'base64').toString('utf8');
  if (field('token-secret') !== secret) return 'the token secret is wrong';
  if (field('usage-bootstrap-authentication') !== 'true') return 'the token is not for authentication';
  if (!(Date.parse(field('expiration')) > Date.now())) return 'the token has expired';
  if (join.caHash !== caCertHash(fs.readFileSync(path.join(p.pki, 'ca.crt'), 'utf8'))) return "the CA hash is not the cluster CA's";
  const taken = (await k(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}'])).split(/\s+/);
  let n = KUBE_NODES.length;
  while (taken.includes(`10.244.${n}.0/24`)) n++;
  await k(['create', '-f', '-'], JSON.stringify(nodeObject({ name, address, podCidr: `10.244.${n}.0/24` })));
  return null;
}

export async function removeNode(prefix: string, name: string): Promise<void> {
  await kubectl(prefix, labPaths(prefix).adminKubeconfig)(['delete', 'node', name, '--ignore-not-found', '--wait=false']);
}

const manifest = (name: string) => fs.readFileSync(path.join(MANIFESTS, name), 'utf8');

/** Nodes, the workloads of topology.md and labgate's own identity, applied to a new cluster. */
export async function provisionCluster(prefix: string, p: LabPaths): Promise<void> {
  const k = kubectl(prefix, p.adminKubeconfig);
  await k(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: nodeObjects() }));
  await k(['create', 'namespace', 'monitoring']);
  // New namespaces get their default ServiceAccount from the controller-manager a moment later.
  for (const ns of ['default', 'monitoring']) {
    await waitOk(() => k.try(['get', 'serviceaccount', 'default', '-n', ns]), `ServiceAccount ${ns}/default`);
  }
  await k(['apply', '-f', '-'], manifest('kube-prometheus-stack.yaml'));
  await k(['apply', '-f', '-'], manifest('default-apps.yaml'));
  await k(['apply', '-f', '-'], fs.readFileSync(RBAC_MANIFEST, 'utf8'));
  await k(['apply', '-f', '-'], fs.readFileSync(ADMISSION_POLICY_MANIFEST, 'utf8'));
  const token = (await k(['create', 'token', 'labgate', '-n', 'labgate-system', '--duration=720h'])).trim();
  fs.writeFileSync(p.labgateKubeconfig, kubeconfig(apiserverUrl, path.join(p.pki, 'ca.crt'), { token }, 'labgate'), { mode: 0o600 });
}

async function waitOk(check: () => Promise<RunResult>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await check()).code !== 0) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until every pod of the cluster is Running and Ready (KWOK's doing, after the real scheduler's). */
export async function waitPodsReady(prefix: string, p: LabPaths, timeoutMs = 60_000): Promise<void> {
  const k = kubectl(prefix, p.adminKubeconfig);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pods = JSON.parse(await k(['get', 'pods', '-A', '-o', 'json'])) as {
      items: { status?: { phase?: string; conditions?: { type: string; status: string }[] } }[];
    };
    const notReady = pods.items.filter(
      (pod) => !(pod.status?.phase === 'Running' && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    );
    if (pods.items.length > 0 && notReady.length === 0) return;
    if (Date.now() > until) throw new Error(`timed out waiting for pods to be Ready: ${notReady.length} of ${pods.items.length} are not`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

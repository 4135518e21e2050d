// A real Kubernetes control plane in node1's namespace: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, and KWOK playing the kubelets.
import fs from 'node:fs';
import path from 'node:path';
import { binary, kwokStages } from './build.mts';
import { run } from './exec.mts';
import type { LabPaths } from './paths.mts';
import { startProcess, waitFor } from './processes.mts';
import { APISERVER_ADDRESS, APISERVER_PORT, CONTROL_PLANE, namespaces, NODE_PORT_RANGE, SERVICE_CIDR } from './topology.mts';
import { kubeconfig } from './pki.mts';

export const apiserverUrl = `https://${APISERVER_ADDRESS}:${APISERVER_PORT}`;
export const CONTROL_PLANE_PROCESSES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;

const curlOk = (ns: string, args: string[]) =>
  run('ip', ['netns', 'exec', ns, 'curl', '-fsS', '--max-time', '2', ...args]).then((r) => r.code === 0);

export function apiserverSpec(prefix: string, p: LabPaths) {
  const pki = (f: string) => path.join(p.pki, f);
  return {
    name: 'kube-apiserver',
    ns: namespaces(prefix).vm(CONTROL_PLANE),
    cmd: binary('kube-apiserver'),
    args: [
      '--etcd-servers=http://127.0.0.1:2379',
      `--bind-address=${APISERVER_ADDRESS}`,
      `--advertise-address=${APISERVER_ADDRESS}`,
      `--secure-port=${APISERVER_PORT}`,
      `--tls-cert-file=${pki('apiserver.crt')}`,
      `--tls-private-key-file=${pki('apiserver.key')}`,
      `--client-ca-file=${pki('ca.crt')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki('sa.pub')}`,
      `--service-account-signing-key-file=${pki('sa.key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      `--service-node-port-range=${NODE_PORT_RANGE}`,
      '--authorization-mode=Node,RBAC',
      '--allow-privileged=true',
      '--v=1',
    ],
  };
}

export async function waitApiserverReady(prefix: string, p: LabPaths, timeoutMs = 120_000): Promise<void> {
  const ns = namespaces(prefix).vm(CONTROL_PLANE);
  await waitFor('kube-apiserver /readyz', () => curlOk(ns, ['--cacert', path.join(p.pki, 'ca.crt'), `${apiserverUrl}/readyz`]), timeoutMs);
}

export async function startControlPlane(prefix: string, p: LabPaths): Promise<void> {
  const ns = namespaces(prefix).vm(CONTROL_PLANE);
  const dirs = { logs: p.logs, pids: p.pids };
  fs.writeFileSync(
    p.adminKubeconfig,
    kubeconfig(
      apiserverUrl,
      path.join(p.pki, 'ca.crt'),
      { certFile: path.join(p.pki, 'admin.crt'), keyFile: path.join(p.pki, 'admin.key') },
      'lab-admin',
    ),
    { mode: 0o600 },
  );

  startProcess(
    {
      name: 'etcd',
      ns,
      cmd: binary('etcd'),
      args: [
        '--name=node0',
        `--data-dir=${p.etcd}`,
        '--listen-client-urls=http://127.0.0.1:2379',
        '--advertise-client-urls=http://127.0.0.1:2379',
        '--listen-peer-urls=http://127.0.0.1:2380',
        '--initial-advertise-peer-urls=http://127.0.0.1:2380',
        '--initial-cluster=node0=http://127.0.0.1:2380',
        '--auto-compaction-retention=1',
        '--unsafe-no-fsync=true', // a throw-away store: speed over durability
        '--log-level=warn',
      ],
    },
    dirs,
  );
  await waitFor('etcd /health', () => curlOk(ns, ['http://127.0.0.1:2379/health']), 30_000);

  startProcess(apiserverSpec(prefix, p), dirs);
  await waitApiserverReady(prefix, p);

  for (const spec of controllerSpecs(prefix, p)) startProcess(spec, dirs);
  startProcess(
    {
      name: 'kwok',
      ns,
      cmd: binary('kwok'),
      args: [
        `--kubeconfig=${p.adminKubeconfig}`,
        `--config=${kwokStages()}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--cidr=10.244.0.0/16',
        '--node-lease-duration-seconds=40',
        '--server-address=127.0.0.1:10247',
      ],
    },
    dirs,
  );
  await waitControllersHealthy(prefix);
  await waitFor('kwok /healthz', () => curlOk(ns, ['http://127.0.0.1:10247/healthz']), 60_000);
}

/** The controller-manager and the scheduler, which the apiserver control restarts with it. */
export function controllerSpecs(prefix: string, p: LabPaths) {
  const ns = namespaces(prefix).vm(CONTROL_PLANE);
  const kc = p.adminKubeconfig;
  // Higher client rates than the defaults so the scale profile's pods are made in minutes, not tens of them.
  const common = [
    '--kube-api-qps=300',
    '--kube-api-burst=600',
    `--kubeconfig=${kc}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1',
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
    '--leader-elect=false',
    '--v=1',
  ];
  return [
    {
      name: 'kube-controller-manager',
      ns,
      cmd: binary('kube-controller-manager'),
      // A long grace period: the tests stop the apiserver on purpose, and KWOK never makes a pod Ready again once the controller has marked it not.
      args: [
        ...common,
        '--secure-port=10257',
        `--service-account-private-key-file=${path.join(p.pki, 'sa.key')}`,
        `--root-ca-file=${path.join(p.pki, 'ca.crt')}`,
        '--use-service-account-credentials=true',
        '--node-monitor-period=5s',
        '--node-monitor-grace-period=120s',
      ],
    },
    { name: 'kube-scheduler', ns, cmd: binary('kube-scheduler'), args: [...common, '--secure-port=10259'] },
  ];
}

export async function waitControllersHealthy(prefix: string): Promise<void> {
  const ns = namespaces(prefix).vm(CONTROL_PLANE);
  await waitFor('kube-controller-manager /healthz', () => curlOk(ns, ['-k', 'https://127.0.0.1:10257/healthz']), 60_000);
  await waitFor('kube-scheduler /healthz', () => curlOk(ns, ['-k', 'https://127.0.0.1:10259/healthz']), 60_000);
}

// The lab in a box: `up` builds and starts everything topology.md describes, `down` removes
// everything it made. Both are safe to repeat; `down` also cleans up after a crash.
import fs from 'node:fs';
import path from 'node:path';
import { ensureDebianPackages } from '../scripts/lib/setup.mts';
import { installBrowserWrapper } from './browser.mts';
import { binary, buildBinaries } from './build.mts';
import { CONTROL_PLANE_PROCESSES, startControlPlane, waitApiserverReady } from './control-plane.mts';
import { run } from './exec.mts';
import { NamespaceFirewall } from './firewall.mts';
import { provisionCluster, waitPodsReady } from './kube.mts';
import { LAB_MULTIPASS_PASSPHRASE, type OutputFormat } from './multipass/model.mts';
import { multipassInstallerUsed, startMultipassDaemon } from './multipass/process.mts';
import { networkDown, networkUp, listLabNamespaces } from './network.mts';
import { labPaths, REPO, type LabPaths } from './paths.mts';
import { makePki } from './pki.mts';
import { isAlive, pidsInNamespace, readPid, startProcess, stopPid, stopProcess, waitFor } from './processes.mts';
import { addScale, type ScaleProfile } from './scale.mts';
import { systemRootPath } from './system.mts';
import { installStandIn, readStandIn } from './multipass/standin.mts';
import { installRestoreSwitch, setRestoreFailing } from './faults.mts';
import { BRIDGE, KUBE_NODES, LAN, namespaces, validPrefix, vmByName } from './topology.mts';
import { busAddress, MDNS_PROCESSES, startMdns } from './mdns.mts';
import { caddyAdminSocket, startCaddy } from './caddy.mts';

// The LAN's mDNS (avahi-daemon on its D-Bus) and the TLS terminator (Caddy) are Debian's own.
export const LAB_PACKAGES = [
  'iproute2',
  'iptables',
  'conntrack',
  'openssl',
  'curl',
  'ca-certificates',
  'dbus',
  'avahi-daemon',
  'avahi-utils',
  'caddy',
];
export const AGENTS = [
  ...KUBE_NODES.map((n) => `node-proxy-${n.name}`),
  'services-ops',
  'services-nfs',
  'multipassd',
  ...MDNS_PROCESSES,
  'caddy',
];

export interface UpOptions {
  docker?: boolean;
  multipassFormat?: OutputFormat;
  scale?: ScaleProfile;
  log?: (message: string) => void;
}

export interface LabRecord {
  prefix: string;
  startedAt: string;
  docker: boolean;
  scale: ScaleProfile | null;
}

export function checkPrefix(prefix: string): void {
  if (!validPrefix(prefix)) throw new Error(`lab prefix "${prefix}" must be 1-10 characters of a-z, 0-9 and -, starting with a letter`);
}

function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('the lab makes network namespaces and runs iptables in them: run it as root');
}

const agent = (name: string) => path.join(REPO, 'lab', 'agents', name);

function startAgents(prefix: string, p: LabPaths): void {
  const ns = namespaces(prefix);
  const dirs = { logs: p.logs, pids: p.pids };
  const env = { ...process.env, LAB_PREFIX: prefix, LAB_KUBECONFIG: p.adminKubeconfig };
  for (const n of KUBE_NODES) {
    startProcess(
      {
        name: `node-proxy-${n.name}`,
        ns: ns.vm(n.name),
        cmd: process.execPath,
        args: [agent('node-proxy.mts')],
        env: { ...env, LAB_NODE: n.name },
        cwd: REPO,
      },
      dirs,
    );
  }
  startMultipassDaemon(prefix, p);
  for (const vm of ['ops', 'nfs']) {
    startProcess(
      {
        name: `services-${vm}`,
        ns: ns.vm(vm),
        cmd: process.execPath,
        args: [agent('vm-services.mts')],
        env: { ...env, LAB_VM: vm },
        cwd: REPO,
      },
      dirs,
    );
  }
}

export async function labUp(prefix: string, opts: UpOptions = {}): Promise<LabRecord> {
  const log = opts.log ?? (() => {});
  checkPrefix(prefix);
  requireRoot();
  ensureDebianPackages(LAB_PACKAGES);
  const build = await buildBinaries(log);
  if (build.built) log(`built the lab's binaries in ${build.seconds} s`);

  if ((await listLabNamespaces(prefix)).length) {
    log(`a lab with prefix ${prefix} is still there: taking it down first`);
    await labDown(prefix);
  }
  const p = labPaths(prefix);
  for (const dir of [p.etcd, p.logs, p.pids, p.pki, p.shared]) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(p.root, { recursive: true, mode: 0o700 });

  log('network: namespaces, veths, the bridge');
  await networkUp(prefix);
  const fw = new NamespaceFirewall(namespaces(prefix).host);
  await fw.applyMultipassRules(BRIDGE.name, BRIDGE.cidr);
  if (opts.docker) await fw.applyDockerRules();
  installStandIn(p, opts.multipassFormat ?? 'release');
  installBrowserWrapper(prefix, p);
  installRestoreSwitch(p);
  setRestoreFailing(p, false);

  log('control plane: certificates, etcd, kube-apiserver, controller-manager, scheduler, KWOK');
  await makePki(p.pki);
  await startControlPlane(prefix, p);
  await provisionCluster(prefix, p);
  startAgents(prefix, p);
  await startMdns(prefix, p);
  await startCaddy(prefix, p);
  await waitFor('the Multipass daemon stand-in', async () => fs.existsSync(p.multipassSocket), 10_000);
  await multipassInstallerUsed(p);
  if (opts.scale) {
    log(`scale profile: ${opts.scale.nodes} nodes, ${opts.scale.services} services, ${opts.scale.pods} pods`);
    await addScale(prefix, p, opts.scale, log);
  }
  await waitPodsReady(prefix, p, opts.scale ? 600_000 : 60_000);
  await waitAgentsAnswer(prefix);

  const record: LabRecord = { prefix, startedAt: new Date().toISOString(), docker: !!opts.docker, scale: opts.scale ?? null };
  fs.writeFileSync(p.labState, JSON.stringify(record, null, 2));
  return record;
}

/** Stops every process of the lab by its pid, removes its namespaces and its state (the demo's data dir stays). */
/**
 * Up means usable: every node answers the whoami NodePort (its responder has seen the Service)
 * and the VMs' own services answer, from the host as labgate will ask.
 */
async function waitAgentsAnswer(prefix: string): Promise<void> {
  const host = namespaces(prefix).host;
  const urls = [
    ...KUBE_NODES.map((n) => `http://${n.address}:30080/`),
    `http://${vmByName('ops')!.address}:8080/`,
    `telnet://${vmByName('nfs')!.address}:3306`,
  ];
  for (const url of urls) {
    await waitFor(
      `${url} to answer`,
      async () => (await run('ip', ['netns', 'exec', host, 'curl', '-s', '--max-time', '1', url], {})).stdout.length > 0,
      30_000,
    );
  }
}

export async function labDown(prefix: string): Promise<{ namespaces: string[]; processes: number }> {
  checkPrefix(prefix);
  requireRoot();
  const p = labPaths(prefix);
  // Everything stops at once: nothing is left to need anything else.
  const named = ['demo-forward-root', 'demo-forward-host', 'demo-app', ...AGENTS, ...CONTROL_PLANE_PROCESSES];
  let processes = (await Promise.all(named.map((name) => stopProcess(name, p.pids, 3_000)))).filter(Boolean).length;
  // Anything else still inside a lab namespace is the lab's too (after a crash, pid files may be gone).
  const stragglers = (await Promise.all((await listLabNamespaces(prefix)).map(pidsInNamespace))).flat();
  await Promise.all(stragglers.map((pid) => stopPid(pid, 3_000)));
  processes += stragglers.length;
  const removed = await networkDown(prefix);
  for (const entry of fs.existsSync(p.root) ? fs.readdirSync(p.root) : []) {
    if (entry !== path.basename(p.dataDir)) fs.rmSync(path.join(p.root, entry), { recursive: true, force: true });
  }
  fs.rmSync(p.shared, { recursive: true, force: true });
  return { namespaces: removed, processes };
}

export interface LabStatus {
  prefix: string;
  up: boolean;
  namespaces: string[];
  processes: Record<string, 'running' | 'stopped'>;
  apiserverReady: boolean;
  multipassDaemon: 'running' | 'stopped' | 'absent';
  stateDir: string;
}

export async function labStatus(prefix: string): Promise<LabStatus> {
  checkPrefix(prefix);
  const p = labPaths(prefix);
  const found = await listLabNamespaces(prefix);
  const processes: LabStatus['processes'] = {};
  for (const name of [...CONTROL_PLANE_PROCESSES, ...AGENTS]) {
    const pid = readPid(p.pids, name);
    processes[name] = pid && isAlive(pid) ? 'running' : 'stopped';
  }
  let apiserverReady = false;
  if (found.length)
    apiserverReady = await waitApiserverReady(prefix, p, 1).then(
      () => true,
      () => false,
    );
  let multipassDaemon: LabStatus['multipassDaemon'] = 'absent';
  try {
    multipassDaemon = readStandIn(p).daemon;
  } catch {
    /* no stand-in state */
  }
  return {
    prefix,
    up: found.length === namespaces(prefix).all.length,
    namespaces: found,
    processes,
    apiserverReady,
    multipassDaemon,
    stateDir: p.root,
  };
}

/** What a process in the lab's host namespace needs to act as labgate on the lab host. */
export function labEnv(prefix: string): Record<string, string> {
  const p = labPaths(prefix);
  return {
    LABGATE_LAB_PREFIX: prefix,
    KUBECONFIG: p.adminKubeconfig,
    LABGATE_LAB_LABGATE_KUBECONFIG: p.labgateKubeconfig,
    LABGATE_LAB_MULTIPASS_STATE: p.multipassState,
    LABGATE_MULTIPASS_SOCKET: p.multipassSocket,
    LABGATE_LAB_MULTIPASS_PASSPHRASE: LAB_MULTIPASS_PASSPHRASE,
    LABGATE_LAB_SYSTEM_ROOT: systemRootPath(), // made by npm test (or `npm run lab -- system-root`) outside the lab
    LABGATE_LAN_INTERFACE: LAN.hostInterface,
    LABGATE_LAN_ADDRESS: LAN.host,
    LABGATE_LAB_BIN: p.bin,
    LABGATE_LAB_KUBECTL: binary('kubectl'),
    LABGATE_LAB_CHROMIUM: path.join(p.bin, 'chromium-lan'),
    DBUS_SYSTEM_BUS_ADDRESS: busAddress(p, 'host'), // the lab host's system bus, where its avahi-daemon is
    LABGATE_LAB_LAN_BUS: busAddress(p, 'lan'), // the laptop's, for resolving names as it would
    LABGATE_CADDY_ADMIN: caddyAdminSocket(p),
    LABGATE_RUNTIME_DIR: path.join(p.shared, 'labgate'), // the lab's host lock, apart from a real install's and other labs'

    PATH: `${p.bin}:${process.env.PATH ?? ''}`,
  };
}

/** Runs a command inside the lab's host namespace with the lab's environment. */
export function inHost(prefix: string, cmd: string, args: readonly string[]) {
  return run('ip', [
    'netns',
    'exec',
    namespaces(prefix).host,
    'env',
    ...Object.entries(labEnv(prefix)).map(([k, v]) => `${k}=${v}`),
    cmd,
    ...args,
  ]);
}

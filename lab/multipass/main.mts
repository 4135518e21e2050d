// The lab's Multipass daemon over gRPC (lab/multipass/daemon.mts) on the lab's socket, running
// while the lab's Multipass state says the daemon runs: `multipass daemon stop` in the lab takes
// its socket away, as stopping multipassd does. Accepted client certificates are kept in a file.
import fs from 'node:fs';
import { startStandInDaemon, type StandInDaemon } from './daemon.mts';
import { Lifecycle } from './lifecycle.mts';
import type { StandInState } from './model.mts';
import { removeVmNetwork, vmNetworkDown, vmNetworkUp } from '../network.mts';
import path from 'node:path';
import { cloudInitPackages } from './launch.mts';
import { joinWorker, removeNode } from '../kube.mts';
import { parseJoinCommand } from '../../lib/domain/cluster/kubeadm-join.mts';
import { labPaths, REPO } from '../paths.mts';
import { run } from '../exec.mts';
import { startProcess, stopProcess, waitFor } from '../processes.mts';
import { namespaces, vmByName } from '../topology.mts';

const { LAB_MULTIPASS_STATE: stateFile, LAB_MULTIPASS_SOCKET: socket, LAB_MULTIPASS_CERTS: certStore } = process.env;
if (!stateFile || !socket || !certStore) throw new Error('LAB_MULTIPASS_STATE, LAB_MULTIPASS_SOCKET and LAB_MULTIPASS_CERTS are needed');
const adminGroup = Number(/^sudo:[^:]*:(\d+):/m.exec(fs.readFileSync('/etc/group', 'utf8'))?.[1] ?? 0); // as on a real host
const read = (): StandInState | null => {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as StandInState;
  } catch {
    return null; // being rewritten: the next look sees it
  }
};
let last: StandInState = read()!;
const prefix = process.env.LAB_PREFIX ?? '';
// Written whole and renamed, as the lab writes it: the CLI and the next call never read half a file.
const write = (state: StandInState) => {
  fs.writeFileSync(`${stateFile}.daemon`, JSON.stringify(state, null, 2), { mode: 0o644 });
  fs.renameSync(`${stateFile}.daemon`, stateFile);
};
/** One of the lab's agents in a launched VM (its services, its kube-proxy), as the lab runs them in its own VMs. */
function vmAgent(vm: string, agent: 'services' | 'node-proxy', env: Record<string, string>): void {
  const p = labPaths(prefix);
  startProcess(
    {
      name: `${agent}-${vm}`,
      ns: namespaces(prefix).vm(vm),
      cmd: process.execPath,
      args: [path.join(REPO, 'lab', 'agents', agent === 'services' ? 'vm-services.mts' : 'node-proxy.mts')],
      env: { ...process.env, LAB_PREFIX: prefix, ...env },
      cwd: REPO,
    },
    { logs: p.logs, pids: p.pids },
  );
}

// A VM boots in about a second here (the real ones take 20 s to a minute); a shutdown's minute is a minute.
const lifecycle = new Lifecycle({
  update: async (change) => {
    const state = read() ?? last;
    change(state);
    write(state);
    return (last = state);
  },
  network: {
    up: (name) =>
      vmNetworkUp(
        prefix,
        name,
        (read() ?? last).instances.flatMap((i) => i.ipv4),
      ),
    down: (name) => vmNetworkDown(prefix, name),
  },
  bootMs: Number(process.env.LAB_MULTIPASS_BOOT_MS ?? 1_000),
  minuteMs: 60_000,
  downloadStepMs: Number(process.env.LAB_MULTIPASS_DOWNLOAD_STEP_MS ?? 150),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  launched: async (name, address, userData) => {
    // A worker's cloud-init runs kubeadm join: the node registers, or the join fails and the VM runs without it.
    const join = parseJoinCommand(userData);
    if (join) {
      const failed = await joinWorker(prefix, name, address, join);
      console.log(`multipassd stand-in: ${name}: ${failed ? `kubeadm join failed: ${failed}` : 'joined the cluster'}`);
      // A joined node runs kube-proxy: its NodePorts answer, as the lab's other nodes' do.
      if (!failed) vmAgent(name, 'node-proxy', { LAB_NODE: name, LAB_KUBECONFIG: labPaths(prefix).adminKubeconfig });
    }
    // What cloud-init would install that the lab can stand in for: nginx's welcome page.
    if (!cloudInitPackages(userData).includes('nginx')) return;
    vmAgent(name, 'services', { LAB_VM: 'nginx' });
    // The daemon answers once cloud-init is done: nginx answers by then (asked inside the VM, on its loopback).
    const ns = namespaces(prefix).vm(name);
    await waitFor(
      `nginx in ${name}`,
      async () => (await run('ip', ['netns', 'exec', ns, 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1/'])).code === 0,
      10_000,
    );
  },
  // A launched VM leaves nothing behind; the lab's own VMs keep their namespaces (a test restores them).
  purged: async (name) => {
    if (vmByName(name)) return;
    await removeNode(prefix, name);
    for (const agent of ['services', 'node-proxy']) await stopProcess(`${agent}-${name}`, labPaths(prefix).pids);
    await removeVmNetwork(prefix, name);
  },
});
let daemon: StandInDaemon | null = null;
let changing = false;

async function follow(): Promise<void> {
  if (changing) return;
  changing = true;
  try {
    last = read() ?? last;
    if (last.daemon === 'running' && !daemon) {
      daemon = await startStandInDaemon({
        socket: socket!,
        state: () => (last = read() ?? last),
        passphrase: process.env.LAB_MULTIPASS_PASSPHRASE ?? null,
        certStore,
        adminGroup,
        lifecycle,
      });
      console.log(`multipassd stand-in: listening on ${socket}`);
    } else if (last.daemon !== 'running' && daemon) {
      await daemon.stop();
      daemon = null;
      fs.rmSync(socket!, { force: true });
      console.log('multipassd stand-in: stopped');
    }
  } finally {
    changing = false;
  }
}

await follow();
setInterval(() => void follow(), 200);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void daemon?.stop().finally(() => process.exit(0)));

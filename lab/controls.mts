// Controls for tests and benchmarks: things that happen to a real lab host.
import { apiserverSpec, controllerSpecs, waitApiserverReady, waitControllersHealthy } from './control-plane.mts';
import { NamespaceFirewall } from './firewall.mts';
import { kubectl } from './kube.mts';
import { changeVmAddress, removeVmNetwork, vmNetworkDown, vmNetworkUp } from './network.mts';
import { multipassInstallerUsed, startMultipassDaemon } from './multipass/process.mts';
import { LAB_MULTIPASS_PASSPHRASE, seedState, STATE_WORDS, storedCertificates, type InstanceStateWord } from './multipass/model.mts';
import { labPaths } from './paths.mts';
import { startProcess, stopProcess, waitFor } from './processes.mts';
import { readStandIn, setMultipassDaemon, writeStandIn } from './multipass/standin.mts';
import { APISERVER_ADDRESS, BRIDGE, namespaces, vmByName } from './topology.mts';
import fs from 'node:fs';

export interface PodRef {
  namespace: string;
  selector: string; // a label selector, e.g. app.kubernetes.io/name=grafana
}

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export async function podNodes(prefix: string, ref: PodRef): Promise<{ name: string; node: string; ready: boolean }[]> {
  const k = kubectl(prefix, labPaths(prefix).adminKubeconfig);
  const pods = JSON.parse(await k(['get', 'pods', '-n', ref.namespace, '-l', ref.selector, '-o', 'json'])) as { items: PodJson[] };
  return pods.items
    .filter((pod) => !pod.metadata.deletionTimestamp)
    .map((pod) => ({
      name: pod.metadata.name,
      node: pod.spec.nodeName ?? '',
      ready: pod.status?.phase === 'Running' && !!pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    }));
}

/**
 * Moves a workload's pod the way a person or a failure would: cordon its node, delete the pod,
 * let the real scheduler place the new one elsewhere, then uncordon. Returns both nodes.
 */
export async function movePod(prefix: string, ref: PodRef, timeoutMs = 60_000): Promise<{ from: string; to: string }> {
  const k = kubectl(prefix, labPaths(prefix).adminKubeconfig);
  const before = await podNodes(prefix, ref);
  const pod = before[0];
  if (!pod) throw new Error(`no pod matches ${ref.selector} in ${ref.namespace}`);
  await k(['cordon', pod.node]);
  try {
    await k(['delete', 'pod', '-n', ref.namespace, pod.name, '--wait=false']);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const now = await podNodes(prefix, ref);
      const moved = now.find((p) => p.name !== pod.name && p.ready);
      if (moved) return { from: pod.node, to: moved.node };
      if (Date.now() > until)
        throw new Error(`the pod of ${ref.selector} did not come back Ready on another node within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await k(['uncordon', pod.node]);
  }
}

/** A host reboot's effect on the firewall: nat and filter emptied, then the daemons put their rules back. */
export async function rebootFirewall(prefix: string): Promise<void> {
  const fw = new NamespaceFirewall(namespaces(prefix).host);
  const p = labPaths(prefix);
  await fw.wipeNatAndFilter();
  const state = readStandIn(p);
  if (state.daemon === 'running') {
    // multipassd at start: its old rules (the mangle one survived) out, its rules in.
    await fw.removeMultipassRules(state.bridge, state.subnet);
    await fw.applyMultipassRules(state.bridge, state.subnet);
  }
  const record = JSON.parse(fs.readFileSync(p.labState, 'utf8')) as { docker: boolean };
  if (record.docker) await fw.applyDockerRules();
}

/** Switches the Docker-style rule set on or off; a later reboot puts back what is on. */
export async function dockerRules(prefix: string, on: boolean): Promise<void> {
  const p = labPaths(prefix);
  const fw = new NamespaceFirewall(namespaces(prefix).host);
  await (on ? fw.applyDockerRules() : fw.removeDockerRules());
  const record = JSON.parse(fs.readFileSync(p.labState, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(p.labState, JSON.stringify({ ...record, docker: on }, null, 2));
}

/** The Multipass daemon stopped or started: its firewall clean-up, and its socket gone or back before this returns. */
export async function multipassDaemon(prefix: string, to: 'running' | 'stopped'): Promise<void> {
  const p = labPaths(prefix);
  await setMultipassDaemon(prefix, p, to);
  await waitFor(`the Multipass daemon ${to}`, async () => fs.existsSync(p.multipassSocket) === (to === 'running'), 10_000, 50);
}

export function setMultipassFormat(prefix: string, format: 'release' | 'zones'): void {
  const p = labPaths(prefix);
  writeStandIn(p, { ...readStandIn(p), format });
}

/** What Multipass reports of an instance's state from now on (the VM itself keeps running: only the daemon's word changes). */
export function setMultipassState(prefix: string, instance: string, state: string): void {
  const p = labPaths(prefix);
  const standIn = readStandIn(p);
  const entry = standIn.instances.find((i) => i.name === instance);
  if (!entry) throw new Error(`Multipass has no lab instance "${instance}"`);
  if (!(STATE_WORDS as readonly string[]).includes(state))
    throw new Error(`"${state}" is not a Multipass state: ${STATE_WORDS.join(', ')}`);
  entry.state = state as InstanceStateWord;
  writeStandIn(p, standIn);
}

/** How long the daemon's list and info take from now on (0: at once). */
export function setMultipassSlowness(prefix: string, answerDelayMs: number): void {
  const p = labPaths(prefix);
  writeStandIn(p, { ...readStandIn(p), answerDelayMs });
}

export async function apiserver(prefix: string, to: 'running' | 'stopped'): Promise<void> {
  const p = labPaths(prefix);
  if (to === 'stopped') {
    await stopProcess('kube-apiserver', p.pids);
    return;
  }
  startProcess(apiserverSpec(prefix, p), { logs: p.logs, pids: p.pids });
  await waitApiserverReady(prefix, p);
  // Restarted with it, as static pods on a control-plane host do, so their watches start fresh
  // instead of waiting out client-go's backoff (KWOK keeps running: its node leases must not move).
  for (const spec of controllerSpecs(prefix, p)) {
    await stopProcess(spec.name, p.pids);
    startProcess(spec, { logs: p.logs, pids: p.pids });
  }
  await waitControllersHealthy(prefix);
}

/** Gives an instance a new address on the bridge, as DHCP might after a restart; Multipass and the Node report it. */
export async function setInstanceAddress(prefix: string, instance: string, address: string): Promise<void> {
  const p = labPaths(prefix);
  const vm = vmByName(instance);
  if (!vm) throw new Error(`no running lab instance "${instance}"`);
  if (vm.address === APISERVER_ADDRESS) throw new Error(`${instance} carries the apiserver's address; it cannot move`);
  if (!/^10\.120\.52\.(\d{1,3})$/.test(address) || Number(address.split('.')[3]) < 2 || Number(address.split('.')[3]) > 254) {
    throw new Error(`${address} is not a host address in ${BRIDGE.cidr}`);
  }
  const state = readStandIn(p);
  const entry = state.instances.find((i) => i.name === instance)!;
  await changeVmAddress(prefix, instance, address);
  entry.ipv4 = [address, ...entry.ipv4.slice(1)];
  writeStandIn(p, state);
  if (vm.podCidr) {
    const k = kubectl(prefix, p.adminKubeconfig);
    const patch = {
      status: {
        addresses: [
          { type: 'InternalIP', address },
          { type: 'Hostname', address: instance },
        ],
      },
    };
    await k(['patch', 'node', instance, '--subresource=status', '--type=merge', '-p', JSON.stringify(patch)]);
  }
}

/**
 * kubectl's arguments that make Grafana's Service what the reference lab's person made it —
 * a NodePort on 30060 — or put it back to ClusterIP (the lab's starting state).
 */
export function grafanaNodePortArgs(nodePort: boolean): string[] {
  const patch = nodePort
    ? [
        { op: 'replace', path: '/spec/type', value: 'NodePort' },
        { op: 'add', path: '/spec/ports/0/nodePort', value: 30060 },
      ]
    : [
        { op: 'replace', path: '/spec/type', value: 'ClusterIP' },
        { op: 'remove', path: '/spec/ports/0/nodePort' },
      ];
  return ['patch', 'service', '-n', 'monitoring', 'kps-grafana', '--type=json', '-p', JSON.stringify(patch)];
}

/**
 * A fresh Multipass daemon (just installed): no client accepted yet, its socket its admin group's
 * only; `used`: then its installing user's client accepted, as on a host where Multipass has been
 * used (the lab's default), its socket open to every user.
 */
export async function freshMultipassDaemon(prefix: string, { used = false } = {}): Promise<void> {
  const p = labPaths(prefix);
  await stopProcess('multipassd', p.pids, 3_000);
  fs.rmSync(p.multipassCerts, { force: true });
  fs.rmSync(p.multipassSocket, { force: true });
  startMultipassDaemon(prefix, p);
  await waitFor('the Multipass daemon stand-in', async () => fs.existsSync(p.multipassSocket), 10_000);
  if (used) await multipassInstallerUsed(p);
}

/** labgate's Multipass identity in a server's data dir, accepted by the lab's daemon as `labgate multipass-auth` gets it accepted. */
export async function acceptedByMultipass(prefix: string, dataDir: string): Promise<void> {
  // npm packages: loaded when needed
  const { clientIdentity } = await import('../lib/multipass/identity.mts');
  const { MultipassRpc } = await import('../lib/multipass/rpc.mts');
  const rpc = new MultipassRpc(labPaths(prefix).multipassSocket, await clientIdentity(dataDir));
  try {
    await rpc.authenticate(LAB_MULTIPASS_PASSPHRASE);
  } finally {
    rpc.close();
  }
}

/**
 * The daemon's owner takes labgate's client certificate back, the one way Multipass offers: out of
 * the daemon's store of accepted certificates, then the daemon restarted (it reads the store at start).
 */
export async function revokedByMultipass(prefix: string, dataDir: string): Promise<void> {
  const { clientIdentity } = await import('../lib/multipass/identity.mts');
  const { cert } = await clientIdentity(dataDir);
  const store = labPaths(prefix).multipassCerts;
  fs.writeFileSync(
    store,
    storedCertificates(store)
      .filter((pem) => pem.trim() !== cert.trim())
      .join(''),
    { mode: 0o600 },
  );
  await multipassDaemon(prefix, 'stopped');
  await multipassDaemon(prefix, 'running');
}

/** Puts an instance back as the lab seeds it (after a test deleted, purged or started it): state, addresses, network. */
export async function restoreSeedInstance(prefix: string, name: string): Promise<void> {
  const p = labPaths(prefix);
  const seed = seedState().instances.find((i) => i.name === name);
  if (!seed) throw new Error(`the lab seeds no instance "${name}"`);
  const state = readStandIn(p);
  writeStandIn(p, { ...state, instances: [...state.instances.filter((i) => i.name !== name), seed] });
  if (seed.state === 'Running') await vmNetworkUp(prefix, name, []);
  else if (vmByName(name)) await vmNetworkDown(prefix, name);
  else await removeVmNetwork(prefix, name); // one that never ran here again: its DHCP address is free
}

/** The daemon's downloaded images forgotten, as on a fresh host: the next launch of each downloads it. */
export function forgetImages(prefix: string): void {
  const p = labPaths(prefix);
  writeStandIn(p, { ...readStandIn(p), cachedImages: [] });
}

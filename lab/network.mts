// The lab's hosts as network namespaces joined by veths and the Multipass bridge.
// Only `ip` commands aimed at the lab's own namespaces: the root namespace is never changed.
import { must, run } from './exec.mts';
import { BRIDGE, LAN, namespaces, VMS, type VmSpec } from './topology.mts';

const ip = (...args: string[]) => must('ip', args);
const ipIn = (ns: string, ...args: string[]) => must('ip', ['-n', ns, ...args]);

export async function listLabNamespaces(prefix: string): Promise<string[]> {
  const out = await must('ip', ['-j', 'netns', 'list']);
  const list = (out.trim() ? JSON.parse(out) : []) as { name: string }[];
  return list.map((n) => n.name).filter((n) => n.startsWith(prefix));
}

async function addNamespace(ns: string): Promise<void> {
  await ip('netns', 'add', ns);
  await ipIn(ns, 'link', 'set', 'lo', 'up');
}

/** The veth between the bridge and one VM; the VM side is eth0, its host side vm-<name>. */
async function attachVm(prefix: string, vm: VmSpec): Promise<void> {
  const ns = namespaces(prefix);
  const hostSide = `vm-${vm.name}`.slice(0, 15);
  await ipIn(ns.host, 'link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.vm(vm.name));
  await ipIn(ns.host, 'link', 'set', hostSide, 'master', BRIDGE.name, 'up');
  await ipIn(ns.vm(vm.name), 'addr', 'add', `${vm.address}/24`, 'dev', 'eth0');
  await ipIn(ns.vm(vm.name), 'link', 'set', 'eth0', 'up');
  await ipIn(ns.vm(vm.name), 'route', 'add', 'default', 'via', BRIDGE.address);
  if (vm.flannelAddress) {
    // The CNI address Multipass lists as a node's second IPv4 (on lo: no tunnel device is needed).
    await ipIn(ns.vm(vm.name), 'addr', 'add', `${vm.flannelAddress}/32`, 'dev', 'lo');
  }
}

export async function networkUp(prefix: string): Promise<void> {
  const ns = namespaces(prefix);
  for (const name of ns.all) await addNamespace(name);
  // The LAN: a wire between the laptop and the host's enp3s0.
  await ipIn(ns.host, 'link', 'add', LAN.hostInterface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.lan);
  await ipIn(ns.host, 'addr', 'add', `${LAN.host}/24`, 'dev', LAN.hostInterface);
  await ipIn(ns.host, 'link', 'set', LAN.hostInterface, 'up');
  // A default route over the LAN, as a real host has, so the LAN interface can be detected from it.
  await ipIn(ns.host, 'route', 'add', 'default', 'via', LAN.gateway, 'dev', LAN.hostInterface, 'onlink');
  await ipIn(ns.lan, 'addr', 'add', `${LAN.laptop}/24`, 'dev', 'eth0');
  await ipIn(ns.lan, 'link', 'set', 'eth0', 'up');
  // The Multipass bridge in the host.
  await ipIn(ns.host, 'link', 'add', BRIDGE.name, 'type', 'bridge');
  await ipIn(ns.host, 'addr', 'add', `${BRIDGE.address}/24`, 'dev', BRIDGE.name);
  await ipIn(ns.host, 'link', 'set', BRIDGE.name, 'up');
  for (const vm of VMS) await attachVm(prefix, vm);
  await must('ip', ['netns', 'exec', ns.host, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
}

/** Removes every namespace with the prefix (their veths and bridge go with them). Idempotent. */
export async function networkDown(prefix: string): Promise<string[]> {
  const found = await listLabNamespaces(prefix);
  for (const ns of found) await run('ip', ['netns', 'delete', ns]);
  return found;
}

/** Moves a VM to another address on the bridge, as a DHCP change would. */
export async function changeVmAddress(prefix: string, vm: string, to: string): Promise<void> {
  const ns = namespaces(prefix).vm(vm);
  await ipIn(ns, 'addr', 'flush', 'dev', 'eth0');
  await ipIn(ns, 'addr', 'add', `${to}/24`, 'dev', 'eth0');
  await ipIn(ns, 'route', 'replace', 'default', 'via', BRIDGE.address);
  // A VM's DHCP client announces the address it takes, so the host forgets which VM held it
  // before (an earlier test's); without that, the host sends to the old holder until it re-probes.
  await run('ip', ['-n', namespaces(prefix).host, 'neigh', 'del', to, 'dev', BRIDGE.name]);
}

/** Addresses the bridge's DHCP hands to VMs that come up without one (a started or launched instance). */
export const DHCP_RANGE = { first: 100, last: 199 } as const;

async function vmAddress(ns: string): Promise<string | null> {
  const out = await run('ip', ['-n', ns, '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
  if (out.code !== 0) return null;
  const [link] = JSON.parse(out.stdout || '[]') as { addr_info?: { local: string }[] }[];
  return link?.addr_info?.[0]?.local ?? null;
}

/**
 * A VM's network comes up as the daemon boots it: its eth0 up again, or, for an instance that has
 * never run here, a namespace of its own on the bridge with the next free address of DHCP_RANGE.
 */
export async function vmNetworkUp(prefix: string, name: string, taken: readonly string[]): Promise<string> {
  const ns = namespaces(prefix).vm(name);
  if ((await listLabNamespaces(prefix)).includes(ns)) {
    await ipIn(ns, 'link', 'set', 'eth0', 'up');
    await ipIn(ns, 'route', 'replace', 'default', 'via', BRIDGE.address);
    const address = await vmAddress(ns);
    if (!address) throw new Error(`${name} has no address on eth0`);
    return address;
  }
  const base = BRIDGE.address.split('.').slice(0, 3).join('.');
  let address: string | undefined;
  for (let n: number = DHCP_RANGE.first; n <= DHCP_RANGE.last && !address; n++)
    if (!taken.includes(`${base}.${n}`)) address = `${base}.${n}`;
  if (!address) throw new Error('the bridge has no free address left');
  await dropVeth(prefix, name); // one a VM of that name left behind
  await addNamespace(ns);
  await attachVm(prefix, { name, address });
  // As a booting VM's own ARP would: the host forgets whichever VM had this address before.
  await run('ip', ['-n', namespaces(prefix).host, 'neigh', 'flush', 'to', address]);
  return address;
}

/** A VM's network goes down as it stops, suspends or is deleted: nothing reaches it any more. */
export async function vmNetworkDown(prefix: string, name: string): Promise<void> {
  const ns = namespaces(prefix).vm(name);
  if ((await listLabNamespaces(prefix)).includes(ns)) await run('ip', ['-n', ns, 'link', 'set', 'eth0', 'down']); // none: already off the bridge
}

/** The VM's veth, taken off the bridge at once (deleting one end deletes both, whoever still holds the namespace). */
async function dropVeth(prefix: string, name: string): Promise<void> {
  await run('ip', ['-n', namespaces(prefix).host, 'link', 'del', `vm-${name}`.slice(0, 15)]);
}

/** A launched VM purged: its namespace (and with it its veth on the bridge) goes. */
export async function removeVmNetwork(prefix: string, name: string): Promise<void> {
  const ns = namespaces(prefix).vm(name);
  await dropVeth(prefix, name);
  if ((await listLabNamespaces(prefix)).includes(ns)) await run('ip', ['netns', 'delete', ns]);
}

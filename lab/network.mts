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
}

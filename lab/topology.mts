// The reference lab (topology.md), as data. Pure: no I/O, so the lab, its stand-ins and the
// tests all read the same facts. Runs under plain Node (type stripping) as well as tsx.

export const LAN = {
  cidr: '192.168.50.0/24',
  gateway: '192.168.50.1',
  laptop: '192.168.50.10',
  phone: '192.168.50.11', // a second device, added to the laptop's namespace by the tests that need one (lanDevice)
  host: '192.168.50.27',
  hostInterface: 'enp3s0',
} as const;
export const BRIDGE = { name: 'mpqemubr0', address: '10.120.52.1', cidr: '10.120.52.0/24' } as const;
export const APISERVER_PORT = 6443;
export const SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_RANGE = '30000-32767';

export interface VmSpec {
  name: string;
  address: string; // on the Multipass bridge
  podCidr?: string; // Kubernetes nodes only
  flannelAddress?: string; // the extra CNI address Multipass lists for a node
}

export const VMS: readonly VmSpec[] = [
  { name: 'node1', address: '10.120.52.23', podCidr: '10.244.0.0/24', flannelAddress: '10.244.0.0' },
  { name: 'node2', address: '10.120.52.24', podCidr: '10.244.1.0/24', flannelAddress: '10.244.1.0' },
  { name: 'node3', address: '10.120.52.25', podCidr: '10.244.2.0/24', flannelAddress: '10.244.2.0' },
  { name: 'nfs', address: '10.120.52.30' },
  { name: 'ops', address: '10.120.52.31' },
];

/** Listed by Multipass but stopped: no namespace, no address. */
export const STOPPED_INSTANCES = ['scratch'] as const;

export const KUBE_NODES = VMS.filter((v) => v.podCidr);
export const CONTROL_PLANE = 'node1';
export const APISERVER_ADDRESS = VMS[0]!.address;

export const DEFAULT_PREFIX = 'lg-';

/** Network namespace names for a lab prefix. Namespace names are global; interface names are per namespace. */
export function namespaces(prefix: string) {
  return {
    lan: `${prefix}lan`,
    host: `${prefix}host`,
    vm: (name: string) => `${prefix}${name}`,
    all: [`${prefix}lan`, `${prefix}host`, ...VMS.map((v) => `${prefix}${v.name}`)],
  };
}

/** A prefix must keep namespace names short and shell- and path-safe. */
export function validPrefix(prefix: string): boolean {
  return /^[a-z][a-z0-9-]{0,9}$/.test(prefix);
}

export function vmByName(name: string): VmSpec | undefined {
  return VMS.find((v) => v.name === name);
}

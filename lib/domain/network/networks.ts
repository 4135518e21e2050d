/** IPv4 checks for everything that may become a forward's target ("no open relay", no hijack). Pure. */

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const DOTTED_QUAD = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}/(3[0-2]|[12]?[0-9])$`);

/** A dotted quad exactly as iptables-save prints one: four decimal octets, no leading zeros, nothing else. */
export const isIpv4 = (s: unknown): boolean => typeof s === 'string' && DOTTED_QUAD.test(s);
export const isCidr = (s: unknown): boolean => typeof s === 'string' && CIDR.test(s);

export function ipToInt(ip: string): number | null {
  if (!isIpv4(ip)) return null;
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

const intToIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const maskOf = (bits: number) => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

function parseCidr(cidr: string): { base: number; bits: number } | null {
  if (!isCidr(cidr)) return null;
  const [ip, bits] = cidr.split('/') as [string, string];
  return { base: ipToInt(ip)!, bits: Number(bits) };
}

export function inCidr(ip: string, cidr: string): boolean {
  const a = ipToInt(ip);
  const c = parseCidr(cidr);
  if (a === null || !c) return false;
  const mask = maskOf(c.bits);
  return (a & mask) >>> 0 === (c.base & mask) >>> 0;
}

/** The network an interface address sits in: 10.120.52.1 with /24 → 10.120.52.0/24. */
export function networkOf(ip: string, bits: number): string | null {
  const a = ipToInt(ip);
  if (a === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  return `${intToIp((a & maskOf(bits)) >>> 0)}/${bits}`;
}

/**
 * A source in an access rule, as iptables keeps it: an address is its /32, a network its own
 * base (192.168.50.7/24 is 192.168.50.0/24, as the kernel would store it). Null: not IPv4, or
 * wider than a /8 (everyone is no access rule at all).
 */
export function canonicalSource(value: string): string | null {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length || !isIpv4(address)) return null;
  if (bits === undefined) return `${address}/32`;
  return /^\d{1,2}$/.test(bits) && Number(bits) >= WIDEST_ALLOWED_BITS ? networkOf(address!, Number(bits)) : null;
}

/** Sources as a person writes them, in a field or an annotation: separated by commas, spaces or lines. */
export const splitSources = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** A source as a person reads it: an address without its /32. */
export const shownSource = (source: string): string => source.replace(/\/32$/, '');

/** Whether an access rule lets this address in (null: everyone on the LAN). */
export const allowedFrom = (ip: string, allowFrom: readonly string[] | null): boolean =>
  allowFrom === null || allowFrom.some((cidr) => inCidr(ip, cidr));

/** Where forwards may point. */
export interface TargetPolicy {
  networks: readonly string[]; // the Multipass bridges' subnets and LABGATE_ALLOWED_NETWORKS
  hostAddresses: readonly string[]; // this host's own addresses (the bridges' gateways among them)
}

/** The widest network a person may allow: a /8 is already 16 million addresses. */
export const WIDEST_ALLOWED_BITS = 8;

/** Never a target, whatever is allowed. */
const NEVER: { cidr: string; what: string }[] = [
  { cidr: '0.0.0.0/8', what: 'an address of "this network" (0.0.0.0/8)' },
  { cidr: '127.0.0.0/8', what: 'a loopback address' },
  { cidr: '169.254.0.0/16', what: 'a link-local address' },
  { cidr: '224.0.0.0/4', what: 'a multicast address' },
  { cidr: '240.0.0.0/4', what: 'a reserved or broadcast address' },
];

/**
 * Why an address may not be a target, or null when it may: it must be a dotted quad, inside an
 * allowed network as one of its host addresses (not the network or broadcast address), not special
 * and not one of this host's own addresses. Phrased to follow the address in a message.
 */
export function targetProblem(ip: string, policy: TargetPolicy): string | null {
  if (!isIpv4(ip)) return 'not an IPv4 address';
  const special = NEVER.find((n) => inCidr(ip, n.cidr));
  if (special) return special.what;
  if (policy.hostAddresses.includes(ip)) return "one of this host's own addresses";
  const containing = policy.networks.flatMap((n) => {
    const c = parseCidr(n);
    return c && inCidr(ip, n) ? [{ cidr: n, ...c }] : [];
  });
  if (!containing.length) return 'outside the allowed networks';
  const a = ipToInt(ip)!;
  const edge = (c: { base: number; bits: number }) => {
    if (c.bits > 30) return null; // /31 and /32 have no network or broadcast address
    const network = (c.base & maskOf(c.bits)) >>> 0;
    return a === network ? 'network' : a === (network | ~maskOf(c.bits)) >>> 0 ? 'broadcast' : null;
  };
  if (containing.some((c) => edge(c) === null)) return null;
  const c = containing[0]!;
  return `the ${edge(c)} address of ${c.cidr}`;
}

/** A value from outside as it may be shown in a message: quoted and cut short unless it is a plain address. */
export function shown(value: string): string {
  return isIpv4(value) ? value : JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

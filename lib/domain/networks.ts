/** IPv4 arithmetic for the "no open relay" check. Pure. */

export function ipToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? 32);
  const a = ipToInt(ip);
  const b = ipToInt(base ?? '');
  if (a === null || b === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** The network an interface address sits in: 10.120.52.1 with /24 → 10.120.52.0/24. */
export function networkOf(ip: string, bits: number): string | null {
  const a = ipToInt(ip);
  if (a === null) return null;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const n = (a & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${bits}`;
}

/** Allowed when inside one of the networks, or one of the single addresses (node InternalIPs). */
export function targetAllowed(ip: string, allowed: { networks: readonly string[]; addresses: readonly string[] }): boolean {
  return allowed.addresses.includes(ip) || allowed.networks.some((n) => inCidr(ip, n));
}

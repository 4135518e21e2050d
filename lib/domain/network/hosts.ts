import { isIpv4 } from './networks';

/** The names and addresses labgate answers to; anything else in a Host header is refused. */
export interface KnownHosts {
  names: readonly string[]; // the host's names (hostname, hostname.local) and LABGATE_ALLOWED_HOSTS
  addresses: readonly string[]; // the host's own IPv4 and IPv6 addresses
}

/** The host part of a Host header, lower-cased: "[::1]:3000" → "::1", "Lab.Local.:3000" → "lab.local". */
export function hostOf(header: string): string | null {
  const h = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](:\d{1,5})?$/.exec(h);
  if (bracketed) return bracketed[1]!;
  const plain = /^([a-z0-9.-]+)(:\d{1,5})?$/.exec(h);
  return plain ? plain[1]!.replace(/\.$/, '') : null;
}

/**
 * Whether a request's Host is one labgate answers to: localhost, the host's own addresses and
 * names, or a configured name. A page on an attacker's name that rebinds to the LAN address
 * still sends its own name, so it is refused (DNS rebinding). Pure.
 */
export function hostAllowed(header: string | null, known: KnownHosts): boolean {
  const host = header ? hostOf(header) : null;
  if (!host) return false;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIpv4(host) || host.includes(':')) return known.addresses.includes(host);
  return known.names.some((n) => n.toLowerCase().replace(/\.$/, '') === host);
}

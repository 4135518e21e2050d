import { inCidr, isCidr, isIpv4 } from './networks';

/** Headers labgate's own server (scripts/start.mts) sets on every request, replacing any the client sent. */
export const REMOTE_ADDRESS_HEADER = 'x-labgate-remote-address'; // the connection's peer address
export const SCHEME_HEADER = 'x-labgate-scheme'; // https or http: how the connection came in

/** ::ffff:192.168.50.10 (an IPv4 peer on a dual-stack socket) → 192.168.50.10; other IPv6 lower-cased. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped ? mapped[1]! : a;
}

export const isTrustedProxy = (address: string, proxies: readonly string[]) => {
  const a = normalizeAddress(address);
  return proxies.some((p) => (isCidr(p) ? inCidr(a, p) : p === a));
};

/**
 * Who a request comes from, for rate limits: the connection's own address. Only when that is a
 * trusted proxy does X-Forwarded-For count, read from the right: the first address that is not a
 * trusted proxy is the client (whatever stands left of it, the client wrote itself). Pure.
 */
export function clientAddress(remote: string | null, forwardedFor: string | null, trustedProxies: readonly string[]): string {
  if (!remote) return 'unknown';
  let client = normalizeAddress(remote);
  if (!isTrustedProxy(client, trustedProxies) || !forwardedFor) return client;
  for (const hop of forwardedFor.split(',').map(normalizeAddress).reverse()) {
    if (!isIpv4(hop) && !/^[0-9a-f:]{2,39}$/.test(hop)) return client; // a proxy that writes garbage: key on the proxy
    client = hop;
    if (!isTrustedProxy(hop, trustedProxies)) return hop;
  }
  return client;
}

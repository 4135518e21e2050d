import os from 'node:os';
import type { KnownHosts } from '@/lib/domain/network/hosts';
import { env } from '@/lib/env';

let cached: { at: number; known: KnownHosts } | null = null;

/** This host's names and addresses as they are now (addresses move with DHCP), looked up at most once a second. */
export function knownHosts(now = Date.now()): KnownHosts {
  if (cached && now - cached.at < 1_000) return cached.known;
  const hostname = os.hostname().toLowerCase();
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) =>
    (list ?? []).map((a) => a.address.toLowerCase().replace(/%.*$/, '')),
  );
  const e = env();
  const known = {
    names: [hostname, `${hostname}.local`, ...(e.lanName ? [`${e.lanName}.local`] : []), ...e.allowedHosts],
    addresses: [...addresses, ...(e.lanAddress ? [e.lanAddress] : [])],
  };
  cached = { at: now, known };
  return known;
}

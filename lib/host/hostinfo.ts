import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import { findHandMade, type HandMadeForward } from '@/lib/domain/firewall/handmade';
import { networkOf } from '@/lib/domain/network/networks';
import type { ParsedSave } from '@/lib/domain/firewall/save-parse';
import { defaultRouteInterface, listeningPorts } from '@/lib/domain/firewall/procnet';
import type { HostNetwork } from '@/lib/domain/firewall/rules';
import { env } from '@/lib/env';

const read = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

function ipv4Of(iface: string): { address: string; cidr: string } | null {
  const a = os.networkInterfaces()[iface]?.find((x) => x.family === 'IPv4');
  if (!a) return null;
  const bits = Number(a.cidr?.split('/')[1] ?? 32);
  return { address: a.address, cidr: networkOf(a.address, bits) ?? `${a.address}/32` };
}

export class HostConfigError extends Error {}

/** The LAN side of this host: configured (LABGATE_LAN_*), else taken from the default route. */
export function hostNetwork(): HostNetwork {
  const e = env();
  const lanInterface = e.lanInterface ?? defaultRouteInterface(read('/proc/net/route'));
  if (!lanInterface)
    throw new HostConfigError('No LAN interface: set LABGATE_LAN_INTERFACE (this host has no default route to take it from).');
  const detected = ipv4Of(lanInterface);
  return { lanInterface, lanAddress: e.lanAddress ?? detected?.address ?? null, lanCidr: detected?.cidr ?? null };
}

export function hostNetworkOrNull(): HostNetwork | null {
  try {
    return hostNetwork();
  } catch {
    return null;
  }
}

/** The host's LAN address, the one answer every role gives: configured, else the LAN interface's; null when neither is known. */
export const lanAddress = (): string | null => env().lanAddress ?? hostNetworkOrNull()?.lanAddress ?? null;

/** Hand-made forwards, judged against this host's LAN side (unknown: every interface counts as a restriction). */
export const handMadeOn = (save: ParsedSave): HandMadeForward[] =>
  findHandMade(save, hostNetworkOrNull() ?? { lanInterface: '', lanAddress: null });

/** Multipass's bridges on this host (mpqemubr0 with QEMU, mpbr0 with LXD, one per zone on newer releases) and their subnets. */
export function multipassBridges(): { name: string; cidr: string }[] {
  return Object.keys(os.networkInterfaces())
    .filter((n) => /^mp(qemu)?br/.test(n))
    .flatMap((name) => {
      const a = ipv4Of(name);
      return a ? [{ name, cidr: a.cidr }] : [];
    });
}

/** Every IPv4 address this host has (the Multipass bridges' gateways too): never a forward's target. */
export function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address));
}

export function portInUseOnHost(protocol: 'tcp' | 'udp', port: number): boolean {
  return [read(`/proc/net/${protocol}`), read(`/proc/net/${protocol}6`)].some((t) => listeningPorts(t, protocol).has(port));
}

export function ipForwardEnabled(): boolean | null {
  const v = read('/proc/sys/net/ipv4/ip_forward').trim();
  return v === '' ? null : v === '1';
}

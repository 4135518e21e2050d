// What the Multipass stand-in knows: the lab's instances and whether its "daemon" runs.
// The seed is the reference lab as Multipass reports it (the fixtures' values).
import { BRIDGE } from '../topology.mts';
import fs from 'node:fs';

/** The lab daemon's `local.passphrase`: what `labgate multipass-auth` is given in the lab. */
export const LAB_MULTIPASS_PASSPHRASE = 'lab-multipass-passphrase';

/** The certificates in a daemon's store of accepted clients (PEM, one after another); none if it has none. */
export function storedCertificates(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}

/** Every state the daemon reports, in its CLI's words (format_utils.cpp). */
export const STATE_WORDS = [
  'Unknown',
  'Running',
  'Starting',
  'Restarting',
  'Stopped',
  'Deleted',
  'Delayed Shutdown',
  'Suspending',
  'Suspended',
  'Unavailable',
] as const;
export type InstanceStateWord = (typeof STATE_WORDS)[number];

export type OutputFormat = 'release' | 'zones'; // v1.16.3, or main with availability zones

export interface StandInInstance {
  name: string;
  state: InstanceStateWord;
  ipv4: string[]; // management address first, then the other global ones
  cpuCount: string;
  load: number[];
  disk: { used: string; total: string } | null;
  memory: { used: number; total: number } | null;
  snapshotCount: string;
  mounts: Record<string, { sourcePath: string; uidMappings: string[]; gidMappings: string[] }>;
  zone: string;
}

export interface StandInState {
  daemon: 'running' | 'stopped';
  format: OutputFormat;
  bridge: string;
  subnet: string;
  instances: StandInInstance[]; // in no particular order, as the daemon's hash map gives them
  cachedImages?: string[]; // codenames the daemon has downloaded: launched from again without a download
  answerDelayMs?: number; // how long list and info take: the real ones reach into each VM over SSH, seconds on a busy host
}

export const IMAGE = {
  hash: '6bb5a2a9d42c5eb9b7b1e2a7c4f1d3e8a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5',
  release: '22.04 LTS',
  guestRelease: 'Ubuntu 22.04.5 LTS',
} as const;
export const VERSIONS: Record<OutputFormat, string> = { release: '1.16.3', zones: '1.17.0-dev.3854+g9b0af2ec3' };

const running = (
  name: string,
  ipv4: string[],
  cpuCount: string,
  load: number[],
  disk: [string, string],
  memory: [number, number],
): StandInInstance => ({
  name,
  state: 'Running',
  ipv4,
  cpuCount,
  load,
  disk: { used: disk[0], total: disk[1] },
  memory: { used: memory[0], total: memory[1] },
  snapshotCount: '0',
  mounts: {},
  zone: 'zone1',
});

export function seedState(format: OutputFormat = 'release'): StandInState {
  const nfs = running('nfs', ['10.120.52.30'], '1', [0.03, 0.05, 0.01], ['2789101568', '10512543744'], [241885184, 985071616]);
  nfs.mounts = {
    '/srv/labshare': { sourcePath: '/home/labuser/labgate/share', uidMappings: ['1000:default'], gidMappings: ['1000:default'] },
  };
  return {
    daemon: 'running',
    format,
    bridge: BRIDGE.name,
    subnet: BRIDGE.cidr,
    instances: [
      running('ops', ['10.120.52.31'], '1', [0.08, 0.12, 0.09], ['3104571392', '10512543744'], [402661376, 2014339072]),
      running('node2', ['10.120.52.24', '10.244.1.0'], '2', [0.22, 0.27, 0.25], ['5384372224', '20244400128'], [1012760576, 4005175296]),
      {
        name: 'scratch',
        state: 'Stopped',
        ipv4: [],
        cpuCount: '',
        load: [],
        disk: null,
        memory: null,
        snapshotCount: '1',
        mounts: {},
        zone: 'zone1',
      },
      running('node1', ['10.120.52.23', '10.244.0.0'], '2', [0.61, 0.55, 0.49], ['7012466688', '20244400128'], [1538228224, 4005175296]),
      nfs,
      running('node3', ['10.120.52.25', '10.244.2.0'], '2', [0.19, 0.21, 0.2], ['5301239808', '20244400128'], [987430912, 4005175296]),
    ],
  };
}

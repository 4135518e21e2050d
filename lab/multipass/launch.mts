// What the Multipass daemon checks of a launch request and which images its find lists
// (canonical/multipass: daemon.cpp validate_create_arguments, memory_size.cpp, utils.cpp
// valid_hostname, constants.h). Pure, so it is tested apart from the daemon.
import { parse } from 'yaml';

/** LaunchError.ErrorCodes as the proto numbers them. */
export const LAUNCH_ERRORS = { INVALID_MEM_SIZE: 1, INVALID_DISK_SIZE: 2, INVALID_HOSTNAME: 3 } as const;

const MIN_MEMORY = 128 * 1024 ** 2; // min_memory_size "128M"
const MIN_DISK = 512 * 1024 ** 2; // min_disk_size "512M"
export const DEFAULT_MEMORY = '1G';
export const DEFAULT_DISK = '5G';

/** A size as MemorySize reads it ("1G", "512M", "2.5GiB", "1024"; K, M and G are powers of 1024); null if it is none. */
export function parseMemorySize(text: string): number | null {
  const m = /^(\d+)(?:\.(\d+))?([KMG])?(?:i?B)?$/i.exec(text.trim());
  if (!m || (m[2] && !m[3])) return null;
  const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[3] ?? '').toUpperCase() as 'K'] ?? 1;
  return Math.floor(Number(`${m[1]}.${m[2] ?? '0'}`) * unit);
}

/** A hostname as the daemon takes it: letters, digits and -, starting with a letter, not ending with -. */
export const validHostname = (name: string) => /^([a-zA-Z]|[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9])$/.test(name);

export interface LaunchArgs {
  name: string;
  image: string;
  cpus: number;
  memory: string;
  disk: string;
  userData: string;
}

/** The launch's option errors, as the daemon collects them before it does anything. */
export function launchErrors(a: LaunchArgs): number[] {
  const errors: number[] = [];
  const memory = parseMemorySize(a.memory || DEFAULT_MEMORY);
  if (memory === null || memory < MIN_MEMORY) errors.push(LAUNCH_ERRORS.INVALID_MEM_SIZE);
  if (a.disk) {
    const disk = parseMemorySize(a.disk);
    if (disk === null || disk < MIN_DISK) errors.push(LAUNCH_ERRORS.INVALID_DISK_SIZE);
  }
  if (a.name && !validHostname(a.name)) errors.push(LAUNCH_ERRORS.INVALID_HOSTNAME);
  return errors;
}

export interface ImageInfo {
  os: string;
  release: string;
  version: string;
  aliases: string[];
  codename: string;
}

/** What `multipass find` lists on the lab's host: Ubuntu's LTS releases, the newest first. */
export const IMAGES: readonly ImageInfo[] = [
  { os: 'Ubuntu', release: '24.04 LTS', version: '20261125', aliases: ['24.04', 'noble', 'lts'], codename: 'noble' },
  { os: 'Ubuntu', release: '22.04 LTS', version: '20261118', aliases: ['22.04', 'jammy'], codename: 'jammy' },
  { os: 'Ubuntu', release: '20.04 LTS', version: '20250430', aliases: ['20.04', 'focal'], codename: 'focal' },
];

/** The image an alias names; the default (empty) is the current LTS. */
export function findImage(alias: string): ImageInfo | null {
  return IMAGES.find((i) => i.aliases.includes(alias || 'lts')) ?? null;
}

/** The packages a cloud-config asks for (`packages:`); none when the user data is no cloud-config. */
export function cloudInitPackages(userData: string): string[] {
  if (!/^#cloud-config\b/.test(userData.trimStart())) return [];
  try {
    const doc = parse(userData) as { packages?: unknown } | null;
    return Array.isArray(doc?.packages) ? doc.packages.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return []; // cloud-init would fail on it too; the VM still boots
  }
}

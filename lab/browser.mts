// Chromium for end-to-end tests, started inside the lab's LAN namespace: Playwright talks to it
// over pipes, so it needs no route out of the lab.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LabPaths } from './paths.mts';
import { namespaces } from './topology.mts';

/** Debian's Chromium, never a downloaded browser; no background traffic off the machine. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function installBrowserWrapper(prefix: string, p: LabPaths, chromium = '/usr/bin/chromium'): string {
  fs.mkdirSync(p.bin, { recursive: true });
  const file = path.join(p.bin, 'chromium-lan');
  fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec '${namespaces(prefix).lan}' '${chromium}' "$@"\n`, { mode: 0o755 });
  return file;
}

/**
 * Makes a browser whose HOME is `home` trust this CA, as a person would import it: an NSS
 * database in the home (no --ignore-certificate-errors).
 */
export function trustCa(home: string, ca: string, name = 'labgate CA'): void {
  const nssdb = path.join(home, '.pki', 'nssdb');
  fs.rmSync(nssdb, { recursive: true, force: true });
  fs.mkdirSync(nssdb, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', name, '-i', ca]);
}

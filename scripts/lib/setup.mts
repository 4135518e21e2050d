// Installs what labgate's scripts need on a Debian host, only when it is missing.
// Runs on plain Node 24 (type stripping) before node_modules exists: node: imports only.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Debian packages by purpose; each script asks only for what it uses. */
export const PACKAGES = {
  browser: ['chromium', 'fonts-dejavu-core', 'libnss3-tools'], // certutil: the lab's browser trusts labgate's CA
  tools: ['curl', 'openssl', 'ca-certificates'],
  deploy: ['systemd', 'util-linux'], // systemd-analyze checks the units; setpriv runs the host role as they would
} as const;

export function log(message: string): void {
  process.stderr.write(`labgate: ${message}\n`);
}

function installed(pkg: string): boolean {
  const res = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return res.status === 0 && res.stdout.includes('install ok installed');
}

export function ensureDebianPackages(packages: readonly string[]): void {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (run as root, or: apt-get install ${missing.join(' ')})`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Daemons installed for the lab (avahi-daemon, Caddy) must not start on the machine itself,
  // where they would answer on its real network: the lab starts its own, in its namespaces.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !fs.existsSync(policy);
  if (ownPolicy)
    fs.writeFileSync(policy, '#!/bin/sh\n# labgate: no daemon starts while its packages are installed\nexit 101\n', { mode: 0o755 });
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
  } finally {
    if (ownPolicy) fs.rmSync(policy, { force: true });
  }
}

/** `npm ci` when node_modules is missing or was installed from another lockfile or Node. */
export function ensureNodeModules(): void {
  const stampFile = path.join(ROOT, 'node_modules', '.labgate-install');
  const lock = fs.readFileSync(path.join(ROOT, 'package-lock.json'));
  const stamp = `${createHash('sha256').update(lock).digest('hex')} ${process.version}`;
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return;
  log(`installing npm packages for Node ${process.version}`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  fs.writeFileSync(stampFile, stamp);
}

export const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

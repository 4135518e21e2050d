// `npm run demo`: installs what is missing, builds labgate and serves it with a data dir and
// an admin password of its own, printing the URL and the password every time.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin, ensureDebianPackages, ensureNodeModules, log, PACKAGES, ROOT } from './lib/setup.mts';

const host = process.env.HOST || '0.0.0.0';
const port = process.env.PORT || '3000';
const dataDir = path.resolve(process.env.LABGATE_DATA_DIR || path.join(ROOT, 'data', 'demo'));

/** The demo's password: generated once, kept beside its data, shown at every start. */
function demoPassword(): string {
  if (process.env.LABGATE_ADMIN_PASSWORD) return process.env.LABGATE_ADMIN_PASSWORD;
  const file = path.join(dataDir, 'demo-admin-password');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(12).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function urls(): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [`http://${host}:${port}/`];
  const lan = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `http://${a!.address}:${port}/`);
  return [`http://localhost:${port}/`, ...lan];
}

function main(): void {
  ensureDebianPackages(PACKAGES.tools);
  ensureNodeModules();
  log('building the app');
  execFileSync(bin('next'), ['build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

  const password = demoPassword();
  const server = spawn(bin('next'), ['start', '-H', host, '-p', port], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, LABGATE_DATA_DIR: dataDir, LABGATE_ADMIN_PASSWORD: password },
  });
  const banner = [
    '',
    'labgate demo is starting',
    ...urls().map((u) => `  open:      ${u}`),
    `  password:  ${password}`,
    `  data dir:  ${dataDir}`,
    '  stop with Ctrl-C',
    '',
  ].join('\n');
  process.stdout.write(`${banner}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 0 : 1);
  });
}

main();

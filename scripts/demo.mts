// `npm run demo`: installs what is missing, builds labgate, brings up the lab in a box and runs
// labgate on the lab's host, printing the URL and the admin password every time. Ctrl-C stops
// it all and takes the lab down.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { acceptedByMultipass } from '../lab/controls.mts';
import { LAB_PACKAGES, labDown, labEnv, labUp } from '../lab/lab.mts';
import { labPaths } from '../lab/paths.mts';
import { startProcess, waitFor } from '../lab/processes.mts';
import { run } from '../lab/exec.mts';
import { LAN, namespaces } from '../lab/topology.mts';
import { ensureDebianPackages, ensureNodeModules, log, PACKAGES, ROOT } from './lib/setup.mts';

const prefix = process.env.LABGATE_LAB_PREFIX || 'lg-';
const host = process.env.HOST || '127.0.0.1'; // where the root namespace's forwarder listens
const port = process.env.PORT || '3000';
const paths = labPaths(prefix);

/** The demo's password: generated once, kept in the lab's data dir, shown at every start. */
function demoPassword(): string {
  if (process.env.LABGATE_ADMIN_PASSWORD) return process.env.LABGATE_ADMIN_PASSWORD;
  const file = path.join(paths.dataDir, 'demo-admin-password');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(12).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  ensureDebianPackages([...PACKAGES.tools, ...LAB_PACKAGES]);
  ensureNodeModules();
  log('building the app');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mts')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  log('bringing up the lab (the first time builds Kubernetes from source: several minutes)');
  await labUp(prefix, { log: (m) => log(`lab: ${m}`) });

  const password = demoPassword();
  const hostNs = namespaces(prefix).host;
  const env = {
    ...process.env,
    ...labEnv(prefix),
    LABGATE_DATA_DIR: paths.dataDir,
    LABGATE_ADMIN_PASSWORD: password,
    HOSTNAME: '0.0.0.0',
    PORT: port,
  };
  // As after `labgate multipass-auth`: the lab's Multipass daemon accepts the demo's identity.
  fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  await acceptedByMultipass(prefix, paths.dataDir);
  // labgate runs on the lab's host, reachable at its LAN address from the lab's laptop.
  const app = spawn('ip', ['netns', 'exec', hostNs, process.execPath, path.join(ROOT, '.next', 'standalone', 'start.mjs')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  fs.writeFileSync(path.join(paths.pids, 'demo-app.pid'), String(app.pid));
  const forward = path.join(ROOT, 'lab', 'agents', 'forward.mts');
  const dirs = { logs: paths.logs, pids: paths.pids };
  // Into the lab through a unix socket: the root namespace gets no route to lab addresses.
  startProcess(
    { name: 'demo-forward-host', ns: hostNs, cmd: process.execPath, args: [forward, paths.uiSocket, `127.0.0.1:${port}`] },
    dirs,
  );
  startProcess({ name: 'demo-forward-root', ns: null, cmd: process.execPath, args: [forward, `${host}:${port}`, paths.uiSocket] }, dirs);
  // HTTPS with labgate's own CA, which it makes at its first start.
  const ca = path.join(paths.dataDir, 'tls', 'ca.crt'); // lib/tls/certificates.mts
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  await waitFor(
    'labgate to answer',
    async () =>
      fs.existsSync(ca) &&
      (await run('curl', ['-fsS', '--max-time', '2', '--cacert', ca, `https://${shown}:${port}/api/healthz`])).code === 0,
    60_000,
  );
  process.stdout.write(
    [
      '',
      'labgate demo is running',
      `  open:      https://${shown}:${port}/`,
      `  password:  ${password}`,
      `  CA:        ${ca} (trust it to skip the browser's warning; docs/https.md)`,
      `             SHA-256 ${new X509Certificate(fs.readFileSync(ca)).fingerprint256}`,
      `  in the lab, a laptop on the LAN opens https://${LAN.host}:${port}/`,
      `  lab:       prefix ${prefix}, state in ${paths.root}`,
      '  stop with Ctrl-C (takes the lab down)',
      '',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping: taking the lab down');
    app.kill('SIGTERM');
    await labDown(prefix);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  app.on('exit', () => void stop());
}

main().catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});

// `npm run screenshot`: serves the production build on a scratch data dir inside the lab,
// logs in from the lab's LAN and saves the pages the README shows into docs/. Needs
// `npm run build` and a lab (`npm run lab -- up`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { acceptedByMultipass } from '../lab/controls.mts';
import { run } from '../lab/exec.mts';
import { labEnv } from '../lab/lab.mts';
import { LAN, namespaces } from '../lab/topology.mts';
import { log, ROOT } from './lib/setup.mts';
import { CHROMIUM_ARGS } from '../lab/browser.mts';

const prefix = process.env.LABGATE_LAB_PREFIX || 'lg-';
const port = String(3900 + Math.floor(Math.random() * 90));
// HTTPS as users get it; these pictures are no test of the certificate, so the browser takes it as it is.
const base = `https://${LAN.host}:${port}`;
const env = { ...process.env, ...labEnv(prefix) };
const password = randomBytes(12).toString('base64url');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-shot-'));
await acceptedByMultipass(prefix, dataDir); // as after `labgate multipass-auth`

// The app on the lab's host, the browser on its LAN, and this script in the host namespace.
const server = spawn(
  'ip',
  ['netns', 'exec', namespaces(prefix).host, process.execPath, path.join(ROOT, '.next', 'standalone', 'start.mjs')],
  {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...env, LABGATE_DATA_DIR: dataDir, LABGATE_ADMIN_PASSWORD: password, HOSTNAME: '0.0.0.0', PORT: port },
  },
);
const inHost = (cmd: string, args: string[]) => run('ip', ['netns', 'exec', namespaces(prefix).host, cmd, ...args]);

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await inHost('curl', ['-kfsS', '--max-time', '1', `${base}/api/healthz`])).code === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start');
}

try {
  await waitForServer();
  const browser = await chromium.launch({
    executablePath: env.LABGATE_LAB_CHROMIUM,
    args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'],
  });
  const shots = [
    { scheme: 'light', path: '/', file: 'screenshot.png' },
    { scheme: 'dark', path: '/', file: 'screenshot-dark.png' },
    { scheme: 'light', path: '/nodes', file: 'screenshot-nodes.png' },
    { scheme: 'light', path: '/services', file: 'screenshot-services.png' },
    { scheme: 'light', path: '/instances', file: 'screenshot-instances.png' },
  ] as const;
  const loggedIn = async (scheme: 'light' | 'dark', at: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
    await page.goto(`${base}/login?next=${encodeURIComponent(at)}`);
    await page.getByLabel('Admin password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    return page;
  };
  // What the pictures show: Grafana exposed as https://grafana.local/, as the dialog proposes it.
  const setup = await loggedIn('light', '/');
  await setup.getByRole('button', { name: 'Expose Grafana', exact: true }).click();
  await setup.getByRole('dialog').getByLabel(/HTTPS/).check();
  await setup.getByRole('dialog').getByText('serve https://grafana.local/').waitFor();
  await setup.getByRole('dialog').getByRole('button', { name: 'Apply' }).click();
  await setup.getByRole('dialog').getByRole('link', { name: 'https://grafana.local/' }).waitFor({ timeout: 30_000 });
  await setup.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  for (const shot of shots) {
    const page = await loggedIn(shot.scheme, shot.path);
    await page.waitForTimeout(500); // the topology fits itself to the view
    const file = path.join(ROOT, 'docs', shot.file);
    await page.screenshot({ path: file });
    log(`saved ${path.relative(ROOT, file)}`);
    await page.close();
  }
  await setup.goto(`${base}/`);
  await setup.getByRole('button', { name: 'Undo Expose Grafana on the LAN' }).click();
  await setup.getByRole('dialog').getByRole('button', { name: 'Undo', exact: true }).click(); // the app's own confirmation
  await setup.getByRole('button', { name: 'Undo Expose Grafana on the LAN' }).waitFor({ state: 'detached' });
  await browser.close();
} finally {
  server.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}

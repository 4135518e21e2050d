// `npm run screenshot`: serves the production build on a scratch data dir, logs in and saves
// the pages the README shows into docs/. Run `npm run build` first.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { bin, log, ROOT } from './lib/setup.mts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const port = String(3900 + Math.floor(Math.random() * 90));
const base = `http://127.0.0.1:${port}`;
const password = randomBytes(12).toString('base64url');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-shot-'));

const server = spawn(bin('next'), ['start', '-H', '127.0.0.1', '-p', port], {
  cwd: ROOT,
  stdio: 'ignore',
  env: { ...process.env, LABGATE_DATA_DIR: dataDir, LABGATE_ADMIN_PASSWORD: password },
});

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${base}/api/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start');
}

try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  for (const scheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 }, colorScheme: scheme });
    await page.goto(`${base}/login`);
    await page.getByLabel('Admin password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const file = path.join(ROOT, 'docs', scheme === 'light' ? 'screenshot.png' : 'screenshot-dark.png');
    await page.screenshot({ path: file });
    log(`saved ${path.relative(ROOT, file)}`);
  }
  await browser.close();
} finally {
  server.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// Chosen once in the main process; workers inherit them through the environment.
process.env.LABGATE_E2E_PORT ??= String(3100 + Math.floor(Math.random() * 800));
process.env.LABGATE_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-e2e-'));
process.env.LABGATE_E2E_PASSWORD ??= randomBytes(12).toString('base64url');

const port = Number(process.env.LABGATE_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

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

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: process.env.LABGATE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The production build, as users run it; the test script builds it first.
    command: `node_modules/.bin/next start -H 127.0.0.1 -p ${port}`,
    cwd: path.resolve(__dirname, '..'),
    url: `${baseURL}/api/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: {
      LABGATE_DATA_DIR: process.env.LABGATE_E2E_DATA_DIR,
      LABGATE_ADMIN_PASSWORD: process.env.LABGATE_E2E_PASSWORD,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});

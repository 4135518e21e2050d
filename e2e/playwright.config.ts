import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from '../lab/browser.mts';
import { SHAPE, webServers } from './shape';

// Chosen once in the main process; workers inherit them through the environment.
process.env.LABGATE_E2E_PORT ??= String(3100 + Math.floor(Math.random() * 800));
process.env.LABGATE_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-e2e-'));
process.env.LABGATE_E2E_PASSWORD ??= randomBytes(12).toString('base64url');
process.env.LABGATE_E2E_HOST_TOKEN ??= randomBytes(24).toString('base64url');
process.env.LABGATE_E2E_METRICS_TOKEN ??= randomBytes(24).toString('base64url');

const port = Number(process.env.LABGATE_E2E_PORT);
// The dashboard as a laptop on the LAN sees it: the host's LAN address, from the lab's lan namespace,
// over HTTPS with labgate's own CA, which the server makes at its first start.
const host = process.env.LABGATE_LAN_ADDRESS ?? '192.168.50.27';
const baseURL = `https://${host}:${port}`;
export const E2E_CA = path.join(process.env.LABGATE_E2E_DATA_DIR!, 'tls', 'ca.crt');
// The browser trusts that CA through an NSS database in its HOME (global-setup fills it once the
// server made the CA); the test workers, which start after that, through Node's extra CAs.
process.env.LABGATE_E2E_BROWSER_HOME ??= fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-e2e-home-'));
process.env.NODE_EXTRA_CA_CERTS = E2E_CA;

export default defineConfig({
  testDir: '.',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  testMatch: '**/*.spec.ts',
  outputDir: SHAPE === 'all' ? 'test-results' : `test-results-${SHAPE}`,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  workers: 1, // the tests share one lab and change it
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    // A wrapper that starts Debian's Chromium inside the lab's lan namespace.
    launchOptions: {
      executablePath: process.env.LABGATE_LAB_CHROMIUM,
      args: CHROMIUM_ARGS,
      env: { ...process.env, HOME: process.env.LABGATE_E2E_BROWSER_HOME },
    },
  },
  projects: [{ name: SHAPE === 'all' ? 'chromium' : `chromium (${SHAPE})`, use: { browserName: 'chromium' } }],
  webServer: webServers({
    url: `${baseURL}/api/healthz`,
    port,
    env: {
      LABGATE_DATA_DIR: process.env.LABGATE_E2E_DATA_DIR!,
      LABGATE_ADMIN_PASSWORD: process.env.LABGATE_E2E_PASSWORD!,
      LABGATE_HOST_TOKEN: process.env.LABGATE_E2E_HOST_TOKEN!,
      LABGATE_METRICS_TOKEN: process.env.LABGATE_E2E_METRICS_TOKEN!,
      LABGATE_HEALTH_INTERVAL_SECONDS: '5', // changes of health within a test's patience
    },
  }),
});

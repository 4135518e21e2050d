import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

// Every test file gets a fresh data dir, so no test ever sees a real one.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-test-'));
process.env.LABGATE_DATA_DIR = dataDir;
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// In the lab: this data dir's Multipass identity is one the lab's daemon accepts, as after
// `labgate multipass-auth` (lib/multipass/rpc.lab.test.ts goes through that command itself).
const labPrefix = process.env.LABGATE_LAB_PREFIX;
if (labPrefix) await (await import('./lab/controls.mts')).acceptedByMultipass(labPrefix, dataDir);

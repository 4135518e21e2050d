import fs from 'node:fs';
import path from 'node:path';
import { trustCa } from '../lab/browser.mts';
import { assertInLabNamespace } from '../lab/exec.mts';

/**
 * The app and the browser talk to lab addresses: only from inside the lab. Runs once the server
 * is up, so labgate's own CA exists: the lab's browser trusts it as a person's would, through
 * an NSS database (no --ignore-certificate-errors).
 */
export default function globalSetup(): void {
  const prefix = process.env.LABGATE_LAB_PREFIX;
  if (!prefix)
    throw new Error('end-to-end tests run in the lab: use `npm test`, or `ip netns exec <prefix>host` with `npm run lab -- env`');
  assertInLabNamespace(prefix);
  const ca = path.join(process.env.LABGATE_E2E_DATA_DIR!, 'tls', 'ca.crt');
  if (!fs.existsSync(ca)) throw new Error(`the server made no CA at ${ca}`);
  trustCa(process.env.LABGATE_E2E_BROWSER_HOME!, ca, 'labgate e2e CA');
}

import fs from 'node:fs';

/** The run's temporary dirs (data dirs, the browser's home, the two-role shape's copy of node) go with it. */
export default function globalTeardown(): void {
  for (const dir of [process.env.LABGATE_E2E_ROLES_DIR, process.env.LABGATE_E2E_DATA_DIR, process.env.LABGATE_E2E_BROWSER_HOME]) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

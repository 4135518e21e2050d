// `npm run build`: Next's standalone production build, with the static files it serves copied in.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const STANDALONE = path.join(ROOT, '.next', 'standalone');

const built = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'next'), ['build'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
// The standalone server serves these from beside itself; Next leaves the copying to the deployer.
fs.cpSync(path.join(ROOT, '.next', 'static'), path.join(STANDALONE, '.next', 'static'), { recursive: true });
fs.cpSync(path.join(ROOT, 'public'), path.join(STANDALONE, 'public'), { recursive: true });
// The tracer follows the default LABGATE_DATA_DIR (./data) from the instrumentation hook and
// copies a checkout's store, password hash and sessions included; a build must never carry one.
fs.rmSync(path.join(STANDALONE, 'data'), { recursive: true, force: true });

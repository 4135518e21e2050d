// `npm run build`: Next's standalone production build, with the static files it serves copied in
// and the server's entry (scripts/start.mts) beside it as .next/standalone/start.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const STANDALONE = path.join(ROOT, '.next', 'standalone');

const built = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'next'), ['build'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
// The standalone server serves these from beside itself; Next leaves the copying to the deployer.
fs.cpSync(path.join(ROOT, '.next', 'static'), path.join(STANDALONE, '.next', 'static'), { recursive: true });
fs.cpSync(path.join(ROOT, 'public'), path.join(STANDALONE, 'public'), { recursive: true });
// The Multipass API definition the host role loads at run time (lib/multipass/rpc.ts), where the server runs.
fs.cpSync(path.join(ROOT, 'lib', 'multipass', 'multipass.proto'), path.join(STANDALONE, 'lib', 'multipass', 'multipass.proto'));
// The tracer follows the default LABGATE_DATA_DIR (./data) from the instrumentation hook and
// copies a checkout's store, password hash and sessions included; a build must never carry one.
fs.rmSync(path.join(STANDALONE, 'data'), { recursive: true, force: true });

// The server's entry, as plain JavaScript beside the build: run from TypeScript, Node would load
// its type stripper (about 18 MB more resident memory, in each role, for the process's life).
process.removeAllListeners('warning'); // stripTypeScriptTypes is marked experimental; the output is checked by every test
for (const [from, to] of [
  ['scripts/start.mts', 'start.mjs'],
  ['lib/tls/certificates.mts', 'certificates.mjs'],
]) {
  const source = fs.readFileSync(path.join(ROOT, from!), 'utf8').replace("from '../lib/tls/certificates.mts'", "from './certificates.mjs'");
  fs.writeFileSync(path.join(STANDALONE, to!), stripTypeScriptTypes(source, { mode: 'strip' }));
}

// The `multipass` stand-in: put first on PATH in the lab (a wrapper in the lab's bin dir runs
// this with the state file). Plain Node, no dependencies, so each call starts fast.
import fs from 'node:fs';
import { answer } from './render.mts';
import type { StandInState } from './model.mts';

const stateFile = process.env.LABGATE_LAB_MULTIPASS_STATE;
if (!stateFile) {
  process.stderr.write('labgate lab: LABGATE_LAB_MULTIPASS_STATE is not set\n');
  process.exit(3);
}
let state: StandInState;
try {
  state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as StandInState;
} catch {
  // No lab state: the daemon is not there.
  process.stderr.write(`${process.argv[2] ?? 'list'} failed: cannot connect to the multipass socket\n`);
  process.exit(2);
}
const res = answer(process.argv.slice(2), state, Math.floor(Date.now() / 1000)); // telemetry moves, as a real daemon's does
process.stdout.write(res.stdout);
process.stderr.write(res.stderr);
process.exitCode = res.code;

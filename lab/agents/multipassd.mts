// The lab's Multipass daemon over gRPC (lab/multipass/daemon.mts) on the lab's socket, running
// while the lab's Multipass state says the daemon runs: `multipass daemon stop` in the lab takes
// its socket away, as stopping multipassd does. Accepted client certificates are kept in a file.
import fs from 'node:fs';
import { startStandInDaemon, type StandInDaemon } from '../multipass/daemon.mts';
import type { StandInState } from '../multipass/model.mts';

const { LAB_MULTIPASS_STATE: stateFile, LAB_MULTIPASS_SOCKET: socket, LAB_MULTIPASS_CERTS: certStore } = process.env;
if (!stateFile || !socket || !certStore) throw new Error('LAB_MULTIPASS_STATE, LAB_MULTIPASS_SOCKET and LAB_MULTIPASS_CERTS are needed');
const adminGroup = Number(/^sudo:[^:]*:(\d+):/m.exec(fs.readFileSync('/etc/group', 'utf8'))?.[1] ?? 0); // as on a real host
const read = (): StandInState | null => {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as StandInState;
  } catch {
    return null; // being rewritten: the next look sees it
  }
};
let last: StandInState = read()!;
let daemon: StandInDaemon | null = null;
let changing = false;

async function follow(): Promise<void> {
  if (changing) return;
  changing = true;
  try {
    last = read() ?? last;
    if (last.daemon === 'running' && !daemon) {
      daemon = await startStandInDaemon({
        socket: socket!,
        state: () => (last = read() ?? last),
        passphrase: process.env.LAB_MULTIPASS_PASSPHRASE ?? null,
        certStore,
        adminGroup,
      });
      console.log(`multipassd stand-in: listening on ${socket}`);
    } else if (last.daemon !== 'running' && daemon) {
      await daemon.stop();
      daemon = null;
      fs.rmSync(socket!, { force: true });
      console.log('multipassd stand-in: stopped');
    }
  } finally {
    changing = false;
  }
}

await follow();
setInterval(() => void follow(), 200);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void daemon?.stop().finally(() => process.exit(0)));

// The lab's Multipass daemon stand-in over gRPC (./main.mts) as a lab process.
import { LAB_MULTIPASS_PASSPHRASE } from './model.mts';
import { REPO, type LabPaths } from '../paths.mts';
import { startProcess } from '../processes.mts';
import path from 'node:path';

const agent = path.join(REPO, 'lab', 'multipass', 'main.mts');

/** The Multipass daemon stand-in over gRPC, in the root namespace (a unix socket needs no network). */
export function startMultipassDaemon(prefix: string, p: LabPaths): void {
  startProcess(
    {
      name: 'multipassd',
      ns: null,
      cmd: process.execPath,
      args: [agent],
      env: {
        ...process.env,
        LAB_MULTIPASS_STATE: p.multipassState,
        LAB_MULTIPASS_SOCKET: p.multipassSocket,
        LAB_MULTIPASS_CERTS: p.multipassCerts,
        LAB_MULTIPASS_PASSPHRASE: LAB_MULTIPASS_PASSPHRASE,
        LAB_PREFIX: prefix,
      },
      cwd: REPO,
    },
    { logs: p.logs, pids: p.pids },
  );
}

/** The installing user's first `multipass` command: the daemon accepts that client and opens its socket. */
export async function multipassInstallerUsed(p: LabPaths): Promise<void> {
  // Loaded here, not at the top: `npm test` imports the lab before it has installed the npm packages.
  const { MultipassRpc } = await import('../../lib/multipass/rpc.mts');
  const { selfSignedIdentity } = await import('../../lib/tls/certificates.mts');
  const installer = new MultipassRpc(p.multipassSocket, await selfSignedIdentity('multipass-installer', 3650));
  try {
    await installer.info();
  } finally {
    installer.close();
  }
}

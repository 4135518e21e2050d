import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PlaywrightTestConfig } from '@playwright/test';
import { runtimeEnv } from '../lab/runtime-env.mts';
import { asUser } from '../lab/setpriv.mts';

/**
 * The deployment the end-to-end tests run against (LABGATE_E2E_SHAPE): `all`, one process as
 * `npm run demo` runs it; or `two-role`, as the systemd units run it — the host role and the ui
 * role as separate unprivileged users, the host with exactly its unit's capabilities, the ui
 * reaching it only over the host's unix socket (0660, a group the two share).
 */
export type Shape = 'all' | 'two-role';
export const SHAPE: Shape = process.env.LABGATE_E2E_SHAPE === 'two-role' ? 'two-role' : 'all';

// The two service users and their shared group (deploy/systemd: labgate, labgate-ui), by number.
const HOST_UID = 64_100;
const UI_UID = 64_101;
const SHARED_GID = 64_100;
const HOST_CAPS = ['net_admin', 'net_raw']; // deploy/systemd/labgate-host.service
const CADDY_GID = 64_102; // its SupplementaryGroups=labgate-caddy: Caddy's admin socket (lab/caddy.mts)

type WebServer = Extract<NonNullable<PlaywrightTestConfig['webServer']>, unknown[]>[number];

const ROOT = path.resolve(__dirname, '..');
const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

const quote = (args: string[]) => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

function ownedDir(dir: string, uid: number, gid: number, mode: number): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, uid, gid);
  fs.chmodSync(dir, mode);
  return dir;
}

function ownedCopy(from: string, to: string, uid: number, mode: number): string {
  fs.copyFileSync(from, to);
  fs.chownSync(to, uid, uid);
  fs.chmodSync(to, mode);
  return to;
}

/**
 * Files as the units have them, made once in the main process (workers inherit the paths):
 * a node the users may run, each role's kubeconfig and data dir, and the runtime dir of the
 * host's socket. Returns the socket's path.
 */
function prepareTwoRoles(): { socket: string; node: string; hostData: string; kubeconfig: { host: string; ui: string } } {
  const dir = (process.env.LABGATE_E2E_ROLES_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-e2e-roles-')));
  const files = {
    socket: path.join(dir, 'run', 'host.sock'),
    node: path.join(dir, 'node'),
    hostData: path.join(dir, 'host-data'),
    kubeconfig: { host: path.join(dir, 'host.kubeconfig'), ui: path.join(dir, 'ui.kubeconfig') },
  };
  if (fs.existsSync(files.node)) return files;
  fs.chmodSync(dir, 0o755);
  ownedCopy(process.execPath, files.node, 0, 0o755);
  const kubeconfig = process.env.LABGATE_LAB_LABGATE_KUBECONFIG ?? '';
  ownedCopy(kubeconfig, files.kubeconfig.host, HOST_UID, 0o600);
  ownedCopy(kubeconfig, files.kubeconfig.ui, UI_UID, 0o600);
  ownedDir(path.dirname(files.socket), HOST_UID, SHARED_GID, 0o750); // RuntimeDirectory=labgate, RuntimeDirectoryMode=0750
  ownedDir(files.hostData, HOST_UID, HOST_UID, 0o700);
  acceptedByLabMultipass(files.hostData);
  ownedDir(process.env.LABGATE_E2E_DATA_DIR!, UI_UID, UI_UID, 0o700);
  return files;
}

/** As after `labgate multipass-auth`: the lab's Multipass daemon accepts the identity in this data dir. */
function acceptedByLabMultipass(dataDir: string): void {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'lab', 'cli.mts'), 'multipass', 'accept', dataDir], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`the lab's Multipass daemon did not accept ${dataDir}: ${res.stderr}`);
}

const withoutPassword = ({ LABGATE_ADMIN_PASSWORD: _, ...env }: Record<string, string>) => env;

/** The servers Playwright starts for this shape, with the settings both shapes share. */
/** The host role's data dir, where its Multipass identity is kept. */
export function hostDataDir(): string {
  return SHAPE === 'two-role' ? path.join(process.env.LABGATE_E2E_ROLES_DIR!, 'host-data') : process.env.LABGATE_E2E_DATA_DIR!;
}

export function webServers(common: { env: Record<string, string>; url: string; port: number }): WebServer[] {
  const base = { cwd: ROOT, reuseExistingServer: false, timeout: 60_000, stdout: 'pipe' as const };
  // The units' runtime settings; the server trusts the CA it makes.
  const app = { ...runtimeEnv(ROOT), ...common.env, NEXT_TELEMETRY_DISABLED: '1', NODE_EXTRA_CA_CERTS: '' };
  if (SHAPE === 'all') {
    acceptedByLabMultipass(common.env.LABGATE_DATA_DIR!);
    return [
      {
        ...base,
        command: 'node .next/standalone/start.mjs',
        url: common.url,
        ignoreHTTPSErrors: true, // only this readiness check: the CA it would need is made by the server it waits for
        env: { ...app, KUBECONFIG: process.env.LABGATE_LAB_LABGATE_KUBECONFIG ?? '', HOSTNAME: '0.0.0.0', PORT: String(common.port) },
      },
    ];
  }
  const files = prepareTwoRoles();
  process.env.LABGATE_E2E_HOST_SOCKET = files.socket;
  // The stand-ins every local user may run (multipass), then the system's tools: no root-only dir on PATH.
  const PATH = `${process.env.LABGATE_LAB_BIN}:${SYSTEM_PATH}`;
  const start = (user: string[]) => quote([...user, files.node, path.join(ROOT, '.next', 'standalone', 'start.mjs')]);
  return [
    {
      ...base,
      command: start(['setpriv', ...asUser(HOST_UID, SHARED_GID, [CADDY_GID], HOST_CAPS)]),
      wait: { stdout: /labgate: listening on unix:/ },
      env: {
        ...withoutPassword(app), // the host role has no login
        PATH,
        LABGATE_ROLE: 'host',
        LABGATE_DATA_DIR: files.hostData,
        KUBECONFIG: files.kubeconfig.host,
        LABGATE_SOCKET: files.socket,
        LABGATE_RUNTIME_DIR: path.dirname(files.socket), // its RuntimeDirectory, where the host lock is too
      },
    },
    {
      ...base,
      command: start(['setpriv', ...asUser(UI_UID, UI_UID, [SHARED_GID], [])]),
      url: common.url,
      ignoreHTTPSErrors: true,
      env: {
        ...app,
        PATH: SYSTEM_PATH, // no multipass command: only the host role talks to Multipass
        LABGATE_ROLE: 'ui',
        LABGATE_HOST_URL: `unix:${files.socket}`,
        KUBECONFIG: files.kubeconfig.ui,
        HOSTNAME: '0.0.0.0',
        PORT: String(common.port),
      },
    },
  ];
}

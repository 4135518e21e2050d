// Caddy as deploy/systemd/labgate-caddy.service runs it: its own user holding only the right
// to bind 80 and 443, its admin API on a unix socket only its group (the host role) may open,
// started with nothing but that admin API (deploy/caddy/bootstrap.json); the host role loads the rest.
import fs from 'node:fs';
import path from 'node:path';
import type { LabPaths } from './paths.mts';
import { REPO } from './paths.mts';
import { startProcess, stopProcess, waitFor } from './processes.mts';
import { asUser } from './setpriv.mts';
import { namespaces } from './topology.mts';

export const CADDY_UID = 64_102; // the unit's User=labgate-caddy, by number
export const caddyAdminSocket = (p: LabPaths) => path.join(p.shared, 'caddy', 'run', 'admin.sock');

export async function startCaddy(prefix: string, p: LabPaths): Promise<void> {
  const dir = path.join(p.shared, 'caddy');
  const run = path.dirname(caddyAdminSocket(p));
  const data = path.join(dir, 'data');
  for (const [d, mode] of [
    [dir, 0o755],
    [run, 0o750],
    [data, 0o700],
  ] as const) {
    fs.mkdirSync(d, { recursive: true });
    fs.chownSync(d, CADDY_UID, CADDY_UID);
    fs.chmodSync(d, mode);
  }
  const bootstrap = JSON.parse(fs.readFileSync(path.join(REPO, 'deploy', 'caddy', 'bootstrap.json'), 'utf8'));
  bootstrap.admin.listen = `unix/${caddyAdminSocket(p)}`;
  const config = path.join(dir, 'bootstrap.json');
  fs.writeFileSync(config, JSON.stringify(bootstrap));
  startProcess(
    {
      name: 'caddy',
      ns: namespaces(prefix).host,
      cmd: 'setpriv',
      args: [...asUser(CADDY_UID, CADDY_UID, [], ['net_bind_service']), 'sh', '-c', `umask 0007 && exec caddy run --config '${config}'`],
      env: { PATH: process.env.PATH, HOME: data, XDG_DATA_HOME: data, XDG_CONFIG_HOME: data } as unknown as NodeJS.ProcessEnv,
    },
    { logs: p.logs, pids: p.pids },
  );
  await waitFor("Caddy's admin socket", async () => fs.existsSync(caddyAdminSocket(p)), 15_000, 100);
}

/** Caddy's unit restarted (an upgrade, a reboot): it comes back with its bootstrap config only. */
export async function restartCaddy(prefix: string, p: LabPaths): Promise<void> {
  await stopProcess('caddy', p.pids, 3_000);
  fs.rmSync(caddyAdminSocket(p), { force: true });
  await startCaddy(prefix, p);
}

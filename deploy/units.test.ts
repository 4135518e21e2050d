import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The units as scripts/install.sh writes them, parsed into key → values per file. */
function rendered(): { dir: string; units: Record<string, Map<string, string[]>> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-units-'));
  execFileSync(path.join(ROOT, 'scripts', 'install.sh'), ['render', dir, process.execPath]);
  const units: Record<string, Map<string, string[]>> = {};
  for (const file of fs.readdirSync(dir)) {
    const keys = new Map<string, string[]>();
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line);
      if (m) keys.set(m[1]!, [...(keys.get(m[1]!) ?? []), m[2]!]);
    }
    units[file] = keys;
  }
  return { dir, units };
}

describe('the systemd units', () => {
  const { dir, units } = rendered();
  const host = units['labgate-host.service']!;
  const ui = units['labgate-ui.service']!;

  it('pass systemd-analyze verify as installed', () => {
    const res = spawnSync('systemd-analyze', ['verify', ...fs.readdirSync(dir).map((f) => path.join(dir, f))], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('give the host role exactly the capabilities iptables needs, and no way to gain more', () => {
    expect(host.get('User')).toEqual(['labgate']);
    expect(host.get('AmbientCapabilities')).toEqual(['CAP_NET_ADMIN CAP_NET_RAW']);
    expect(host.get('CapabilityBoundingSet')).toEqual(['CAP_NET_ADMIN CAP_NET_RAW']);
    expect(host.get('NoNewPrivileges')).toEqual(['yes']);
    expect(host.get('ProtectSystem')).toEqual(['strict']);
    expect(host.get('ReadWritePaths')).toEqual(['/var/lib/labgate']);
    expect(host.get('Environment')![0]).toContain('HOSTNAME=127.0.0.1 PORT=3001');
    expect(host.get('After')![0]).toMatch(/network-online\.target.*multipass/);
  });

  it('run the dashboard with no capabilities at all', () => {
    expect(ui.get('User')).toEqual(['labgate-ui']);
    expect(ui.get('CapabilityBoundingSet')).toEqual(['']);
    expect(ui.has('AmbientCapabilities')).toBe(false);
    expect(ui.get('Environment')![0]).toContain('LABGATE_ROLE=ui');
  });

  it('start the Node resolved at install time and never fetch anything at boot', () => {
    for (const unit of [host, ui]) {
      expect(unit.get('ExecStart')).toEqual([`${process.execPath} ${ROOT}/scripts/start.mts`]);
      expect(unit.get('EnvironmentFile')).toEqual(['/etc/labgate/labgate.env']);
    }
    expect(fs.readFileSync(path.join(dir, 'labgate-host.service'), 'utf8')).not.toMatch(/@NODE@|@APP@|npm|with-node/);
  });
});

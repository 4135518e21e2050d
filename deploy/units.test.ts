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
  const caddy = units['labgate-caddy.service']!;

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
    expect(host.get('Environment')![0]).toContain('LABGATE_SOCKET=/run/labgate/host.sock');
    expect(host.get('RuntimeDirectory')).toEqual(['labgate']);
    expect(host.get('RuntimeDirectoryMode')).toEqual(['0750']);
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
      expect(unit.get('ExecStart')).toEqual([`${process.execPath} ${ROOT}/.next/standalone/start.mjs`]);
      expect(unit.get('EnvironmentFile')).toEqual([`${ROOT}/deploy/systemd/runtime.env`, '/etc/labgate/labgate.env']);
    }
    expect(fs.readFileSync(path.join(dir, 'labgate-host.service'), 'utf8')).not.toMatch(/@NODE@|@APP@|npm|with-node/);
  });

  it("run Caddy as its own user with only the right to bind 80 and 443, its admin socket the host role's alone", () => {
    expect(caddy.get('User')).toEqual(['labgate-caddy']);
    expect(caddy.get('AmbientCapabilities')).toEqual(['CAP_NET_BIND_SERVICE']);
    expect(caddy.get('CapabilityBoundingSet')).toEqual(['CAP_NET_BIND_SERVICE']);
    expect(caddy.get('ExecStart')).toEqual([`/usr/bin/caddy run --config ${ROOT}/deploy/caddy/bootstrap.json`]);
    const bootstrap = JSON.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'caddy', 'bootstrap.json'), 'utf8'));
    expect(bootstrap).toEqual({ admin: { listen: 'unix//run/labgate-caddy/admin.sock', config: { persist: false } } });
    expect(caddy.get('RuntimeDirectory')).toEqual(['labgate-caddy']);
    expect([caddy.get('RuntimeDirectoryMode'), caddy.get('UMask')]).toEqual([['0750'], ['0007']]);
    // Only the host role joins its group: the LAN-facing ui role must not reconfigure the TLS terminator.
    expect(host.get('SupplementaryGroups')).toEqual(['labgate-caddy']);
    expect(ui.get('SupplementaryGroups')).toEqual(['labgate']);
  });

  // systemd's own exposure score (0 best, 10 worst) for each unit as installed.
  it.each([
    { file: 'labgate-ui.service', goal: 1.5 },
    { file: 'labgate-host.service', goal: 2.5 },
    { file: 'labgate-caddy.service', goal: 2.0 },
  ])('$file scores at most $goal in systemd-analyze security', ({ file, goal }) => {
    const res = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', path.join(dir, file)], { encoding: 'utf8' });
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(res.stdout)?.[1]);
    console.log(`systemd-analyze security ${file}: ${score}`);
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(goal);
  });

  it('sandbox both as far as they still work: no devices, kernel, clock, namespaces or foreign syscalls', () => {
    for (const unit of [host, ui, caddy]) {
      for (const key of [
        'PrivateDevices',
        'ProtectKernelTunables',
        'ProtectKernelLogs',
        'ProtectClock',
        'ProtectHostname',
        'RestrictNamespaces',
        'RestrictRealtime',
        'PrivateMounts',
      ])
        expect(unit.get(key), key).toEqual(['yes']);
      expect(unit.get('SystemCallFilter')![0]).toBe('@system-service');
      expect(unit.get('ProtectProc')).toEqual(['invisible']);
      expect(unit.get('IPAddressDeny')).toEqual(['any']);
    }
    expect(host.get('RestrictAddressFamilies')).toEqual(['AF_UNIX AF_INET AF_INET6 AF_NETLINK']); // iptables-nft speaks netlink
    expect(ui.get('RestrictAddressFamilies')).toEqual(['AF_UNIX AF_INET AF_INET6 AF_NETLINK']); // getifaddrs: the certificate's addresses
    expect(ui.get('PrivateUsers')).toEqual(['yes']);
  });
});

describe("the installer's Node", () => {
  const install = (...args: string[]) => spawnSync(path.join(ROOT, 'scripts', 'install.sh'), ['node', ...args], { encoding: 'utf8' });
  const pinned = /^NODE_VERSION=(\S+)$/m.exec(fs.readFileSync(path.join(ROOT, 'scripts', 'install.sh'), 'utf8'))![1];

  it('installs the pinned release once its integrity checks out, and refuses one that does not, installing nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-node-'));
    try {
      const ok = install(dir);
      expect(ok.status, ok.stderr).toBe(0);
      expect(execFileSync(path.join(dir, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${pinned}`);
      const tampered = install(path.join(dir, 'other'), `sha512-${Buffer.alloc(64).toString('base64')}`);
      expect(tampered.status).toBe(1);
      expect(tampered.stderr).toMatch(/failed its integrity check.*nothing installed/);
      expect(fs.existsSync(path.join(dir, 'other'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { hostApi, startServer, type StartedServer } from '@/lab/server.mts';
import { eventually, iptables, labPrefix, ruleset } from '@/lab/testing.mts';
import { runDoctor } from '@/lib/doctor';
import { env } from '@/lib/env';
import { migrations } from '@/lib/store/migrations';

// One owner per host, with the production server as the units start it: a second copy exits at
// start naming the first (in the same mount namespace, or in another one that cannot see its lock
// file), a killed owner leaves nothing behind, and what someone else writes into labgate's chains
// is put back within a second or two and shown once in the activity log.
const prefix = labPrefix();
const token = randomBytes(24).toString('base64url');
const started: StartedServer[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-owner-'));

const dataDir = () => fs.mkdtempSync(path.join(scratch, 'data-'));
async function hostRole(dir: string, wrapper: string[] = []): Promise<StartedServer> {
  const server = await startServer({ env: { LABGATE_ROLE: 'host', LABGATE_DATA_DIR: dir, LABGATE_HOST_TOKEN: token }, wrapper });
  started.push(server);
  return server;
}
const api = (base: string, method: string, url: string, body?: unknown) => hostApi(base, token, method, url, body);
const natRules = async () => (await run('iptables-save', ['-t', 'nat'])).stdout;

beforeAll(() => rebootFirewall(prefix));

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop('SIGKILL')));
  await rebootFirewall(prefix);
});

describe('one owner per host', () => {
  it('a second copy exits at start with a message naming the first, in this mount namespace and in another', async () => {
    const dir = dataDir();
    const first = await hostRole(dir);
    const pid = first.child.pid!;
    const named = new RegExp(`the server exited \\(1\\)[^]*another labgate already owns this host's firewall: pid ${pid}, data dir ${dir}`);
    const before = await ruleset();

    await expect(hostRole(dataDir())).rejects.toThrow(named);
    // Another mount namespace, its runtime directory an empty tmpfs: no lock file to see, the owner's socket all the same.
    const elsewhere = [
      'unshare',
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      'mount -t tmpfs tmpfs "$0" && exec "$@"',
      env().runtimeDir,
    ];
    await expect(hostRole(dataDir(), elsewhere)).rejects.toThrow(/in another mount namespace or container on this host/);
    expect(await ruleset()).toBe(before); // neither touched the firewall

    const found = (await runDoctor()).find((f) => f.check === 'Owner');
    expect(found).toMatchObject({
      severity: 'ok',
      message: expect.stringContaining(`labgate pid ${pid} owns this host's firewall (data dir ${dir}`),
    });
  });

  it("a copy killed with -9 leaves no stale lock: the next one starts, and its mark replaces the old one's in the canary", async () => {
    const first = await hostRole(dataDir());
    const firstMark = /--comment labgate-canary-([a-f0-9]+)/.exec(await natRules())?.[1];
    expect(firstMark).toMatch(/^[a-f0-9]{12}$/);
    await first.stop('SIGKILL');
    await hostRole(dataDir());
    const mark = /--comment labgate-canary-([a-f0-9]+)/.exec(await natRules())?.[1];
    expect(mark).toMatch(/^[a-f0-9]{12}$/);
    expect(mark).not.toBe(firstMark);
  });

  it("what someone else writes into labgate's chains is put back within a second or two, and shown once in the activity log", async () => {
    const { base } = await hostRole(dataDir());
    const created = await api(base, 'POST', '/api/host/forwards', {
      name: 'Jenkins',
      listenPort: 8080,
      target: { kind: 'static', ip: '10.120.52.31', port: 8080 },
    });
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    const repairs = async () =>
      ((await api(base, 'GET', '/api/host/audit?limit=50')).json as unknown as { action: string; detail: string }[]).filter(
        (e) => e.action === 'firewall.repair',
      );
    const timed = async (what: string, write: () => Promise<unknown>, repaired: (nat: string) => boolean) => {
      const started = performance.now();
      await write();
      await eventually(`the owner to put back ${what}`, async () => repaired(await natRules()), 10_000);
      const ms = Math.round(performance.now() - started);
      console.log(`${what}: put back after ${ms} ms`);
      return ms;
    };

    // Another writer: a rule added to labgate's DNAT chain.
    const added = await timed(
      'a rule added to LABGATE-DNAT',
      () => iptables('-t', 'nat', '-A', 'LABGATE-DNAT', '-p', 'tcp', '--dport', '9999', '-j', 'RETURN'),
      (nat) => !nat.includes('--dport 9999'),
    );
    // A restore of an old dump: labgate's chains as they were before the forward existed.
    const dump = (await natRules()).replace(new RegExp(`^-A .*labgate:${id}.*\\n`, 'gm'), '');
    const restored = await timed(
      'an old dump restored',
      () => run('iptables-restore', ['--noflush'], { input: dump }),
      (nat) => nat.includes(`labgate:${id}`),
    );
    // The reconciler's full resync is every 30 s: these were found by its one-second check.
    expect(Math.max(added, restored)).toBeLessThan(15_000);
    await eventually('both repairs in the activity log', async () => (await repairs()).length >= 2);
    const details = (await repairs()).map((e) => e.detail);
    expect(details).toHaveLength(2);
    expect(details.join('\n')).toContain('1 rule labgate did not write: -A LABGATE-DNAT -p tcp -m tcp --dport 9999 -j RETURN');
    expect(details.join('\n')).toMatch(/of labgate's rules missing/);
  });
});

describe('an older labgate on a store a newer one wrote', () => {
  it('exits with its message, non-zero, before listening and before touching the firewall', async () => {
    const dir = dataDir();
    const db = new Database(path.join(dir, 'labgate.db'));
    db.pragma(`user_version = ${migrations.at(-1)!.version + 1}`);
    db.close();
    const before = await ruleset();
    const error = await hostRole(dir).then(
      () => null,
      (e: unknown) => String(e),
    );
    expect(error).toMatch(/the server exited \(1\)[^]*its data dir was written by a newer labgate/);
    expect(error).not.toContain('labgate: listening on');
    expect(await ruleset()).toBe(before);
  });
});

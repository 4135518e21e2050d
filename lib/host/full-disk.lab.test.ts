import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptedByMultipass, rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { labPrefix } from '@/lab/testing.mts';

// The store on a real, small tmpfs that the test fills: every change is refused in words and
// changes nothing; with the room check taken away, SQLite's own failure to commit puts the kernel
// back. After each, labgate's chains hold exactly what the store says.
const prefix = labPrefix();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-full-'));
await run('mount', ['-t', 'tmpfs', '-o', 'size=3m,mode=0700', 'labgate-full', dir]);
const token = randomBytes(24).toString('base64url');
process.env.LABGATE_DATA_DIR = dir;
process.env.LABGATE_HOST_TOKEN = token;
await acceptedByMultipass(prefix, dir);

const { env } = await import('@/lib/env');
const { db } = await import('@/lib/store/db');
const { HostService } = await import('./service');
const { hostService, liveHostDeps } = await import('./wiring');
const { hostStatus } = await import('./testing/status');
const forwards = await import('@/app/api/host/forwards/route');
const forward = await import('@/app/api/host/forwards/[id]/route');
const healthz = await import('@/app/api/healthz/route');

const filler = path.join(dir, 'filler');
const free = () => {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
};
/** Fills the tmpfs until only `leave` bytes (rounded to its blocks) are free. */
function fill(leave = 0): void {
  fs.rmSync(filler, { force: true });
  const fd = fs.openSync(filler, 'w');
  try {
    const chunk = Buffer.alloc(4096, 1);
    while (free() > leave) fs.writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

const request = (method: string, url: string, body?: unknown) =>
  new Request(`http://localhost${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const jenkins = (port: number) => ({
  name: `Jenkins ${port}`,
  listenPort: port,
  target: { kind: 'static', ip: '10.120.52.31', port: 8080 },
});

let host: Awaited<ReturnType<typeof hostService>>;
const lastAudit = () => host.auditLog.list({ limit: 1 })[0]?.id ?? 0;
/** The entries since `after`: a refusal may be recorded where SQLite still finds room, a change that did not happen never is. */
const auditedSince = (after: number) => host.auditLog.list({ limit: 1000 }).filter((e) => e.id > after);

async function storeAndKernelAgree(label: string, service = host): Promise<void> {
  expect((await hostStatus(service)).diff, label).toMatchObject({ inSync: true });
  const nat = (await run('iptables-save', ['-t', 'nat'])).stdout;
  const inKernel = [...new Set([...nat.matchAll(/^-A LABGATE-DNAT .*labgate:([a-z0-9]+)/gm)].map((m) => m[1]))].sort(); // each forward once
  expect(inKernel, label).toEqual(
    service
      .list()
      .map((f) => f.id)
      .sort(),
  );
}

afterAll(async () => {
  fs.rmSync(filler, { force: true });
  for (const f of host?.list() ?? []) await host.remove(f.id, 'test');
  db().close();
  await run('umount', [dir]);
  fs.rmSync(dir, { recursive: true, force: true });
  await rebootFirewall(prefix);
});

describe('a data directory on a tmpfs that fills up', () => {
  it('is where this test keeps its store', () => expect(env().dataDir).toBe(dir));

  it('full, and then nearly full: create, edit and delete are refused in words; nothing changes, store and kernel agree', async () => {
    await rebootFirewall(prefix);
    host = await hostService();
    const created = await forwards.POST(request('POST', '/api/host/forwards', jenkins(8080)));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    db().pragma('wal_checkpoint(TRUNCATE)'); // the write-ahead log back to nothing: the next commit needs new room

    for (const [what, leave] of [
      ['full', 0],
      ['nearly full', 16 * 1024],
    ] as const) {
      fill(leave);
      const audited = lastAudit();
      const answers = [
        await forwards.POST(request('POST', '/api/host/forwards', jenkins(8081))),
        await forward.PATCH(request('PATCH', `/api/host/forwards/${id}`, { id, listenPort: 8082 }), params(id)),
        await forward.DELETE(request('DELETE', `/api/host/forwards/${id}`), params(id)),
      ];
      for (const res of answers) {
        expect(res.status, what).toBe(507);
        expect(((await res.json()) as { error: string }).error).toBe(
          `labgate's data directory ${dir} is full: free some space; nothing was changed.`,
        );
      }
      expect(host.list().map((f) => [f.id, f.listenPort])).toEqual([[id, 8080]]);
      expect(auditedSince(audited).filter((e) => e.result === 'ok')).toEqual([]);
      await storeAndKernelAgree(what);
      const health = (await (await healthz.GET()).json()) as { status: string; store: { state: string; reason: string } };
      expect(health).toMatchObject({ status: 'degraded', store: { state: 'full', reason: expect.stringContaining(dir) } });
    }
  });

  it("with the room check taken away, SQLite's own SQLITE_FULL at commit puts the kernel back as the store says", async () => {
    const unchecked = new HostService({ ...(await liveHostDeps()), storeRoom: () => null });
    fill(0);
    const before = unchecked.list();
    const res = await unchecked.create(jenkins(8083), 'test');
    console.log(`create with the disk full and no room check: ${JSON.stringify(res)}`);
    expect(res).toMatchObject({ ok: false, status: 507, error: expect.stringContaining('is full') });
    expect(unchecked.list()).toEqual(before);
    await storeAndKernelAgree('after SQLITE_FULL at commit', unchecked);
  });

  it('with room again, changes work and healthz is ok once a write succeeds', async () => {
    fs.rmSync(filler, { force: true });
    const res = await host.create(jenkins(8084), 'test');
    expect(res.ok).toBe(true);
    await storeAndKernelAgree('with room again');
    expect(((await (await healthz.GET()).json()) as { store: { state: string } }).store.state).toBe('ok');
  });
});

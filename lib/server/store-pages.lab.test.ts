import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { startServer, type StartedServer } from '@/lab/server.mts';
import { labPrefix } from '@/lab/testing.mts';

// The production server (role all) with its data directory on a small tmpfs that fills up while
// it runs: every way a person or a monitor meets it says the disk is full, in words.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-pages-'));
const password = randomBytes(12).toString('base64url');
const metricsToken = randomBytes(24).toString('base64url');
const FULL = `labgate's data directory ${dir} is full: free some space; nothing was changed.`;
let server: StartedServer;
let cookie = '';

function fill(): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  try {
    for (const chunk = Buffer.alloc(65536, 1); ;) fs.writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.base}${url}`, {
    method: 'POST',
    headers: { origin: server.base, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  await run('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'labgate-pages', dir]);
  await rebootFirewall(labPrefix());
  server = await startServer({ env: { LABGATE_DATA_DIR: dir, LABGATE_ADMIN_PASSWORD: password, LABGATE_METRICS_TOKEN: metricsToken } });
  const login = await post('/api/auth/login', { password });
  expect(login.status).toBe(200);
  cookie = /labgate_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  fill();
}, 120_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await run('umount', [dir]);
  fs.rmSync(dir, { recursive: true, force: true });
  await rebootFirewall(labPrefix());
});

describe('a data directory that fills up while labgate runs', () => {
  it('a change through the API: 507 with the cause, nothing stored', async () => {
    const res = await post(
      '/api/host/forwards',
      { name: 'Jenkins', listenPort: 8080, target: { kind: 'static', ip: '10.120.52.31', port: 8080 } },
      { cookie },
    );
    expect(res.status).toBe(507);
    expect(await res.json()).toEqual({ error: FULL });
    expect(await (await fetch(`${server.base}/api/host/forwards`, { headers: { cookie } })).json()).toEqual([]);
  });

  it('logging in: a wrong password is still 401; the right one is 507 with the cause', async () => {
    const wrong = await post('/api/auth/login', { password: 'not the password' });
    expect(wrong.status).toBe(401);
    const right = await post('/api/auth/login', { password });
    expect(right.status).toBe(507);
    expect(((await right.json()) as { error: string }).error).toBe(FULL);
  });

  it('every page says why changes are refused, the login page too', async () => {
    for (const page of ['/', '/forwards', '/services']) {
      const html = await (await fetch(`${server.base}${page}`, { headers: { cookie } })).text();
      expect(html, page).toContain('labgate cannot save changes');
      expect(html, page).toContain(`labgate&#x27;s data directory ${dir} is full: free some space.`);
    }
    expect(await (await fetch(`${server.base}/login`)).text()).toContain('labgate cannot save changes');
  });

  it('healthz reports the store degraded, and /metrics its state', async () => {
    const health = (await (await fetch(`${server.base}/api/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'degraded', store: { state: 'full', reason: FULL } });
    const metrics = await (await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    expect(metrics).toContain('labgate_store_state{state="full"} 1');
    expect(metrics).toContain('labgate_store_state{state="ok"} 0');
  });

  it('with room again, all is well at once', async () => {
    fs.rmSync(path.join(dir, 'filler'));
    expect(((await (await fetch(`${server.base}/api/healthz`)).json()) as { status: string }).status).toBe('ok');
    expect((await post('/api/auth/login', { password })).status).toBe(200);
  });
});

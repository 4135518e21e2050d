import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { ADMIN_PASSWORD, apiLogin, expect, SESSION_COOKIE, test } from './fixtures/app';
import type { HostApi } from './fixtures/host-api';
import { SHAPE } from './shape';

// The security review's smaller items, against the running server.
test.describe.configure({ mode: 'serial' });

type AuditRow = { actor: string; action: string; subject: string; result: string };
const audit = async (hostApi: HostApi) => (await (await hostApi.get('/api/host/audit?limit=50')).json()) as AuditRow[];

test('the audit actor is set by the server: a body cannot name one, a session is always "admin"', async ({ request, hostApi }) => {
  const withActor = await hostApi.post('/api/host/audit', {
    data: { actor: 'mallory', action: 'node.label', subject: 'x', detail: '', result: 'ok' },
  });
  expect(withActor.status()).toBe(400);
  const cookie = `${SESSION_COOKIE}=${await apiLogin(request)}`;
  const entry = {
    headers: { cookie, 'x-labgate-actor': 'mallory' },
    data: { action: 'node.label', subject: 'claimed', detail: '', result: 'ok' },
  };
  if (SHAPE === 'all') {
    expect((await request.post('/api/host/audit', entry)).status()).toBe(201);
    expect((await audit(hostApi)).find((e) => e.subject === 'claimed')).toMatchObject({ actor: 'admin' });
  } else {
    // Two roles: the ui role has no host API, and the host role knows no session: only its token opens it.
    expect((await request.post('/api/host/audit', entry)).status()).toBe(404);
    expect((await hostApi.post('/api/host/audit', { ...entry, noToken: true })).status()).toBe(401);
    expect((await audit(hostApi)).find((e) => e.subject === 'claimed')).toBeUndefined();
  }
});

test('logins and failed logins go to the audit log; a login ends the session it replaces', async ({ request, hostApi }) => {
  expect((await request.post('/api/auth/login', { data: { password: 'not-the-password' } })).status()).toBe(401);
  const old = await apiLogin(request);
  const res = await request.post('/api/auth/login', {
    headers: { cookie: `${SESSION_COOKIE}=${old}` },
    data: { password: ADMIN_PASSWORD },
  });
  expect(res.status()).toBe(200);
  expect((await request.get('/api/state/overview', { headers: { cookie: `${SESSION_COOKIE}=${old}` } })).status()).toBe(401);
  const logins = (await audit(hostApi)).filter((e) => e.action === 'login');
  expect(logins.map((e) => e.result)).toEqual(expect.arrayContaining(['ok', 'Wrong password.']));
});

test('the audit log pages: ?before= gives the entries older than a cursor, bad pages are refused', async ({ hostApi }) => {
  const first = (await (await hostApi.get('/api/host/audit?limit=3')).json()) as (AuditRow & { id: number })[];
  expect(first).toHaveLength(3);
  const next = (await (await hostApi.get(`/api/host/audit?limit=3&before=${first.at(-1)!.id}`)).json()) as {
    id: number;
  }[];
  expect(next.every((e) => e.id < first.at(-1)!.id)).toBe(true);
  expect((await hostApi.get('/api/host/audit?limit=100000')).status()).toBe(400);
});

/** Opens the live-update stream with a session; resolves with the response once headers arrive. */
function stream(baseURL: string, session: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    https.get(`${baseURL}/api/state/events`, { headers: { cookie: `${SESSION_COOKIE}=${session}` } }, resolve).on('error', reject);
  });
}

test('live-update streams are capped per session and end when the session ends', async ({ request, baseURL }) => {
  const session = await apiLogin(request);
  const open = await Promise.all([1, 2, 3, 4].map(() => stream(baseURL!, session)));
  expect(open.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
  const fifth = await stream(baseURL!, session);
  expect(fifth.statusCode).toBe(429);
  fifth.resume();
  const ended = new Promise<string>((resolve) => {
    let text = '';
    open[0]!.on('data', (d: Buffer) => (text += d.toString()));
    open[0]!.on('end', () => resolve(text));
  });
  expect((await request.post('/api/auth/logout', { headers: { cookie: `${SESSION_COOKIE}=${session}` } })).status()).toBe(200);
  expect(await ended).toContain('event: ended');
  for (const r of open) r.destroy();
});

test('the browser reads host state from the process that served its page: forwards, firewall, rules, activity and its CSV', async ({
  request,
}) => {
  const cookie = `${SESSION_COOKIE}=${await apiLogin(request)}`;
  const forwards = await request.get('/api/state/forwards', { headers: { cookie } });
  expect(forwards.status()).toBe(200);
  expect(Array.isArray(await forwards.json())).toBe(true);
  expect(await (await request.get('/api/state/firewall', { headers: { cookie } })).json()).toMatchObject({
    inSync: expect.any(Boolean),
    backend: expect.any(String),
  });
  expect(await (await request.get('/api/state/rules', { headers: { cookie } })).text()).toContain('LABGATE-');
  expect(((await (await request.get('/api/state/audit?limit=5', { headers: { cookie } })).json()) as unknown[]).length).toBeLessThanOrEqual(
    5,
  );
  const csv = await request.get('/api/state/audit?format=csv', { headers: { cookie } });
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toMatch(/^when,who,what,on,detail,result\r\n/);
  expect((await request.get('/api/state/audit?limit=5000', { headers: { cookie } })).status()).toBe(400);
});

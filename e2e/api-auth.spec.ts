import { apiLogin, expect, plantExpiredSession, SESSION_COOKIE, test } from './fixtures/app';
import { SHAPE } from './shape';
import { discoverRouteHandlers } from './fixtures/routes';

// The exposure gate checks its caller itself: Caddy on this host, never a session (below).
const EXPOSURE_GATE = '/api/auth/exposure';
const PUBLIC = new Set(['/api/healthz', '/api/auth/login', '/api/tls/ca', EXPOSURE_GATE]);
const handlers = discoverRouteHandlers().filter((h) => h.url.startsWith('/api/'));
// In the two-role shape the host API is the host role's alone, behind its token: checked below.
const onHostRole = (url: string) => SHAPE === 'two-role' && url.startsWith('/api/host/');
const guarded = handlers.filter((h) => !PUBLIC.has(h.url) && !onHostRole(h.url));

test('route discovery finds the API', () => {
  expect(handlers.map((h) => h.url)).toEqual(expect.arrayContaining(['/api/healthz', '/api/auth/login', '/api/auth/logout']));
  for (const h of handlers) expect(h.methods.length, `${h.file} exports no method`).toBeGreaterThan(0);
});

const forged = {
  'no cookie': undefined,
  'a forged cookie': 'A'.repeat(43),
  'a malformed cookie': 'not-a-session',
  'an expired cookie': 'expired',
} as const;

for (const h of guarded) {
  for (const method of h.methods) {
    for (const [name, value] of Object.entries(forged)) {
      test(`${method} ${h.url} answers 401 with ${name}`, async ({ request }) => {
        const cookie = value === 'expired' ? plantExpiredSession() : value;
        const res = await request.fetch(h.url, {
          method,
          headers: cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {},
          maxRedirects: 0,
        });
        expect(res.status()).toBe(401);
        if (method !== 'HEAD') expect(await res.json()).toEqual({ error: expect.stringMatching(/log in/i) });
      });
    }
  }
}

test('the exposure gate answers only this host: a device on the LAN is refused, whatever it sends', async ({ page, request }) => {
  const asked = `${EXPOSURE_GATE}?name=grafana.local`;
  const fromLan = await page.goto(asked); // the browser is a laptop on the LAN
  expect(fromLan!.status()).toBe(403);
  expect(await fromLan!.text()).toBe('Only labgate’s TLS terminator on this host asks here.\n');
  // The tests' own requests come from the host itself, as Caddy's do: a page load with no sign-in goes to it.
  const fromHost = await request.get(asked, { headers: { 'x-forwarded-uri': '/d/x' }, maxRedirects: 0 });
  expect(fromHost.status()).toBe(302);
  expect(new URL(fromHost.headers().location!).pathname + new URL(fromHost.headers().location!).search).toBe(
    '/open?name=grafana.local&next=%2Fd%2Fx',
  );
  expect((await request.get(`${EXPOSURE_GATE}?name=not%20a%20name`)).status()).toBe(400);
});

const MUTATING = ['POST', 'PUT', 'PATCH', 'DELETE'];
for (const h of guarded) {
  for (const method of h.methods.filter((m) => MUTATING.includes(m))) {
    test(`${method} ${h.url} refuses a cross-origin request even with a session, and a wrong bearer token`, async ({ request }) => {
      const cookie = `${SESSION_COOKIE}=${await apiLogin(request)}`;
      const cross = await request.fetch(h.url, {
        method,
        headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
        data: '{}',
      });
      expect(cross.status()).toBe(403);
      if (h.url.startsWith('/api/host/')) {
        const bearer = await request.fetch(h.url, {
          method,
          headers: { authorization: 'Bearer wrong-token-wrong-token-wrong', 'content-type': 'application/json' },
          data: '{}',
        });
        expect(bearer.status()).toBe(401);
      }
    });
  }
}

for (const h of handlers.filter((x) => onHostRole(x.url))) {
  for (const method of h.methods) {
    test(`${method} ${h.url} is the host role's: the ui role has none, the host role wants its token, not a session`, async ({
      request,
      hostApi,
    }) => {
      const cookie = `${SESSION_COOKIE}=${await apiLogin(request)}`;
      const data = ['GET', 'HEAD'].includes(method) ? undefined : '{}';
      expect((await request.fetch(h.url, { method, headers: { cookie }, data, maxRedirects: 0 })).status()).toBe(404);
      for (const headers of [{ cookie }, { authorization: 'Bearer wrong-token-wrong-token-wrong' }, {}] as Record<string, string>[]) {
        expect((await hostApi.fetch(h.url, method, { headers, data, noToken: true })).status(), JSON.stringify(headers)).toBe(401);
      }
    });
  }
}

test("healthz needs no session and tells only version, uptime and the store's state", async ({ request }) => {
  const res = await request.get('/api/healthz');
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(Object.keys(body).sort()).toEqual(['status', 'store', 'uptimeSeconds', 'version']);
  expect(body).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), store: { state: 'ok' } });
});

test.describe('login API refuses bad input with a clear 4xx and no session', () => {
  const cases = [
    { name: 'an empty body', type: 'application/json', body: '', status: 400, error: /not valid JSON/ },
    { name: 'an empty password', type: 'application/json', body: '{"password":""}', status: 400, error: /Enter the password/ },
    { name: 'no password field', type: 'application/json', body: '{}', status: 400, error: /Enter the password/ },
    { name: 'a number for a password', type: 'application/json', body: '{"password":42}', status: 400, error: /Enter the password/ },
    {
      name: 'a 10 KB password',
      type: 'application/json',
      body: JSON.stringify({ password: 'x'.repeat(10_240) }),
      status: 400,
      error: /too long/,
    },
    { name: 'the wrong content type', type: 'text/plain', body: 'password=x', status: 415, error: /application\/json/ },
    { name: 'broken JSON', type: 'application/json', body: '{"password":', status: 400, error: /not valid JSON/ },
    { name: 'a wrong password', type: 'application/json', body: '{"password":"wrong password"}', status: 401, error: /^Wrong password\.$/ },
    {
      name: 'a 100 KB body',
      type: 'application/json',
      body: JSON.stringify({ password: 'x'.repeat(100_000) }),
      status: 413,
      error: /larger than/,
    },
  ];
  for (const c of cases) {
    test(c.name, async ({ request }) => {
      const res = await request.post('/api/auth/login', { headers: { 'content-type': c.type }, data: Buffer.from(c.body) });
      expect(res.status()).toBe(c.status);
      expect((await res.json()).error).toMatch(c.error);
      expect(res.headers()['set-cookie']).toBeUndefined();
    });
  }
});

test('a form-encoded login works, logout ends the session, and cross-origin logout is refused', async ({ request }) => {
  const form = await request.post('/api/auth/login', { form: { password: process.env.LABGATE_E2E_PASSWORD! } });
  expect(form.status()).toBe(200);

  const id = await apiLogin(request);
  const cookie = `${SESSION_COOKIE}=${id}`;
  const crossSite = await request.post('/api/auth/logout', { headers: { cookie, origin: 'http://evil.example' } });
  expect(crossSite.status()).toBe(403);
  const page = await request.get('/', { headers: { cookie }, maxRedirects: 0 });
  expect(page.status()).toBe(200);

  expect((await request.post('/api/auth/logout', { headers: { cookie } })).status()).toBe(200);
  expect((await request.post('/api/auth/logout', { headers: { cookie } })).status()).toBe(401);
});

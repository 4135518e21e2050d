import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Every route handler of the app, with the store damaged (its file is not a database): each one
// answers with a body that says what is wrong — never an empty 500 — and the ones that need the
// store name it and what to do. healthz then reports the store degraded, with the reason.
const METRICS_TOKEN = 'metrics-token-for-the-store-walk-0123';
process.env.LABGATE_METRICS_TOKEN = METRICS_TOKEN;

const APP = import.meta.dirname;
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;
// Routes that answer without the store: the CA download, the health check and the metrics.
const WITHOUT_STORE = new Set(['/api/tls/ca', '/api/healthz', '/metrics', '/metrics/host']);

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(full) : e.name === 'route.ts' ? [full] : [];
  });
}

/** app/api/host/forwards/[id]/route.ts → /api/host/forwards/abc123 (a route group's folder is not in the URL). */
const urlOf = (file: string) =>
  `/${path.relative(APP, path.dirname(file))}`
    .split('/')
    .filter((s) => !/^\(.*\)$/.test(s))
    .join('/')
    .replace(/\[id\]/g, 'abc123')
    .replace(/\[name\]/g, 'ops');

const routes = routeFiles(APP).map((file) => ({ file, url: urlOf(file) }));

beforeAll(() => {
  const dataDir = process.env.LABGATE_DATA_DIR!;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'labgate.db'), 'this is not a database, as after a disk error'.repeat(200));
});

describe('every route, with a damaged store', () => {
  it('finds the routes', () => {
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/host/forwards', '/api/state/services']));
  });

  it.each(routes.map((r) => [r.url, r.file]))('%s answers in words', async (url, file) => {
    const mod = (await import(file)) as Record<string, unknown>;
    const methods = METHODS.filter((m) => typeof mod[m] === 'function');
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      // operation: the journal's; name: the exposure gate's, which Caddy asks from this host.
      const req = new Request(`http://localhost${url}?operation=expose&name=grafana.local`, {
        method,
        headers: {
          cookie: `labgate_session=a-session-the-store-must-be-read-for; __Host-labgate_exposure=${'a'.repeat(43)}`,
          origin: 'http://localhost',
          host: 'localhost',
          'x-labgate-remote-address': '127.0.0.1',
          'content-type': 'application/json',
          ...(url.startsWith('/metrics') ? { authorization: `Bearer ${METRICS_TOKEN}` } : {}),
        },
        body: method === 'GET' ? undefined : JSON.stringify({ password: 'a-password-long-enough' }),
      });
      const handler = mod[method] as (req: Request, ctx: unknown) => Promise<Response>;
      const res = await handler(req, { params: Promise.resolve({ id: 'abc123', name: 'ops' }) });
      const text = await res.text();
      expect(text.length, `${method} ${url}: an empty body (${res.status})`).toBeGreaterThan(0);
      if (res.status >= 400) {
        const body = JSON.parse(text) as { error?: string; status?: string };
        expect(body.error ?? body.status, `${method} ${url}`).toMatch(/\w{3}/); // healthz: its status, "starting"
      }
      if (!WITHOUT_STORE.has(url)) {
        expect(res.status, `${method} ${url}: ${text}`).toBe(503);
        expect(text, `${method} ${url}`).toContain('is damaged: restore it from a backup');
      }
    }
  });

  it('healthz says the store is degraded, and why', async () => {
    const { GET } = await import('./api/healthz/route');
    const body = (await (await GET()).json()) as { status: string; store: { state: string; reason: string } };
    expect(body).toMatchObject({
      status: 'degraded',
      store: { state: 'corrupt', reason: expect.stringContaining('labgate.db is damaged') },
    });
  });
});

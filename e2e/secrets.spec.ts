import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ADMIN_PASSWORD, apiLogin, expect, SESSION_COOKIE, test } from './fixtures/app';
import { discoverRouteHandlers } from './fixtures/routes';
import { SHAPE } from './shape';

/** Every secret the app holds: none may leave it, in an answer, a page or the client bundle. */
function secrets(): Record<string, string> {
  const kubeconfig = fs.readFileSync(process.env.LABGATE_LAB_LABGATE_KUBECONFIG!, 'utf8');
  const admin = fs.readFileSync(process.env.KUBECONFIG!, 'utf8');
  const db = new Database(path.join(process.env.LABGATE_E2E_DATA_DIR!, 'labgate.db'), { readonly: true });
  const hash = db.prepare("SELECT value FROM settings WHERE key = 'admin_password_hash'").pluck().get() as string;
  db.close();
  return {
    'admin password': ADMIN_PASSWORD,
    'password hash': hash.split('$').pop()!,
    'host token': process.env.LABGATE_E2E_HOST_TOKEN!,
    'metrics token': process.env.LABGATE_E2E_METRICS_TOKEN!,
    'ServiceAccount token': /token: (\S+)/.exec(kubeconfig)![1]!.slice(0, 40),
    'client key': /client-key-data: (\S+)/.exec(admin)![1]!.slice(20, 80),
    'cluster CA': /certificate-authority-data: (\S+)/.exec(kubeconfig)![1]!.slice(40, 100),
  };
}

function leaks(text: string, found: Record<string, string>): string[] {
  return Object.entries(found)
    .filter(([, v]) => v && text.includes(v))
    .map(([k]) => k);
}

test('no secret appears in any GET answer or page', async ({ request, hostApi }) => {
  const s = secrets();
  const cookie = `${SESSION_COOKIE}=${await apiLogin(request)}`;
  const urls = [
    ...discoverRouteHandlers()
      // /metrics/host is the ui role's relay: a process of role all answers it 404 by design.
      .filter((h) => h.methods.includes('GET') && !h.url.includes('sample') && !h.url.endsWith('/events'))
      .filter((h) => SHAPE === 'two-role' || h.url !== '/metrics/host')
      // The exposure gate asks for an exposure's name (Caddy's question), and answers a redirect to sign in.
      .map((h) => (h.url === '/api/auth/exposure' ? `${h.url}?name=grafana.local` : h.url)),
    '/',
    '/instances',
    '/nodes',
    '/services',
    '/forwards',
    '/activity',
    '/login',
  ];
  for (const url of urls) {
    // /metrics takes its own token, never a session; the two-role host API its host token; all else the session.
    const headers: Record<string, string> = url.startsWith('/metrics')
      ? { authorization: `Bearer ${process.env.LABGATE_E2E_METRICS_TOKEN}` }
      : { cookie };
    const res =
      SHAPE === 'two-role' && url.startsWith('/api/host/')
        ? await hostApi.get(url)
        : await request.get(url, { headers, ...(url.startsWith('/api/auth/exposure') ? { maxRedirects: 0 } : {}) });
    expect(res.status(), url).toBeLessThan(400);
    expect(leaks(await res.text(), s), url).toEqual([]);
  }
});

test('no secret is in the client bundle', () => {
  const s = secrets();
  const dir = path.resolve(__dirname, '..', '.next', 'static');
  const files = fs.globSync('**/*', { cwd: dir }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
  expect(files.length).toBeGreaterThan(10);
  for (const f of files) expect(leaks(fs.readFileSync(path.join(dir, f), 'utf8'), s), f).toEqual([]);
});

import { LAN } from './fixtures/lab';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { apiLogin, expect, SESSION_COOKIE, test } from './fixtures/app';

// HTTPS by default with labgate's own CA, which the lab's browser trusts as a person's would.
const caFile = () => path.join(process.env.LABGATE_E2E_DATA_DIR!, 'tls', 'ca.crt');

test('the dashboard is HTTPS with a certificate the browser trusts through the CA; the login page offers that CA and its fingerprint', async ({
  page,
  request,
}) => {
  const res = await page.goto('/login');
  expect(page.url()).toMatch(/^https:\/\//);
  expect(res!.headers()['strict-transport-security']).toBe('max-age=31536000');
  const security = await res!.securityDetails();
  expect(security?.subjectName).toBeTruthy();
  const ca = new X509Certificate(fs.readFileSync(caFile()));
  await expect(page.getByTestId('ca-fingerprint')).toHaveText(ca.fingerprint256);
  const download = await request.get('/api/tls/ca');
  expect(download.headers()['content-type']).toBe('application/x-x509-ca-cert');
  expect(new X509Certificate(await download.body()).fingerprint256).toBe(ca.fingerprint256);
  expect(await download.text()).not.toContain('PRIVATE KEY');
});

test('the session cookie is __Host-, Secure and HttpOnly', async ({ request }) => {
  const res = await request.post('/api/auth/login', { data: { password: process.env.LABGATE_E2E_PASSWORD } });
  const cookie = res.headersArray().find((h) => h.name.toLowerCase() === 'set-cookie')!.value;
  expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
  expect(cookie).toMatch(/; Secure/i);
  expect(cookie).toMatch(/; HttpOnly/i);
  expect(cookie).toMatch(/; Path=\//i);
  expect(cookie).not.toMatch(/; Domain=/i);
});

test.describe('a service labgate exposes', () => {
  let echo: ChildProcess | null = null;
  test.afterAll(() => echo?.kill());

  test('never receives the session cookie, opened in the same logged-in browser', async ({ page, context, request, hostApi, baseURL }) => {
    // A responder on ops that answers with the Cookie header it got.
    echo = spawn(
      'ip',
      [
        'netns',
        'exec',
        `${process.env.LABGATE_LAB_PREFIX}ops`,
        process.execPath,
        '-e',
        "require('http').createServer((q,r)=>r.end('cookie=' + (q.headers.cookie ?? ''))).listen(9099)",
      ],
      { stdio: 'ignore' },
    );
    const created = await hostApi.post('/api/host/forwards', {
      data: { name: 'Echo', listenPort: 9099, target: { kind: 'static', ip: '10.120.52.31', port: 9099 } },
    });
    expect(created.status()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    try {
      const session = await apiLogin(request);
      await context.addCookies([{ name: SESSION_COOKIE, value: session, url: baseURL!, httpOnly: true, secure: true, sameSite: 'Lax' }]);
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect
        .poll(async () => (await page.goto(`http://${LAN}:9099/`).catch(() => null))?.status() ?? 0, { timeout: 10_000 })
        .toBe(200);
      const body = await page.locator('body').innerText();
      expect(body).toMatch(/^cookie=/);
      expect(body).not.toContain(session);
      expect(body).not.toContain('labgate_session');
    } finally {
      await hostApi.delete(`/api/host/forwards/${id}`);
    }
  });
});

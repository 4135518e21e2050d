import { expect, test } from './fixtures/app';

test('pages carry a nonce CSP and the hardening headers, and the app runs under them', async ({ page, loggedIn: _ }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto('/');
  const h = res!.headers();
  const csp = h['content-security-policy']!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['referrer-policy']).toBe('no-referrer');
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  // Every script the server's HTML names carries the nonce...
  const scripts = [...(await res!.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // ...and what they load later (the topology's graph library) runs through 'strict-dynamic'.
  await expect(page.getByRole('figure', { name: /^Topology: \d+ VMs/ })).toBeVisible();
  // The page is interactive: a client-side navigation works.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Nodes' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nodes');
  expect(violations).toEqual([]);
});

test('every response, API too, says nosniff; a new login gets a new session id', async ({ request }) => {
  const health = await request.get('/api/healthz');
  expect(health.headers()['x-content-type-options']).toBe('nosniff');
  const { apiLogin } = await import('./fixtures/app');
  const a = await apiLogin(request);
  const b = await apiLogin(request);
  expect(a).not.toBe(b);
});

test('no page breaks its CSP: every area, the login page and the 404 run their scripts with the nonce of their own response', async ({
  page,
  browser,
  loggedIn: _,
}) => {
  const violations: string[] = [];
  const watch = (p: typeof page) =>
    p.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`${p.url()}: ${m.text()}`);
    });
  watch(page);
  for (const url of ['/', '/instances', '/nodes', '/services', '/forwards', '/activity', '/no-such-page']) {
    const res = await page.goto(url);
    const nonce = /'nonce-([^']+)'/.exec(res!.headers()['content-security-policy']!)![1];
    const scripts = [...(await res!.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    for (const tag of scripts) expect(tag, url).toContain(`nonce="${nonce}"`);
    await page.waitForLoadState('networkidle');
  }
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the overview' }).click(); // its scripts run: a client-side navigation
  await expect(page.getByRole('figure', { name: /^Topology: \d+ VMs/ })).toBeVisible();
  const anonymous = await browser.newPage();
  watch(anonymous);
  await anonymous.goto('/login');
  await anonymous.waitForLoadState('networkidle');
  await anonymous.close();
  expect(violations).toEqual([]);
});

test('/favicon.ico is an icon, served to anyone', async ({ bareRequest }) => {
  const res = await bareRequest.get('/favicon.ico');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  expect((await res.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
});

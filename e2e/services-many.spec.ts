import { spawnSync } from 'node:child_process';
import { expect, test } from './fixtures/app';

// A page carries its first 200 rows; with more services the browser fetches the rest at once.
const NS = 'many';
const COUNT = 230;

test('with more services than a first paint holds, the page says so and the rest arrive by themselves', async ({
  page,
  request,
  lab,
  loggedIn: _,
}) => {
  const items = Array.from({ length: COUNT }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${String(i).padStart(3, '0')}`, namespace: NS },
    spec: { ports: [{ port: 80 }] },
  }));
  lab.kubectl('create', 'namespace', NS);
  const created = spawnSync(process.env.LABGATE_LAB_KUBECTL!, [`--kubeconfig=${process.env.KUBECONFIG}`, 'create', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    encoding: 'utf8',
  });
  expect(created.status, created.stderr).toBe(0);
  try {
    await expect
      .poll(async () => ((await (await request.get('/api/state/services')).json()) as { total: number }).total, { timeout: 10_000 })
      .toBeGreaterThan(COUNT);
    const html = await (await request.get('/services')).text();
    expect(html).toMatch(/Showing the first <!-- -->200<!-- --> of <!-- -->\d+<!-- --> services/);
    await page.goto('/services');
    await expect(page.getByRole('status').filter({ hasText: 'Showing the first' })).toBeHidden({ timeout: 5_000 }); // well before the 10 s refresh
    await page.getByLabel('Namespace').selectOption(NS);
    await expect(page.getByRole('table', { name: 'Services' })).toContainText('svc-000');
  } finally {
    lab.kubectl('delete', 'namespace', NS, '--wait=true');
  }
});

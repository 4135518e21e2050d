import { shot } from './fixtures/docs-images';
import { expect, test } from './fixtures/app';
import { ExposeDialog } from './pages/expose';
import { TablePage } from './pages/tables';

// The screenshots in docs/ are taken here (and in health.spec), from the real app in the lab, so
// they show what a user sees.

test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });

test('docs: the login page, the healthy overview and a forward', async ({ hostApi, page, loginPage, loggedIn: _ }, testInfo) => {
  const created = await hostApi.post('/api/host/forwards', {
    data: { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  try {
    await page.goto('/');
    await expect(page.getByText('No problems found.')).toBeVisible();
    await expect(page.getByRole('figure', { name: /^Topology: \d+ VMs/ })).toBeVisible();
    await page.screenshot({ path: shot('overview.png', testInfo), fullPage: true });
    await page.goto('/forwards');
    await expect(new TablePage(page).row('Forwards', 'Jenkins')).toContainText('applied');
    await page.screenshot({ path: shot('forwards.png', testInfo) });
    await page.goto('/activity');
    await expect(page.getByRole('table').first()).toContainText('forward.create');
    await page.screenshot({ path: shot('activity.png', testInfo) });
  } finally {
    expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
  }
  await page.context().clearCookies();
  await loginPage.goto();
  await page.screenshot({ path: shot('login.png', testInfo) });
});

test('docs: Grafana exposed with its name on the LAN and HTTPS — the dialog, and the topology that shows the name', async ({
  page,
  loggedIn: _,
}, testInfo) => {
  const expose = new ExposeDialog(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Expose Grafana', exact: true }).click();
  await expose.https().check();
  await expect(expose.plan()).toContainText("serve https://grafana.local/ with a certificate from labgate's CA");
  await expose.dialog().screenshot({ path: shot('expose-https.png', testInfo) });
  await expose.apply();
  await expect(expose.url('https://grafana.local/')).toBeVisible({ timeout: 20_000 });
  await expose.close();
  try {
    await page.goto('/');
    await expect(page.getByRole('figure', { name: /^Topology/ })).toContainText('https://grafana.local/');
    await page.waitForTimeout(500); // the topology fits itself to the view
    await page.getByRole('figure', { name: /^Topology/ }).screenshot({ path: shot('topology-names.png', testInfo) });
  } finally {
    await page.getByRole('button', { name: 'Undo Expose Grafana on the LAN' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Undo', exact: true }).click(); // the app's own confirmation
    await expect(page.getByRole('button', { name: 'Undo Expose Grafana on the LAN' })).toHaveCount(0);
  }
});

test('docs: what trouble looks like — Multipass down, and a firewall that cannot be written', async ({
  page,
  lab,
  loggedIn: _,
}, testInfo) => {
  lab.multipass('stopped');
  try {
    await page.goto('/');
    await expect(page.getByRole('alert').filter({ hasText: 'Multipass is not answering' })).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: shot('trouble-multipass.png', testInfo) });
  } finally {
    lab.multipass('running');
  }
  lab.control('iptables-restore', 'fail');
  try {
    lab.control('reboot');
    await page.goto('/');
    await expect(page.getByRole('alert').filter({ hasText: 'Forwards cannot be kept true' })).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: shot('trouble-firewall.png', testInfo) });
  } finally {
    lab.control('iptables-restore', 'ok');
  }
  await expect(page.getByRole('alert').filter({ hasText: 'Forwards cannot be kept true' })).toBeHidden({ timeout: 20_000 });
});

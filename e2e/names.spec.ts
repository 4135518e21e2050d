import { claimFromLan, curlNamedFromLan, resolveFromLan } from '../lab/mdns-client.mts';
import { LAN } from './fixtures/lab';
import { expect, test } from './fixtures/app';
import { ExposeDialog } from './pages/expose';
import { TablePage } from './pages/tables';
import path from 'node:path';

test.describe.configure({ mode: 'serial' });
const E2E_CA = path.join(process.env.LABGATE_E2E_DATA_DIR!, 'tls', 'ca.crt'); // the ui role's CA, which signs the name's certificate

test('Expose Grafana with HTTPS: https://grafana.local/ answers from the LAN with the CA’s certificate, plain HTTP redirects, Undo takes it off the LAN', async ({
  page,
  loggedIn: _,
}) => {
  const expose = new ExposeDialog(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Expose Grafana', exact: true }).click();
  await expect(expose.lanName()).toHaveValue('grafana');
  await expect(expose.https()).not.toBeChecked();
  await expose.https().check();
  await expect(expose.plan()).toContainText("serve https://grafana.local/ with a certificate from labgate's CA");
  const clicked = Date.now();
  await expose.apply();
  await expect(expose.url('https://grafana.local/')).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => resolveFromLan('grafana.local'), { timeout: 10_000 }).toBe(LAN);
  console.log(`labgate: Apply pressed → grafana.local resolving from the LAN (browser, Caddy, avahi): ${Date.now() - clicked} ms`);

  const secure = await curlNamedFromLan('https://grafana.local/', ['--cacert', E2E_CA]);
  expect(secure.stderr).toBe('');
  expect(JSON.parse(secure.body)).toMatchObject({ service: 'kps-grafana' });
  const redirect = await curlNamedFromLan('http://grafana.local/', ['-o', '/dev/null', '-w', '%{http_code} %{redirect_url}']);
  expect(redirect.body).toBe('308 https://grafana.local/');

  // The forward shows its HTTPS URL, its name and its certificate's end (397 days on) on the Forwards page.
  await page.goto('/forwards');
  const row = new TablePage(page).row('Forwards', /Grafana/);
  await expect(row.getByRole('link', { name: 'https://grafana.local/' })).toBeVisible();
  const until = new Date(Date.now() + 397 * 86_400_000).toISOString().slice(0, 10);
  await expect(row).toContainText(`Certificate until ${until}, renewed by labgate`);

  await page.goto('/');
  await page.getByRole('button', { name: 'Undo Expose Grafana on the LAN' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Undo', exact: true }).click(); // the app's own confirmation
  await expect(page.getByRole('button', { name: 'Undo Expose Grafana on the LAN' })).toHaveCount(0);
  await expect.poll(() => resolveFromLan('grafana.local'), { timeout: 15_000 }).toBeNull();
  expect((await curlNamedFromLan('https://grafana.local/', ['--cacert', E2E_CA])).ok).toBe(false);
});

test('a name another device holds on the LAN is refused with an alternative; the alternative works', async ({ page, lab, loggedIn: _ }) => {
  const other = await claimFromLan('jenkins.local');
  const t = new TablePage(page);
  const expose = new ExposeDialog(page);
  try {
    await page.goto('/instances');
    await t.row('Instances', 'ops').getByLabel('Port to expose on ops').fill('8080');
    await t.row('Instances', 'ops').getByRole('button', { name: 'Expose port' }).click();
    await expect(expose.lanName()).toHaveValue(''); // an instance gets no name unless asked
    await expose.name('jenkins');
    await expect(expose.plan()).toContainText('publish jenkins.local on the LAN');
    await expose.apply();
    await expect(expose.dialog().getByRole('alert')).toContainText(
      'jenkins.local is already taken on the LAN by another device. Try jenkins-2.local.',
      { timeout: 20_000 },
    );
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toBeNull(); // nothing was opened
    expect(await resolveFromLan('jenkins.local')).toBe('192.168.50.10'); // still the other device's

    await expose.close();
    await t.row('Instances', 'ops').getByRole('button', { name: 'Expose port' }).click();
    await expose.name('jenkins-2');
    await expose.apply();
    await expect(expose.url('http://jenkins-2.local:8080/')).toBeVisible({ timeout: 20_000 });
    expect((await curlNamedFromLan('http://jenkins-2.local:8080/')).body).toContain('Jenkins');
    await expose.dialog().getByRole('button', { name: 'Undo' }).click();
    await expect(expose.dialog()).toContainText('Undone');
    await expect.poll(() => resolveFromLan('jenkins-2.local'), { timeout: 15_000 }).toBeNull();
  } finally {
    other.kill('SIGTERM');
  }
});

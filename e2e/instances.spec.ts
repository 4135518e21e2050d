import { JENKINS, type HostApi } from './fixtures/host-api';
import { LAN } from './fixtures/lab';
import { expect, test } from './fixtures/app';
import { TablePage } from './pages/tables';

test.describe.configure({ mode: 'serial' });

/** Jenkins on ops forwarded to the LAN, as the reference lab has it: the forward's id. */
async function jenkinsForward(hostApi: HostApi): Promise<string> {
  const created = await hostApi.post('/api/host/forwards', { data: JENKINS });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

test('stop ops later and cancel; stop it now: its forward stays, marked stale; start it: the LAN reaches Jenkins again', async ({
  page,
  hostApi,
  lab,
  loggedIn: _,
}) => {
  const id = await jenkinsForward(hostApi);
  const t = new TablePage(page);
  const ops = () => t.row('Instances', /^ops/);
  try {
    await page.goto('/instances');
    await ops().getByRole('button', { name: 'Stop ops' }).click();
    const stop = page.getByRole('dialog', { name: 'Stop ops' });
    await stop.getByLabel('Stop in (minutes)').fill('5');
    await stop.getByRole('button', { name: 'Stop ops' }).click();
    await expect(page.getByText('ops stops in 5 minutes.')).toBeVisible();
    await expect(ops()).toContainText('Delayed Shutdown');
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins'); // still serving until then
    await ops().getByRole('button', { name: 'Cancel shutdown ops' }).click();
    await expect(ops()).toContainText('Running');

    await ops().getByRole('button', { name: 'Stop ops' }).click();
    await stop.getByRole('button', { name: 'Stop ops' }).click();
    await expect(ops()).toContainText('Stopped');
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toBeNull();
    await page.goto('/forwards');
    await expect(t.row('Forwards', 'Jenkins')).toContainText('stale');

    await page.goto('/instances');
    await ops().getByRole('button', { name: 'Start ops' }).click();
    await expect(page.getByText('ops started.')).toBeVisible({ timeout: 20_000 });
    await expect(ops()).toContainText('Running');
    await page.goto('/forwards');
    await expect(t.row('Forwards', 'Jenkins')).toContainText('applied', { timeout: 15_000 });
    await expect.poll(() => lab.curlFromLan(`http://${LAN}:8080/`), { timeout: 10_000 }).toContain('Jenkins');

    await page.goto('/activity');
    await expect(page.getByRole('table').first()).toContainText('instance.start');
    await expect(page.getByRole('table').first()).toContainText('instance.stop');
  } finally {
    expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
    lab.control('multipass', 'restore', 'ops');
  }
});

test('delete names the forwards that point at the instance; a refusal is said; purge takes it from the list', async ({
  page,
  hostApi,
  lab,
  loggedIn: _,
}) => {
  const id = await jenkinsForward(hostApi);
  const t = new TablePage(page);
  try {
    await page.goto('/instances');
    await t.row('Instances', /^ops/).getByRole('button', { name: 'Delete ops' }).click();
    const ask = page.getByRole('dialog', { name: 'Delete ops' });
    await expect(ask).toContainText('These forwards point at ops; they stay, marked stale, without a target: Jenkins.');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(t.row('Instances', /^ops/)).toContainText('Running'); // nothing happened

    await t
      .row('Instances', /^scratch/)
      .getByRole('button', { name: 'Delete scratch' })
      .click();
    const purge = page.getByRole('dialog', { name: 'Delete scratch' });
    await expect(purge).toContainText('No forward points at scratch.');
    await purge.getByLabel(/^Purge/).check();
    await purge.getByRole('button', { name: 'Delete scratch' }).click();
    await expect(page.getByText('scratch deleted and purged.')).toBeVisible();
    await expect(t.row('Instances', /^scratch/)).toHaveCount(0);

    // A stale page that still offers what the daemon no longer takes: its refusal, in its words.
    lab.control('multipass', 'state', 'ops', 'Stopped');
    const refused = await hostApi.post('/api/host/instances/ops', { data: { action: 'restart' } });
    expect(refused.status()).toBe(409);
    expect(await refused.json()).toMatchObject({ error: 'Multipass refused: instance "ops" is not running.' });
  } finally {
    expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
    lab.control('multipass', 'restore', 'ops');
    lab.control('multipass', 'restore', 'scratch');
  }
});

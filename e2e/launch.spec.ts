import type { HostApi } from './fixtures/host-api';
import { LAN } from './fixtures/lab';
import { expect, test } from './fixtures/app';
import { ExposeDialog } from './pages/expose';
import { PinForm } from './pages/pin';
import { TablePage } from './pages/tables';

test.describe.configure({ mode: 'serial' });

const NGINX = '#cloud-config\npackages:\n  - nginx\n';

/** Whatever a test reached: the instance it launched is gone from the lab (a refusal says it was never there). */
async function purged(hostApi: HostApi, name: string): Promise<void> {
  const res = await hostApi.post(`/api/host/instances/${name}`, { data: { action: 'delete', purge: true } });
  expect([200, 409]).toContain(res.status());
}

test('launch web1 from Plain Ubuntu: the daemon’s refusal on its field, the download as a bar, web1 running; expose it to the LAN; delete and purge it', async ({
  page,
  hostApi,
  lab,
  loggedIn: _,
}) => {
  const t = new TablePage(page);
  const web1 = () => t.row('Instances', /^web1/);
  try {
    await page.goto('/instances');
    await page.getByRole('button', { name: 'Launch an instance' }).click();
    const form = page.getByRole('form', { name: 'Launch an instance' });
    await expect(form.getByLabel('Template', { exact: true })).toHaveValue('Plain Ubuntu');
    await form.getByLabel('Name', { exact: true }).fill('web1');
    await form.getByLabel('Memory').fill('64M');
    await form.getByLabel('Cloud-init user data').fill(NGINX);
    await form.getByRole('button', { name: 'Launch', exact: true }).click();
    await expect(form.getByText('Multipass does not take 64M as memory: at least 128M, such as 2G.')).toBeVisible();
    await expect(web1()).toHaveCount(0); // refused: nothing launched

    await form.getByLabel('Memory').fill('1G');
    lab.control('multipass', 'forget-images'); // as on a fresh host: the image is downloaded first
    const clicked = Date.now();
    await form.getByRole('button', { name: 'Launch', exact: true }).click();
    await expect(form).toBeHidden();
    const bar = page.getByRole('progressbar', { name: /^Launching web1/ });
    await expect(bar).toBeVisible();
    await expect(web1()).toContainText('Running', { timeout: 30_000 });
    console.log(`labgate: Launch pressed → web1 Running on the Instances page: ${Date.now() - clicked} ms`);
    await expect(web1()).toContainText(/10\.120\.52\.1\d\d/);

    await web1().getByLabel('Port to expose on web1').fill('80');
    await web1().getByRole('button', { name: 'Expose port' }).click();
    const expose = new ExposeDialog(page);
    await expose.apply();
    await expect(expose.url(`http://${LAN}:80/`)).toBeVisible({ timeout: 20_000 });
    expect(lab.curlFromLan(`http://${LAN}:80/`)).toContain('Welcome to nginx!');
    await expose.dialog().getByRole('button', { name: 'Undo' }).click();
    await expect(expose.dialog()).toContainText('Undone');
    await expose.close();

    await web1().getByRole('button', { name: 'Delete web1' }).click();
    const ask = page.getByRole('dialog', { name: 'Delete web1' });
    await ask.getByLabel(/^Purge/).check();
    await ask.getByRole('button', { name: 'Delete web1' }).click();
    await expect(web1()).toHaveCount(0);
  } finally {
    await purged(hostApi, 'web1');
  }
});

test('a template saved from the form fills it again, and can be deleted', async ({ page, loggedIn: _ }) => {
  await page.goto('/instances');
  await page.getByRole('button', { name: 'Launch an instance' }).click();
  const form = page.getByRole('form', { name: 'Launch an instance' });
  await form.getByLabel('CPUs').fill('2');
  await form.getByLabel('Memory').fill('3G');
  await form.getByLabel('Cloud-init user data').fill(NGINX);
  await form.getByLabel('Save as template').fill('web server');
  await form.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByText('Template web server saved.').first()).toBeVisible();

  await page.reload();
  await page.getByRole('button', { name: 'Launch an instance' }).click();
  await form.getByLabel('Template', { exact: true }).selectOption('web server');
  await expect(form.getByLabel('Memory')).toHaveValue('3G');
  await expect(form.getByLabel('CPUs')).toHaveValue('2');
  await expect(form.getByLabel('Cloud-init user data')).toHaveValue(NGINX);
  await form.getByRole('button', { name: 'Delete template web server' }).click();
  await expect(page.getByText('Template web server deleted.')).toBeVisible();
});

test('launch a Kubernetes worker from its template: the node joins, whoami is pinned to it and exposed to the LAN from there; deleting the instance takes the node away', async ({
  page,
  hostApi,
  lab,
  loggedIn: _,
}) => {
  test.setTimeout(240_000); // a launch, a join, a reschedule, an exposure, a delete and the cluster's clean-up
  const t = new TablePage(page);
  const whoamiNodes = () =>
    lab.kubectl('get', 'pods', '-n', 'default', '-l', 'app.kubernetes.io/name=whoami', '-o', 'jsonpath={.items[*].spec.nodeName}').trim();
  const pin = new PinForm(page);
  try {
    await page.goto('/instances');
    await page.getByRole('button', { name: 'Launch an instance' }).click();
    const form = page.getByRole('form', { name: 'Launch an instance' });
    await form.getByLabel('Template', { exact: true }).selectOption('Kubernetes worker');
    await expect(form.getByLabel('Cloud-init user data')).toHaveValue(/\{\{ labgate\.join \}\}/);
    await form.getByLabel('Name', { exact: true }).fill('worker1');
    const clicked = Date.now();
    await form.getByRole('button', { name: 'Launch', exact: true }).click();
    await expect(t.row('Instances', /^worker1/)).toContainText('Running', { timeout: 30_000 });
    await page.goto('/nodes');
    await expect(t.row('Nodes', /^worker1/)).toContainText('Ready', { timeout: 30_000 });
    console.log(`labgate: Launch pressed → worker1 a Ready node (lab): ${Date.now() - clicked} ms`);
    await expect(t.row('Nodes', /^worker1/)).toContainText('worker1'); // its VM, joined by address

    await pin.pin('Deployment/default/whoami', 'kubernetes.io/hostname', 'worker1', 'worker1');
    await expect.poll(whoamiNodes, { timeout: 60_000 }).toBe('worker1 worker1');

    await page.goto('/services');
    await t
      .row('Services', /^whoami/)
      .getByRole('button', { name: 'Expose on LAN' })
      .click();
    const expose = new ExposeDialog(page);
    await expose.apply();
    await expect(expose.url(`http://${LAN}:30080/`)).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => lab.curlFromLan(`http://${LAN}:30080/`), { timeout: 10_000 }).toContain('"node":"worker1"');
    await expose.dialog().getByRole('button', { name: 'Undo' }).click();
    await expect(expose.dialog()).toContainText('Undone');
    await expose.close();

    await page.goto('/instances');
    await t
      .row('Instances', /^worker1/)
      .getByRole('button', { name: 'Delete worker1' })
      .click();
    const ask = page.getByRole('dialog', { name: 'Delete worker1' });
    await ask.getByLabel(/^Purge/).check();
    await ask.getByRole('button', { name: 'Delete worker1' }).click();
    await expect(t.row('Instances', /^worker1/)).toHaveCount(0);
    await page.goto('/nodes');
    await expect(t.row('Nodes', /^worker1/)).toHaveCount(0, { timeout: 15_000 });
    // Unpinned once its node is gone, whoami comes back on the other nodes (the cluster clears the
    // pods left on the deleted node within a minute or so), as the tests after this one expect it.
    await pin.clear('Deployment/default/whoami');
    await expect.poll(whoamiNodes, { timeout: 150_000, intervals: [1_000] }).toMatch(/^node\d node\d$/);
  } finally {
    // Whatever the test reached: whoami unpinned (a merge patch: nothing to remove is no error).
    lab.kubectl(
      'patch',
      'deployment',
      '-n',
      'default',
      'whoami',
      '--type=merge',
      '-p',
      '{"spec":{"template":{"spec":{"nodeSelector":null}}}}',
    );
    await purged(hostApi, 'worker1');
  }
});

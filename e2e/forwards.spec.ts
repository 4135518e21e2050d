import type { Locator } from '@playwright/test';
import { JENKINS } from './fixtures/host-api';
import { LAN, PHONE } from './fixtures/lab';
import { expect, test } from './fixtures/app';
import { TablePage } from './pages/tables';

test.describe.configure({ mode: 'serial' });

/** The forward form's fields for Jenkins on ops:8080, at a host port. */
async function fillJenkins(form: Locator, listenPort: string) {
  await form.getByLabel('Name', { exact: true }).fill('Jenkins');
  await form.getByLabel('Host port').fill(listenPort);
  await form.getByLabel('An instance (follows its address)').check();
  await form.getByLabel('Instance', { exact: true }).fill('ops');
  await form.getByLabel('Port', { exact: true }).fill('8080');
}

test('open a forward from the form, reach it from the LAN, close it', async ({ page, lab, loggedIn: _ }) => {
  const t = new TablePage(page);
  await page.goto('/forwards');
  await expect(page.getByText('No forwards yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Open a forward' }).click();
  const form = page.getByRole('form', { name: 'Open a forward' });
  await fillJenkins(form, '8080');
  await form.getByRole('button', { name: 'Open forward' }).click();

  const row = t.row('Forwards', 'Jenkins');
  await expect(row).toContainText('applied');
  await expect(row).toContainText('10.120.52.31:8080');
  await expect(row.getByRole('link', { name: `http://${LAN}:8080/` })).toBeVisible();
  expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins');

  await row.getByRole('button', { name: 'Delete forward Jenkins' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click(); // the app's own confirmation
  await expect(t.row('Forwards', 'Jenkins')).toHaveCount(0);
  expect(lab.curlFromLan(`http://${LAN}:8080/`)).toBeNull();
});

test('only this device: the form takes the browser’s address; the laptop reaches the forward, another device on the LAN does not', async ({
  page,
  lab,
  loggedIn: _,
}) => {
  const phone = PHONE;
  const removeDevice = await lab.lanDevice(page, '/forwards');
  try {
    const t = new TablePage(page);
    await page.getByRole('button', { name: 'Open a forward' }).click();
    const form = page.getByRole('form', { name: 'Open a forward' });
    await fillJenkins(form, '8086');
    await form.getByRole('group', { name: 'Who may reach it' }).getByLabel('Only this device (192.168.50.10)').check();
    await form.getByRole('button', { name: 'Open forward' }).click();

    const row = t.row('Forwards', 'Jenkins');
    await expect(row).toContainText('applied');
    await expect(row).toContainText('192.168.50.10');
    expect(lab.curlFromLan(`http://${LAN}:8086/`)).toContain('Jenkins');
    expect(lab.curlFromLan(`http://${LAN}:8086/`, phone)).toBeNull();

    // Swapped from the edit form: the listed device in, the laptop out.
    await row.getByRole('button', { name: 'Edit forward Jenkins' }).click();
    const edit = page.getByRole('form', { name: 'Edit forward Jenkins' });
    await edit.getByLabel('Only these addresses or networks').check();
    await edit.getByLabel('Addresses or networks', { exact: true }).fill(phone);
    await edit.getByRole('button', { name: 'Save forward' }).click();
    await expect(t.row('Forwards', 'Jenkins')).toContainText(phone);
    await expect.poll(() => lab.curlFromLan(`http://${LAN}:8086/`, phone)).toContain('Jenkins');
    expect(lab.curlFromLan(`http://${LAN}:8086/`)).toBeNull();

    await t.row('Forwards', 'Jenkins').getByRole('button', { name: 'Delete forward Jenkins' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(t.row('Forwards', 'Jenkins')).toHaveCount(0);
  } finally {
    await removeDevice();
  }
});

test('edit a forward from the UI: the form starts from it, the change is one PATCH, and the LAN follows', async ({
  page,
  hostApi,
  lab,
  loggedIn: _,
}) => {
  const t = new TablePage(page);
  const id = await hostApi.openForward(JENKINS);
  try {
    await page.goto('/forwards');
    await t.row('Forwards', 'Jenkins').getByRole('button', { name: 'Edit forward Jenkins' }).click();
    const form = page.getByRole('form', { name: 'Edit forward Jenkins' });
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Jenkins');
    await expect(form.getByLabel('An instance (follows its address)')).toBeChecked();
    await expect(form.getByLabel('Instance', { exact: true })).toHaveValue('ops');
    await form.getByLabel('Host port').fill('8085');
    await form.getByRole('button', { name: 'Save forward' }).click();
    await expect(t.row('Forwards', 'Jenkins')).toContainText(':8085/tcp');
    await expect(form).toHaveCount(0);
    expect(((await (await hostApi.get(`/api/host/forwards/${id}`)).json()) as { id: string; listenPort: number }).listenPort).toBe(8085);
    expect(lab.curlFromLan(`http://${LAN}:8085/`)).toContain('Jenkins');
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toBeNull();
  } finally {
    await hostApi.delete(`/api/host/forwards/${id}`);
  }
});

test('the form says what is wrong and opens nothing', async ({ page, loggedIn: _ }) => {
  await page.goto('/forwards');
  await page.getByRole('button', { name: 'Open a forward' }).click();
  const form = page.getByRole('form', { name: 'Open a forward' });
  await form.getByLabel('Name', { exact: true }).fill('Outside');
  await form.getByLabel('Host port').fill('9053');
  await form.getByLabel('An address').check();
  await form.getByLabel('Address', { exact: true }).fill('1.1.1.1');
  await form.getByLabel('Port', { exact: true }).fill('53');
  await form.getByRole('button', { name: 'Open forward' }).click();
  await expect(form.getByText(/1.1.1.1 is outside the allowed networks/).first()).toBeVisible();
  await form.getByLabel('Host port').fill('70000');
  await form.getByRole('button', { name: 'Open forward' }).click();
  await expect(form.getByText('Ports run from 1 to 65535.')).toBeVisible();
  await expect(page.getByText('No forwards yet.')).toBeVisible();
});

test('the host API takes the host token, and refuses a wrong one', async ({ hostApi, lab }) => {
  const wrong = await hostApi.get('/api/host/forwards', { headers: { authorization: 'Bearer not-the-token-at-all-000000' } });
  expect(wrong.status()).toBe(401);
  const created = await hostApi.post('/api/host/forwards', {
    data: { name: 'MySQL', listenPort: 3306, target: { kind: 'instance', name: 'nfs', port: 3306 } },
  });
  expect(created.status()).toBe(201);
  const forward = (await created.json()) as { id: string };
  expect(forward).toMatchObject({ listenPort: 3306, status: { state: 'applied', targetIP: '10.120.52.30' } });
  expect(lab.curlFromLan(`telnet://${LAN}:3306`) ?? '').toContain('8.0.40');
  const rules = await (await hostApi.get('/api/host/export')).text();
  expect(rules).toContain(`labgate:${forward.id}`);
  expect((await hostApi.delete(`/api/host/forwards/${forward.id}`)).status()).toBe(200);
  expect((await hostApi.delete(`/api/host/forwards/${forward.id}`)).status()).toBe(404);
  expect((await hostApi.delete('/api/host/forwards/NOT_AN_ID')).status()).toBe(400);
});

test('the Activity page lists who changed what, filters, and exports CSV', async ({ page, request, loggedIn: _ }) => {
  await page.goto('/activity');
  const table = page.getByRole('table', { name: 'Activity' });
  await expect(table.getByRole('row').filter({ hasText: 'forward.create' }).first()).toBeVisible();
  await page.getByLabel('Filter activity').fill('forward.delete');
  await expect(table.getByRole('row').filter({ hasText: 'forward.create' })).toHaveCount(0);
  await expect(table.getByRole('row').filter({ hasText: 'forward.delete' }).first()).toBeVisible();
  const cookies = await page.context().cookies();
  const csv = await request.get('/api/state/audit?format=csv', {
    headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
  });
  expect(csv.headers()['content-type']).toContain('text/csv');
  const text = await csv.text();
  expect(text.split('\r\n')[0]).toBe('when,who,what,on,detail,result');
  expect(text).toContain('forward.create');
});

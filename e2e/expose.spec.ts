import { resolveFromLan } from '../lab/mdns-client.mts';
import { LAN, PHONE } from './fixtures/lab';
import { expect, test } from './fixtures/app';
import { ExposeDialog } from './pages/expose';
import { TablePage } from './pages/tables';

test.describe.configure({ mode: 'serial' });
const GRAFANA_URL = `http://${LAN}:30060/`;
const GRAFANA_NAMED = 'http://grafana.local:30060/'; // the dialog proposes grafana.local
const foreignRules = (save: string) => save.split('\n').filter((l) => l.startsWith('-A ') && !/LABGATE|labgate/.test(l));

test('Expose Grafana: plan, apply, URL; it follows the pod, survives a reboot, is idempotent, and Undo removes it all', async ({
  page,
  lab,
  loggedIn: _,
}) => {
  const foreignBefore = foreignRules(lab.iptablesSave());
  const expose = new ExposeDialog(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Expose Grafana', exact: true }).click();
  await expect(expose.plan()).toContainText('Make Service monitoring/kps-grafana a NodePort with nodePort 30060 (now ClusterIP)');
  await expect(expose.plan()).toContainText('Open host port 30060 to service monitoring/kps-grafana, following its pod');
  await expect(expose.plan()).toContainText('publish grafana.local on the LAN');
  await expect(expose.lanName()).toHaveValue('grafana');
  await expose.apply();
  await expect(expose.url(GRAFANA_NAMED)).toBeVisible({ timeout: 20_000 });
  expect(await resolveFromLan('grafana.local')).toBe(LAN);

  const node = lab.podNode('monitoring', 'app.kubernetes.io/name=grafana');
  expect(JSON.parse(lab.curlFromLan(GRAFANA_URL)!)).toMatchObject({ service: 'kps-grafana', node });
  expect(foreignRules(lab.iptablesSave())).toEqual(foreignBefore);
  // The pod moves: the same URL answers from the new node, with no click.
  const { to } = lab.movePod('monitoring', 'app.kubernetes.io/name=grafana');
  await expect.poll(() => JSON.parse(lab.curlFromLan(GRAFANA_URL) ?? '{}').node, { timeout: 15_000 }).toBe(to);

  // A reboot's flush: it answers again by itself.
  lab.control('reboot');
  await expect.poll(() => lab.curlFromLan(GRAFANA_URL), { timeout: 15_000 }).toContain('kps-grafana');
  const foreignAfterReboot = foreignRules(lab.iptablesSave()); // as the daemons put them back

  // Pressing it again shows the existing URL.
  await expose.close();
  await page.getByRole('button', { name: 'Expose Grafana', exact: true }).click();
  await expose.apply();
  await expect(expose.dialog()).toContainText('Already exposed');
  await expect(expose.url(GRAFANA_NAMED)).toBeVisible();
  await expose.close();

  // The Services page shows the exposure as its LAN URL, and that it answers (probed when it was made).
  await page.goto('/services');
  const grafanaRow = new TablePage(page).row('Services', 'kps-grafana');
  await expect(grafanaRow.getByRole('link', { name: GRAFANA_NAMED })).toBeVisible();
  await expect(grafanaRow.getByText('up', { exact: true })).toBeVisible();

  // The topology draws the forward's URL above every box (edges lie under nodes unless raised).
  await page.goto('/');
  const label = page.getByRole('figure', { name: /^Topology/ }).getByText(GRAFANA_NAMED, { exact: true });
  await expect(label).toBeVisible();
  const stacking = await label.evaluate((el) => {
    const z = (e: Element | null) => Number(e ? getComputedStyle(e).zIndex : 0) || 0;
    return { label: z(el.closest('svg')), boxes: Math.max(...[...document.querySelectorAll('.react-flow__node')].map(z)) };
  });
  expect(stacking.label).toBeGreaterThan(stacking.boxes);

  // Pictures of the exposed lab, kept as test artifacts.
  for (const [path, file] of [
    ['/', 'overview.png'],
    ['/services', 'services.png'],
    ['/forwards', 'forwards.png'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(file), fullPage: true });
  }

  // Undo, from the Overview's list.
  await page.goto('/');
  await page.getByRole('button', { name: 'Undo Expose Grafana on the LAN' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Undo', exact: true }).click(); // the app's own confirmation
  await expect(page.getByRole('button', { name: 'Undo Expose Grafana on the LAN' })).toHaveCount(0);
  await expect.poll(() => lab.curlFromLan(GRAFANA_URL), { timeout: 15_000 }).toBeNull();
  await expect.poll(() => resolveFromLan('grafana.local'), { timeout: 15_000 }).toBeNull();
  expect(lab.kubectl('get', 'service', '-n', 'monitoring', 'kps-grafana', '-o', 'jsonpath={.spec.type}')).toBe('ClusterIP');
  expect(lab.iptablesSave()).not.toMatch(/labgate:[a-z0-9]/);
  expect(foreignRules(lab.iptablesSave())).toEqual(foreignAfterReboot);
});

test('Expose port on an instance: ops:8080 answers from the LAN as Jenkins', async ({ page, lab, loggedIn: _ }) => {
  const t = new TablePage(page);
  const expose = new ExposeDialog(page);
  await page.goto('/instances');
  await t.row('Instances', 'ops').getByLabel('Port to expose on ops').fill('8080');
  await t.row('Instances', 'ops').getByRole('button', { name: 'Expose port' }).click();
  await expect(expose.plan()).toContainText('Open host port 8080 to instance ops:8080, following its address');
  await expose.apply();
  await expect(expose.url(`http://${LAN}:8080/`)).toBeVisible({ timeout: 20_000 });
  expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins');
  await expose.dialog().getByRole('button', { name: 'Undo' }).click();
  await expect(expose.dialog()).toContainText('Undone');
  expect(lab.curlFromLan(`http://${LAN}:8080/`)).toBeNull();
});

test('Expose for this device only: the plan says so, the laptop reaches it, another device on the LAN does not', async ({
  page,
  lab,
  loggedIn: _,
}) => {
  const phone = PHONE;
  const removeDevice = await lab.lanDevice(page, '/instances');
  try {
    const t = new TablePage(page);
    const expose = new ExposeDialog(page);
    await t.row('Instances', 'ops').getByLabel('Port to expose on ops').fill('8080');
    await t.row('Instances', 'ops').getByRole('button', { name: 'Expose port' }).click();
    await expose.access('Only this device (192.168.50.10)').check();
    await expect(expose.plan()).toContainText('open only to 192.168.50.10 (and this host)');
    await expose.apply();
    await expect(expose.url(`http://${LAN}:8080/`)).toBeVisible({ timeout: 20_000 });
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins');
    expect(lab.curlFromLan(`http://${LAN}:8080/`, phone)).toBeNull();
    await expose.dialog().getByRole('button', { name: 'Undo' }).click();
    await expect(expose.dialog()).toContainText('Undone');
  } finally {
    await removeDevice();
  }
});

test('expose by annotation: labgate.dev/expose on the Service, no click; the Services page marks it and shows its URL; off, it is undone', async ({
  page,
  lab,
  loggedIn: _,
}) => {
  const t = new TablePage(page);
  lab.kubectl('annotate', 'service', '-n', 'monitoring', 'kps-grafana', 'labgate.dev/expose=true');
  try {
    await page.goto('/services');
    const row = t.row('Services', 'kps-grafana');
    await expect(row.getByText('exposed by annotation')).toBeVisible({ timeout: 20_000 });
    await expect(row.getByRole('link', { name: GRAFANA_URL })).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => lab.curlFromLan(GRAFANA_URL), { timeout: 15_000 }).toContain('kps-grafana');
    await page.goto('/activity');
    await expect(t.row('Activity', /annotation.*Expose Grafana on the LAN/)).toBeVisible();
  } finally {
    lab.kubectl('annotate', 'service', '-n', 'monitoring', 'kps-grafana', 'labgate.dev/expose-');
  }
  await expect.poll(() => lab.curlFromLan(GRAFANA_URL), { timeout: 20_000 }).toBeNull();
  await expect
    .poll(() => lab.kubectl('get', 'service', '-n', 'monitoring', 'kps-grafana', '-o', 'jsonpath={.spec.type}'), { timeout: 20_000 })
    .toBe('ClusterIP');
});

import { JENKINS } from './fixtures/host-api';
import { LAN } from './fixtures/lab';
import { expect, test } from './fixtures/app';
import { TablePage } from './pages/tables';

// These tests change the lab (labels, the Multipass daemon): one at a time.
test.describe.configure({ mode: 'serial' });

test('the overview counts the lab, reports it healthy and draws its topology', async ({ page, loggedIn: _ }) => {
  await page.goto('/');
  const counts = page.getByRole('region', { name: 'Counts' });
  await expect(counts.getByRole('link', { name: /Instances\s*6\s*5 running/ })).toBeVisible();
  await expect(counts.getByRole('link', { name: /Nodes\s*3\s*3 ready/ })).toBeVisible();
  await expect(page.getByText('Kubernetes API: OK')).toBeVisible();
  await expect(page.getByText('Multipass: OK')).toBeVisible();
  const picture = page.getByRole('figure', { name: /Topology: 6 VMs; 3 of them Kubernetes nodes/ });
  await expect(picture).toBeVisible();
  await expect(picture.getByText('node node1')).toBeVisible();
  await expect(picture.getByText('whoami', { exact: true })).toBeVisible();
});

test('instances: state, addresses and the node each one hosts', async ({ page, loggedIn: _ }) => {
  const t = new TablePage(page);
  await page.goto('/instances');
  await expect(t.row('Instances', 'ops')).toContainText('Running');
  await expect(t.row('Instances', 'ops')).toContainText('10.120.52.31');
  await expect(t.row('Instances', 'ops')).toContainText('not a node');
  await expect(t.row('Instances', 'nfs')).toContainText('Running');
  await expect(t.row('Instances', 'scratch')).toContainText('Stopped');
  await expect(t.row('Instances', 'scratch')).toContainText('its forwards are kept, marked stale'); // the state in words, for screen readers
  await expect(t.row('Instances', 'scratch').getByRole('button', { name: 'Expose port' })).toHaveCount(0); // only a running instance takes traffic
  await expect(t.row('Instances', /^node2/)).toContainText('10.120.52.24, 10.244.1.0');
});

test('the Instances table says what the Multipass daemon says, field by field', async ({ page, lab, loggedIn: _ }) => {
  const daemon = JSON.parse(lab.control('multipass', 'instances')) as {
    name: string;
    state: string;
    ipv4: string[];
    cpuCount: string;
    zone: string;
  }[];
  const t = new TablePage(page);
  await page.goto('/instances');
  await expect(t.table('Instances').getByRole('row')).toHaveCount(daemon.length + 1);
  for (const vm of daemon) {
    const cells = await t.cells('Instances', vm.name);
    const up = vm.state === 'Running' || vm.state === 'Delayed Shutdown'; // the daemon reports addresses and resources only then
    expect(cells.Name, vm.name).toContain(vm.name);
    expect(cells.State, vm.name).toContain(vm.state);
    const addresses = (cells.IPv4 ?? '').split(/[\s,]+/).filter((a) => /^\d/.test(a));
    expect(addresses, vm.name).toEqual(up ? vm.ipv4 : []);
    expect(cells.Image, vm.name).toBe('22.04 LTS');
    expect(cells.CPUs, vm.name).toBe(up ? vm.cpuCount : '—');
    expect(cells.Zone, vm.name).toBe(vm.zone); // the lab's daemon reports availability zones
    if (!up) for (const column of ['IPv4', 'Memory', 'Disk']) expect(cells[column], `${vm.name} ${column}`).toBe('—');
  }
});

test("an instance's address changes: the pages show it without reload and its forward follows it from lan", async ({
  hostApi,
  page,
  lab,
  loggedIn: _,
}) => {
  const t = new TablePage(page);
  const id = await hostApi.openForward(JENKINS);
  await page.goto('/forwards');
  await expect(t.row('Forwards', 'Jenkins')).toContainText('10.120.52.31:8080');
  try {
    lab.control('set-ip', 'ops', '10.120.52.41');
    await expect(t.row('Forwards', 'Jenkins')).toContainText('10.120.52.41:8080', { timeout: 15_000 });
    await expect(t.row('Forwards', 'Jenkins')).toContainText('applied');
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins');
    expect(lab.iptablesSave()).not.toContain('10.120.52.31');
    await page.goto('/instances');
    await expect(t.row('Instances', 'ops')).toContainText('10.120.52.41');
  } finally {
    lab.control('set-ip', 'ops', '10.120.52.31');
  }
  await expect(t.row('Instances', 'ops')).toContainText('10.120.52.31', { timeout: 15_000 });
  expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
});

test('an instance in Delayed Shutdown runs: its address used, its forward applied and answering, Expose port offered; Starting: none of it', async ({
  hostApi,
  page,
  lab,
  loggedIn: _,
}) => {
  const t = new TablePage(page);
  const id = await hostApi.openForward(JENKINS);
  const exposeOps = () => t.row('Instances', 'ops').getByLabel('Port to expose on ops');
  try {
    lab.control('multipass', 'state', 'ops', 'Delayed Shutdown');
    await page.goto('/instances');
    await expect(t.row('Instances', 'ops')).toContainText('Delayed Shutdown', { timeout: 15_000 });
    await expect(t.row('Instances', 'ops')).toContainText('10.120.52.31');
    await expect(exposeOps()).toBeVisible();
    await page.goto('/forwards');
    await expect(t.row('Forwards', 'Jenkins')).toContainText('applied');
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins');

    lab.control('multipass', 'state', 'ops', 'Starting'); // the daemon lists no address while an instance starts
    await expect(t.row('Forwards', 'Jenkins')).toContainText('stale', { timeout: 15_000 });
    await page.goto('/instances');
    await expect(t.row('Instances', 'ops')).toContainText('Starting');
    await expect(exposeOps()).toHaveCount(0);
  } finally {
    lab.control('multipass', 'state', 'ops', 'Running');
  }
  await expect(exposeOps()).toBeVisible({ timeout: 15_000 });
  expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
});

test('nodes: Ready, with labels, and a label added from outside shows without reload', async ({ page, lab, loggedIn: _ }) => {
  const t = new TablePage(page);
  await page.goto('/nodes');
  for (const n of ['node1', 'node2', 'node3']) await expect(t.row('Nodes', n)).toContainText('Ready');
  await expect(t.row('Nodes', 'node1')).toContainText('control-plane');
  lab.kubectl('label', 'node', 'node2', 'type=ui', '--overwrite');
  try {
    await expect(page.getByRole('list', { name: 'Labels of node2' }).getByText('type=ui')).toBeVisible({ timeout: 15_000 });
  } finally {
    lab.kubectl('label', 'node', 'node2', 'type-');
  }
  await expect(page.getByRole('list', { name: 'Labels of node2' }).getByText('type=ui')).toBeHidden({ timeout: 15_000 });
});

test('services: kps-grafana in monitoring with the node its pod runs on, filterable', async ({ page, lab, loggedIn: _ }) => {
  const t = new TablePage(page);
  await page.goto('/services');
  const node = lab.podNode('monitoring', 'app.kubernetes.io/name=grafana');
  const grafana = t.row('Services', 'kps-grafana');
  await expect(grafana).toContainText('monitoring');
  await expect(grafana).toContainText('ClusterIP');
  await expect(grafana).toContainText(`1 on ${node}`);
  await page.getByLabel('Namespace').selectOption('default');
  await expect(t.row('Services', 'kps-grafana')).toHaveCount(0);
  await expect(t.row('Services', 'whoami')).toContainText('80:30080/TCP');
  await t.filter('services').fill('docs');
  await expect(t.table('Services').getByRole('row')).toHaveCount(2); // header and docs
});

test('a stopped Multipass daemon shows a banner, and it clears when the daemon is back', async ({ page, lab, loggedIn: _ }) => {
  const t = new TablePage(page);
  await page.goto('/instances');
  await lab.multipass('stopped');
  try {
    await expect(t.banner('Multipass is not answering')).toContainText('The Multipass daemon is not running (nothing answers on', {
      timeout: 15_000,
    });
    // The last list stays, and the rest of the app keeps working.
    await expect(t.row('Instances', 'ops')).toBeVisible();
    await page.getByRole('link', { name: 'Nodes' }).click();
    await expect(t.row('Nodes', 'node1')).toBeVisible();
    await page.getByRole('link', { name: 'Instances' }).click();
  } finally {
    lab.multipass('running');
  }
  await expect(t.banner('Multipass is not answering')).toBeHidden({ timeout: 15_000 });
});

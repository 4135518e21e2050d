import { expect, test } from './fixtures/app';

test.describe.configure({ mode: 'serial' });

const labels = (lab: { kubectl: (...a: string[]) => string }, node: string) =>
  JSON.parse(lab.kubectl('get', 'node', node, '-o', 'jsonpath={.metadata.labels}')) as Record<string, string>;

test("the reference lab's manual path from the UI: label node1 type=ui, pin Grafana to it, the scheduler moves it", async ({
  page,
  lab,
  loggedIn: _,
}) => {
  await page.goto('/nodes');
  const labelForm = page.getByRole('form', { name: 'Change a node label' });
  await labelForm.getByLabel('Node', { exact: true }).selectOption('node1');
  await labelForm.getByLabel('Key', { exact: true }).fill('type');
  await labelForm.getByLabel('Value', { exact: true }).fill('ui');
  await labelForm.getByRole('button', { name: 'Set label' }).click();
  await expect(labelForm.getByText('Label changed.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Labels of node1' }).getByText('type=ui')).toBeVisible();
  expect(labels(lab, 'node1').type).toBe('ui');

  const pin = page.getByRole('form', { name: 'Pin a workload' });
  await pin.getByLabel('Workload', { exact: true }).selectOption('Deployment/monitoring/kps-grafana');
  await pin.getByLabel('Node label key', { exact: true }).fill('type');
  await pin.getByLabel('Node label value', { exact: true }).fill('ui');
  await expect(pin.getByText('Nodes that match: node1.')).toBeVisible();
  await pin.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(pin.getByText(/nodeSelector is set/)).toBeVisible();
  await expect.poll(() => lab.podNode('monitoring', 'app.kubernetes.io/name=grafana'), { timeout: 30_000 }).toBe('node1');

  // Put the lab back as it was.
  await pin.getByLabel('Workload', { exact: true }).selectOption('Deployment/monitoring/kps-grafana');
  await pin.getByRole('button', { name: 'Clear pinning' }).click();
  await expect(pin.getByText(/nodeSelector is set/)).toBeVisible();
  await labelForm.getByLabel('Node', { exact: true }).selectOption('node1');
  await labelForm.getByLabel('Key', { exact: true }).fill('type');
  await labelForm.getByRole('button', { name: 'Remove label' }).click();
  await expect.poll(() => labels(lab, 'node1').type).toBeUndefined();
});

test('bad input in each form: a field error, and nothing changes', async ({ page, lab, loggedIn: _ }) => {
  const before = labels(lab, 'node2');
  await page.goto('/nodes');
  const labelForm = page.getByRole('form', { name: 'Change a node label' });
  await labelForm.getByLabel('Node', { exact: true }).selectOption('node2');
  await labelForm.getByLabel('Key', { exact: true }).fill('bad key!');
  await labelForm.getByLabel('Value', { exact: true }).fill('x');
  await labelForm.getByRole('button', { name: 'Set label' }).click();
  await expect(labelForm.getByText(/A label key is an optional DNS prefix/)).toBeVisible();
  await labelForm.getByLabel('Key', { exact: true }).fill('tier');
  await labelForm.getByLabel('Value', { exact: true }).fill('v'.repeat(64));
  await labelForm.getByRole('button', { name: 'Set label' }).click();
  await expect(labelForm.getByText('A label value has at most 63 characters.')).toBeVisible();
  await labelForm.getByLabel('Key', { exact: true }).fill('kubernetes.io/hostname');
  await labelForm.getByLabel('Value', { exact: true }).fill('renamed');
  await labelForm.getByRole('button', { name: 'Set label' }).click();
  await expect(labelForm.getByText(/belongs to Kubernetes itself/)).toBeVisible();
  expect(labels(lab, 'node2')).toEqual(before);

  const saveBefore = lab
    .iptablesSave()
    .split('\n')
    .filter((l) => l.startsWith('-A'));
  await page.goto('/services');
  const svcForm = page.getByRole('form', { name: 'Change a service' });
  await svcForm.getByLabel('Service', { exact: true }).selectOption('default/redis');
  await svcForm.getByLabel('Type', { exact: true }).selectOption('NodePort');
  await svcForm.getByLabel('nodePort', { exact: true }).fill('99999');
  await svcForm.getByRole('button', { name: 'Save service' }).click();
  await expect(svcForm.getByText('Ports run from 1 to 65535.')).toBeVisible();
  await svcForm.getByLabel('Service', { exact: true }).selectOption('default/redis');
  await svcForm.getByLabel('Type', { exact: true }).selectOption('NodePort');
  await svcForm.getByLabel('nodePort', { exact: true }).fill('30080');
  await svcForm.getByRole('button', { name: 'Save service' }).click();
  await expect(svcForm.getByText(/Taken; \d+ is free\./)).toBeVisible();
  await svcForm.getByLabel('Service', { exact: true }).selectOption('default/redis');
  await svcForm.getByLabel('Type', { exact: true }).selectOption('NodePort');
  await svcForm.getByLabel('nodePort', { exact: true }).fill('0');
  await svcForm.getByRole('button', { name: 'Save service' }).click();
  await expect(svcForm.getByText('Ports run from 1 to 65535.')).toBeVisible();
  expect(lab.kubectl('get', 'service', '-n', 'default', 'redis', '-o', 'jsonpath={.spec.type}')).toBe('ClusterIP');
  expect(
    lab
      .iptablesSave()
      .split('\n')
      .filter((l) => l.startsWith('-A')),
  ).toEqual(saveBefore);
});

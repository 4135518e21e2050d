import { backToClusterIpArgs } from '../lab/service-args.mts';
import { expect, test } from './fixtures/app';
import { PinForm } from './pages/pin';

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

  const pin = new PinForm(page);
  await pin.pin('Deployment/monitoring/kps-grafana', 'type', 'ui', 'node1');
  await expect.poll(() => lab.podNode('monitoring', 'app.kubernetes.io/name=grafana'), { timeout: 30_000 }).toBe('node1');

  // Put the lab back as it was.
  await pin.clear('Deployment/monitoring/kps-grafana');
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

test("the service form shows the chosen service's own settings, sends only a change, and the cluster's range and taken ports are refused and audited", async ({
  page,
  lab,
  hostApi,
  loggedIn: _,
}) => {
  const redis = (path: string) => lab.kubectl('get', 'service', '-n', 'default', 'redis', '-o', `jsonpath={${path}}`);
  await page.goto('/services');
  const form = page.getByRole('form', { name: 'Change a service' });
  const save = form.getByRole('button', { name: 'Save service' });
  await form.getByLabel('Service', { exact: true }).selectOption('default/docs');
  await expect(form.getByLabel('Type', { exact: true })).toHaveValue('NodePort');
  await expect(form.getByLabel('External traffic policy', { exact: true })).toHaveValue('Local');
  await form.getByLabel('Service', { exact: true }).selectOption('default/redis');
  await expect(form.getByLabel('Type', { exact: true })).toHaveValue('ClusterIP');
  await expect(form.getByLabel('External traffic policy', { exact: true })).toHaveValue('');
  await expect(save).toBeDisabled(); // nothing changed, nothing to send
  await expect(form.getByText('Nothing changed yet.')).toBeVisible();
  expect(redis('.spec.type')).toBe('ClusterIP');

  try {
    await form.getByLabel('Type', { exact: true }).selectOption('NodePort');
    for (const outside of ['29999', '32768']) {
      await form.getByLabel('nodePort', { exact: true }).fill(outside);
      await save.click();
      await expect(form.getByText(`nodePort ${outside} is outside the cluster's range 30000-32767.`)).toBeVisible();
      expect(redis('.spec.type')).toBe('ClusterIP');
    }
    await form.getByLabel('nodePort', { exact: true }).fill('30081'); // docs has it
    await save.click();
    await expect(form.getByText('nodePort 30081 is taken by another service.')).toBeVisible();
    expect(redis('.spec.type')).toBe('ClusterIP');
    const audit = (await (await hostApi.get('/api/host/audit')).json()) as { action: string; subject: string; result: string }[];
    const refused = audit.filter((e) => e.action === 'service.patch' && e.subject === 'default/redis NodePort').map((e) => e.result);
    expect(refused).toEqual(
      expect.arrayContaining([
        "nodePort 29999 is outside the cluster's range 30000-32767.",
        "nodePort 32768 is outside the cluster's range 30000-32767.",
        'nodePort 30081 is taken by another service.',
      ]),
    );

    await form.getByLabel('nodePort', { exact: true }).fill('31999');
    await save.click();
    await expect(form.getByText('Service changed.')).toBeVisible();
    expect(redis('.spec.type')).toBe('NodePort');
    expect(redis('.spec.ports[0].nodePort')).toBe('31999');
  } finally {
    lab.kubectl(...backToClusterIpArgs('default', 'redis'));
  }
});

test("the pin form shows the chosen workload's own pin, and clears it", async ({ page, lab, loggedIn: _ }) => {
  const selector = () => lab.kubectl('get', 'deployment', '-n', 'default', 'whoami', '-o', 'jsonpath={.spec.template.spec.nodeSelector}');
  const pinWhoami = (nodeSelector: Record<string, string> | null) =>
    lab.kubectl(
      'patch',
      'deployment',
      '-n',
      'default',
      'whoami',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { template: { spec: { nodeSelector } } } }),
    );
  const node = lab.podNode('default', 'app.kubernetes.io/name=whoami');
  pinWhoami({ 'kubernetes.io/hostname': node });
  try {
    await page.goto('/nodes');
    const pin = new PinForm(page);
    await pin.workload().selectOption('Deployment/default/whoami');
    await expect(pin.key()).toHaveValue('kubernetes.io/hostname');
    await expect(pin.value()).toHaveValue(node);
    await expect(pin.form().getByRole('button', { name: 'Pin', exact: true })).toBeDisabled(); // already so
    await pin.workload().selectOption('Deployment/default/docs');
    await expect(pin.key()).toHaveValue('');
    await expect(pin.form().getByRole('button', { name: 'Clear pinning' })).toBeDisabled(); // not pinned
    await pin.clear('Deployment/default/whoami');
    await expect.poll(selector).toBe('');
  } finally {
    pinWhoami(null);
  }
});

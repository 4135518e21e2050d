import { expect, test } from './fixtures/app';
import type { Lab } from './fixtures/lab';

// The app runs with labgate's own ServiceAccount and deploy/rbac.yaml's role (the whole suite
// proves that role suffices). Here one verb is taken away, and the UI must name it.
const SA = 'system:serviceaccount:labgate-system:labgate';
const SERVICES_RULE = 2; // deploy/rbac.yaml: nodes, pods+namespaces, services, workloads

function canI(lab: Lab, verb: string, resource: string): boolean {
  try {
    return lab.kubectl('auth', 'can-i', verb, resource, `--as=${SA}`).trim() === 'yes';
  } catch {
    return false; // `can-i` exits 1 for "no"
  }
}

function setServiceVerbs(lab: Lab, verbs: string[]): void {
  lab.kubectl(
    'patch',
    'clusterrole',
    'labgate',
    '--type=json',
    '-p',
    JSON.stringify([{ op: 'replace', path: `/rules/${SERVICES_RULE}/verbs`, value: verbs }]),
  );
}

test('without patch on services, the service form says exactly which permission is missing, and nothing changes', async ({
  page,
  lab,
  loggedIn: _,
}) => {
  const verbs = JSON.parse(lab.kubectl('get', 'clusterrole', 'labgate', '-o', `jsonpath={.rules[${SERVICES_RULE}]}`)) as {
    resources: string[];
    verbs: string[];
  };
  expect(verbs.resources).toEqual(['services']);
  setServiceVerbs(
    lab,
    verbs.verbs.filter((v) => v !== 'patch'),
  );
  try {
    await expect.poll(() => canI(lab, 'patch', 'services')).toBe(false);
    await page.goto('/services');
    const form = page.getByRole('form', { name: 'Change a service' });
    await form.getByLabel('Service', { exact: true }).selectOption('default/redis');
    await form.getByLabel('Type', { exact: true }).selectOption('NodePort');
    await form.getByRole('button', { name: 'Save service' }).click();
    await expect(form.getByText("labgate's Kubernetes identity needs patch on services.")).toBeVisible();
    expect(lab.kubectl('get', 'service', '-n', 'default', 'redis', '-o', 'jsonpath={.spec.type}')).toBe('ClusterIP');
  } finally {
    setServiceVerbs(lab, verbs.verbs);
  }
  await expect.poll(() => canI(lab, 'patch', 'services')).toBe(true);
});

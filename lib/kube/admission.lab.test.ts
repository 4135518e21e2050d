import path from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labPaths } from '@/lab/paths.mts';
import { eventually, kubectl, labPrefix } from '@/lab/testing.mts';
import { patchNodeLabels, patchService, setNodeSelector } from './mutations';
import { createJoinCommand } from './join';

// deploy/admission-policy.yaml in the lab's real apiserver: labgate's own changes pass, anything
// else its ServiceAccount tries is refused by the apiserver with the policy's message.
process.env.KUBECONFIG = labPaths(labPrefix()).labgateKubeconfig;

const asLabgate = () => {
  const kc = new KubeConfig();
  kc.loadFromFile(labPaths(labPrefix()).labgateKubeconfig);
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
};
// Each refused patch must change something, or the apiserver would have nothing to refuse.
const fresh = Date.now().toString(36);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const json = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
const rv = async (kind: string, name: string, ns?: string) =>
  (await kubectl(['get', kind, name, ...(ns ? ['-n', ns] : []), '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();

/** The apiserver's answer to a patch: null when it passed, else its code and message. */
async function refusal(patch: () => Promise<unknown>): Promise<{ code: number; message: string } | null> {
  try {
    await patch();
    return null;
  } catch (e) {
    const err = e as { code?: number; body?: unknown };
    const body = typeof err.body === 'string' ? (JSON.parse(err.body) as { message?: string }) : ((err.body ?? {}) as { message?: string });
    return { code: err.code ?? 0, message: body.message ?? String(e) };
  }
}

beforeAll(async () => {
  await kubectl(['create', 'service', 'clusterip', 'labgate-probe', '-n', 'kube-system', '--tcp=80:80']);
  // As installed; a policy (re)applied a moment ago takes a second or two to be enforced.
  await kubectl(['apply', '-f', path.join(import.meta.dirname, '..', '..', 'deploy', 'admission-policy.yaml')]);
  await eventually(
    'the admission policy to be enforced',
    async () =>
      (
        await refusal(() =>
          asLabgate().core.patchNode({ name: 'node2', body: { metadata: { labels: { 'node.k8s.io/probe': 'x' } } } }, merge),
        )
      )?.code === 422,
  );
});
afterAll(async () => {
  await kubectl(['delete', 'service', 'labgate-probe', '-n', 'kube-system', '--ignore-not-found']);
  await kubectl(['label', 'node', 'node2', 'tier-']);
});

describe("the admission policy: labgate's ServiceAccount changes only what labgate changes", () => {
  it("passes each of labgate's own operations", async () => {
    expect(await patchNodeLabels('node2', { tier: 'ui' }, await rv('node', 'node2'))).toMatchObject({ ok: true });
    expect(await patchNodeLabels('node2', { tier: null }, await rv('node', 'node2'))).toMatchObject({ ok: true });
    expect(
      await patchService('default', 'redis', { type: 'NodePort', nodePorts: { 6379: 31379 }, externalTrafficPolicy: 'Local' }),
    ).toMatchObject({ ok: true });
    expect(await patchService('default', 'redis', { type: 'ClusterIP', nodePorts: {} })).toMatchObject({ ok: true });
    expect(await setNodeSelector('Deployment', 'monitoring', 'kps-grafana', { 'kubernetes.io/hostname': 'node2' })).toMatchObject({
      ok: true,
    });
    expect(await setNodeSelector('Deployment', 'monitoring', 'kps-grafana', null)).toMatchObject({ ok: true });
    const join = await createJoinCommand('probe-worker');
    expect(join).toMatchObject({
      ok: true,
      data: expect.stringMatching(/^kubeadm join 10\.120\.52\.23:6443 --token [a-z0-9]{6}\.[a-z0-9]{16} /),
    });
    const id = /--token ([a-z0-9]{6})\./.exec(join.ok ? join.data : '')![1]!;
    const secret = JSON.parse(await kubectl(['get', 'secret', '-n', 'kube-system', `bootstrap-token-${id}`, '-o', 'json'])) as {
      type: string;
      data: Record<string, string>;
    };
    expect(secret.type).toBe('bootstrap.kubernetes.io/token');
    expect(Buffer.from(secret.data['usage-bootstrap-authentication']!, 'base64').toString()).toBe('true');
    await kubectl(['delete', 'secret', '-n', 'kube-system', `bootstrap-token-${id}`]);
  });

  const node = { message: 'labgate may change only node labels outside the kubernetes.io and k8s.io prefixes.' };
  const service = { message: "labgate may change only a Service's type, its ports' nodePort and its externalTrafficPolicy." };
  const workload = { message: "labgate may change only a workload's spec.template.spec.nodeSelector." };
  it.each([
    {
      name: 'a label in kubernetes.io',
      patch: () =>
        asLabgate().core.patchNode(
          { name: 'node2', body: { metadata: { labels: { [`${fresh}.node-role.kubernetes.io/x`]: 'y' } } } },
          merge,
        ),
      want: node,
    },
    {
      name: 'a label in k8s.io',
      patch: () => asLabgate().core.patchNode({ name: 'node2', body: { metadata: { labels: { 'node.k8s.io/x': fresh } } } }, merge),
      want: node,
    },
    {
      name: 'a taint',
      patch: () =>
        asLabgate().core.patchNode({ name: 'node2', body: { spec: { taints: [{ key: `evil-${fresh}`, effect: 'NoSchedule' }] } } }, merge),
      want: node,
    },
    {
      name: 'externalIPs',
      patch: () =>
        asLabgate().core.patchNamespacedService(
          { name: 'kps-grafana', namespace: 'monitoring', body: { spec: { externalIPs: [`192.168.50.${(Date.now() % 200) + 30}`] } } },
          merge,
        ),
      want: service,
    },
    {
      name: "a Service's selector",
      patch: () =>
        asLabgate().core.patchNamespacedService(
          { name: 'kps-grafana', namespace: 'monitoring', body: { spec: { selector: { app: `evil-${fresh}` } } } },
          merge,
        ),
      want: service,
    },
    {
      name: "a Service's target port",
      patch: () =>
        asLabgate().core.patchNamespacedService(
          {
            name: 'kps-grafana',
            namespace: 'monitoring',
            body: [{ op: 'replace', path: '/spec/ports/0/targetPort', value: 2000 + (Date.now() % 1000) }],
          },
          json,
        ),
      want: service,
    },
    {
      name: 'a container',
      patch: () =>
        asLabgate().apps.patchNamespacedDeployment(
          {
            name: 'kps-grafana',
            namespace: 'monitoring',
            body: [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: `evil-${fresh}`, image: 'evil' } }],
          },
          json,
        ),
      want: workload,
    },
    {
      name: 'a host path volume',
      patch: () =>
        asLabgate().apps.patchNamespacedDeployment(
          {
            name: 'kps-grafana',
            namespace: 'monitoring',
            body: { spec: { template: { spec: { volumes: [{ name: `root-${fresh}`, hostPath: { path: '/' } }] } } } },
          },
          merge,
        ),
      want: workload,
    },
    {
      name: 'replicas',
      patch: () =>
        asLabgate().apps.patchNamespacedDeployment(
          { name: 'kps-grafana', namespace: 'monitoring', body: { spec: { replicas: 5 + (Date.now() % 5) } } },
          merge,
        ),
      want: workload,
    },
    {
      name: 'a Secret in kube-system other than a bootstrap token',
      patch: () =>
        asLabgate().core.createNamespacedSecret({
          namespace: 'kube-system',
          body: { metadata: { name: `evil-${fresh}` }, type: 'Opaque', stringData: { token: 'x' } },
        }),
      want: { message: 'labgate may only update nodes, services, deployments and statefulsets' },
    },
    {
      name: 'a bootstrap-token Secret under another name',
      patch: () =>
        asLabgate().core.createNamespacedSecret({
          namespace: 'kube-system',
          body: { metadata: { name: `evil-${fresh}` }, type: 'bootstrap.kubernetes.io/token', stringData: { 'token-id': 'abcdef' } },
        }),
      want: { message: 'labgate may only update nodes, services, deployments and statefulsets' },
    },
    {
      name: 'anything in kube-system',
      patch: () =>
        asLabgate().core.patchNamespacedService(
          { name: 'labgate-probe', namespace: 'kube-system', body: { spec: { type: 'NodePort' } } },
          merge,
        ),
      want: { message: "labgate never changes anything in kube-system but a worker's bootstrap token." },
    },
  ])("refuses $name with the policy's message", async ({ patch, want }) => {
    const r = await refusal(patch);
    expect(r).toMatchObject({ code: 422, message: expect.stringContaining(want.message) });
    expect(r!.message).toContain("ValidatingAdmissionPolicy 'labgate-least-privilege'");
  });

  it("labgate shows the policy's message when the apiserver refuses one of its changes", async () => {
    const res = await patchService('kube-system', 'labgate-probe', { type: 'NodePort', nodePorts: {} });
    expect(res).toMatchObject({
      ok: false,
      status: 422,
      error: expect.stringContaining("labgate never changes anything in kube-system but a worker's bootstrap token."),
    });
    expect(await kubectl(['get', 'service', 'labgate-probe', '-n', 'kube-system', '-o', 'jsonpath={.spec.type}'])).toBe('ClusterIP');
  });
});

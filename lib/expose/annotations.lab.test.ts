import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grafanaNodePortArgs, rebootFirewall } from '@/lab/controls.mts';
import { curlFrom, eventually, kubectl, labPrefix, lanDevice } from '@/lab/testing.mts';
import { LAN } from '@/lab/topology.mts';
import { exposures } from './steps';
import { hostClient } from '@/lib/host-api/client';
import { AnnotationExposer } from './annotations';

// GitOps-style Expose: what a Service's annotations ask, kept true against the real cluster and kernel.
const GRAFANA_URL = `http://${LAN.host}:30060/`;
let exposer: AnnotationExposer;
const annotated = () => exposures().then((all) => all.filter((e) => e.source === 'annotation'));
const grafanaType = () => kubectl(['get', 'service', '-n', 'monitoring', 'kps-grafana', '-o', 'jsonpath={.spec.type}']);

beforeAll(async () => {
  await rebootFirewall(labPrefix());
  exposer = new AnnotationExposer();
  exposer.start();
});

afterAll(async () => {
  exposer.stop();
  await kubectl(['annotate', 'service', '-n', 'monitoring', 'kps-grafana', 'labgate.dev/expose-', 'labgate.dev/port-']).catch(
    () => undefined,
  );
  await kubectl(['delete', 'service', '-n', 'default', 'annotated', '--ignore-not-found']);
  for (const e of await annotated()) await (await import('./steps')).undoExpose(e.id, 'test');
  await kubectl(grafanaNodePortArgs(false)).catch(() => undefined);
});

describe('expose by annotation', () => {
  it('labgate.dev/expose: "true" exposes the Service with no click, audited as the annotation; taking it off undoes it', async () => {
    await kubectl(['annotate', 'service', '-n', 'monitoring', 'kps-grafana', 'labgate.dev/expose=true', 'labgate.dev/port=80']);
    const [e] = await eventually(
      'the annotated Service exposed',
      async () => ((await annotated()).length === 1 ? annotated() : undefined),
      20_000,
    );
    expect(e!.url).toBe(GRAFANA_URL);
    expect(await grafanaType()).toBe('NodePort');
    expect((await curlFrom('lan', GRAFANA_URL)).body).toContain('kps-grafana');
    const audit = await hostClient().audit();
    expect(audit.ok && audit.data.find((a) => a.action === 'expose' && a.subject === 'Expose Grafana on the LAN')).toMatchObject({
      actor: 'annotation',
      result: 'ok',
    });

    await kubectl(['annotate', 'service', '-n', 'monitoring', 'kps-grafana', 'labgate.dev/expose-']);
    await eventually('the Expose undone', async () => (await annotated()).length === 0, 20_000);
    expect(await grafanaType()).toBe('ClusterIP');
    expect((await curlFrom('lan', GRAFANA_URL)).ok).toBe(false);
  });

  it('labgate.dev/allow-from: only the listed device reaches the exposure; another device on the LAN does not', async () => {
    const phone = LAN.phone;
    const removeDevice = await lanDevice();
    try {
      await kubectl([
        'annotate',
        'service',
        '-n',
        'monitoring',
        'kps-grafana',
        'labgate.dev/expose=true',
        'labgate.dev/port=80',
        `labgate.dev/allow-from=${phone}`,
      ]);
      const [e] = await eventually(
        'the annotated Service exposed',
        async () => ((await annotated()).length === 1 ? annotated() : undefined),
        20_000,
      );
      expect(e!.plan.steps.find((s) => s.kind === 'open-forward')).toMatchObject({ allowFrom: [`${phone}/32`] });
      expect((await curlFrom('lan', GRAFANA_URL, ['--interface', phone])).body).toContain('kps-grafana');
      expect((await curlFrom('lan', GRAFANA_URL)).ok).toBe(false); // the laptop is not listed
    } finally {
      await kubectl(['annotate', 'service', '-n', 'monitoring', 'kps-grafana', 'labgate.dev/expose-', 'labgate.dev/allow-from-']);
      await eventually('the Expose undone', async () => (await annotated()).length === 0, 20_000);
      await removeDevice();
    }
  });

  it('a bad annotation is reported and changes nothing', async () => {
    await kubectl(['annotate', 'service', '-n', 'monitoring', 'kps-grafana', 'labgate.dev/expose=yes', '--overwrite']);
    await eventually('the pass to refuse it', async () => exposer.lastPass.refused.includes('monitoring/kps-grafana'), 20_000);
    expect(await annotated()).toEqual([]);
    expect(await grafanaType()).toBe('ClusterIP');
    await kubectl(['annotate', 'service', '-n', 'monitoring', 'kps-grafana', 'labgate.dev/expose-']);
  });

  it('the Service deleted: its Expose is undone, its forward gone', async () => {
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'annotated', namespace: 'default', annotations: { 'labgate.dev/expose': 'true' } },
        spec: { selector: { 'app.kubernetes.io/name': 'whoami' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      }),
    );
    await eventually('the new Service exposed', async () => (await annotated()).length === 1, 20_000);
    const forwards = async () => {
      const res = await hostClient().listForwards();
      return res.ok ? res.data.filter((f) => f.description.startsWith('exposed ')) : [];
    };
    expect(await forwards()).toHaveLength(1);
    await kubectl(['delete', 'service', '-n', 'default', 'annotated']);
    await eventually('the Expose undone', async () => (await annotated()).length === 0, 20_000);
    expect(await forwards()).toEqual([]);
  });
});

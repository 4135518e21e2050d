import { describe, expect, it } from 'vitest';
import { grafanaNodePortArgs } from '@/lab/controls.mts';
import { curlFrom, eventually, kubectl } from '@/lab/testing.mts';
import { kubeCache } from '@/lib/kube/cache';
import { hostClient } from '@/lib/host-api/client';
import { patchService } from '@/lib/kube/mutations';
import { describeStep } from '@/lib/domain/expose/plan';
import { grafanaServices, planExposeService } from './plan';
import { applyExpose, recoverExposes, undoExpose, type ExposeRecord } from './steps';
import { backToClusterIpArgs } from '@/lab/service-args.mts';

describe('an Expose cut short by a crash', () => {
  it('is rolled back exactly at the next start', async () => {
    // What a process killed between the two steps leaves: the Service patched, no forward yet.
    const record: ExposeRecord = {
      plan: {
        title: 'Expose monitoring/kps-grafana on the LAN',
        listenPort: 30061,
        steps: [
          {
            kind: 'service-nodeport',
            namespace: 'monitoring',
            name: 'kps-grafana',
            port: 80,
            nodePort: 30061,
            previous: { type: 'ClusterIP', nodePort: null },
          },
          { kind: 'open-forward', listenPort: 30061, target: { kind: 'service', namespace: 'monitoring', name: 'kps-grafana', port: 80 } },
        ],
      },
      done: ['service-nodeport'],
      forwardId: null,
      url: 'http://192.168.50.27:30061/',
    };
    expect((await patchService('monitoring', 'kps-grafana', { type: 'NodePort', nodePorts: { 80: 30061 } })).ok).toBe(true);
    await hostClient().journalPut({ id: 'crashtest01', operation: 'expose', state: 'running', steps: record });

    expect(await recoverExposes()).toBe(1);
    expect(await kubectl(['get', 'service', '-n', 'monitoring', 'kps-grafana', '-o', 'jsonpath={.spec.type}'])).toBe('ClusterIP');
    const journal = await hostClient().journalList('expose');
    expect(journal.ok && journal.data.find((e) => e.id === 'crashtest01')?.state).toBe('undone');
    expect(await recoverExposes()).toBe(0);
  });
});

describe('Expose of a service with two ports', () => {
  const spec = async () =>
    JSON.parse(await kubectl(['get', 'service', '-n', 'monitoring', 'kps-kube-prometheus-stack-prometheus', '-o', 'json'])) as {
      spec: { type: string; ports: { port: number; nodePort?: number }[]; externalTrafficPolicy?: string };
    };

  it("plans every change Kubernetes makes (Prometheus' reloader port gets a nodePort too), and Undo takes them all back", async () => {
    const before = (await spec()).spec;
    const plan = await planExposeService('monitoring', 'kps-kube-prometheus-stack-prometheus', 9090, 30090);
    if (!plan.ok) throw new Error(plan.error);
    expect(plan.data.steps.map(describeStep)[0]).toContain('Kubernetes also gives port 8080 a nodePort of its choosing');
    const applied = await applyExpose(plan.data, 'test');
    if (!applied.ok) throw new Error(applied.error);
    const exposed = (await spec()).spec;
    expect(exposed.type).toBe('NodePort');
    expect(exposed.ports.find((p) => p.port === 9090)?.nodePort).toBe(30090);
    expect(exposed.ports.find((p) => p.port === 8080)?.nodePort).toEqual(expect.any(Number));

    expect((await undoExpose(applied.data.id, 'test')).ok).toBe(true);
    const after = (await spec()).spec;
    expect({ type: after.type, ports: after.ports, policy: after.externalTrafficPolicy }).toEqual({
      type: before.type,
      ports: before.ports,
      policy: before.externalTrafficPolicy,
    });
  });
});

describe("Expose's other paths against the real cluster and kernel", () => {
  const grafana = async () =>
    (JSON.parse(await kubectl(['get', 'service', '-n', 'monitoring', 'kps-grafana', '-o', 'json'])) as { spec: Record<string, unknown> })
      .spec;
  const exposedForwards = async () => {
    const res = await hostClient().listForwards();
    return res.ok ? res.data.filter((f) => f.description.startsWith('exposed ')) : [];
  };
  const planGrafana = async () => {
    const plan = await planExposeService('monitoring', 'kps-grafana');
    if (!plan.ok) throw new Error(plan.error);
    return plan.data;
  };

  it('no pod ready: undone by itself, the Service as it was, and the message says why', async () => {
    const before = await grafana();
    await kubectl(['scale', 'deployment', '-n', 'monitoring', 'kps-grafana', '--replicas=0']);
    try {
      await eventually(
        'no Grafana pod',
        async () =>
          (await kubectl(['get', 'pods', '-n', 'monitoring', '-l', 'app.kubernetes.io/name=grafana', '-o', 'name'])).trim() === '',
      );
      await eventually('the cache to see it', async () =>
        kubeCache()
          .snapshot()
          .pods.every((p) => p.labels['app.kubernetes.io/name'] !== 'grafana'),
      );
      const res = await applyExpose(await planGrafana(), 'test');
      expect(res).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^Expose failed and was undone\. .*has no ready pod on a Ready node/),
      });
      expect(await grafana()).toEqual(before);
      expect(await exposedForwards()).toEqual([]);
    } finally {
      await kubectl(['scale', 'deployment', '-n', 'monitoring', 'kps-grafana', '--replicas=1']);
      await eventually(
        'Grafana back',
        async () =>
          (await kubectl([
            'get',
            'pods',
            '-n',
            'monitoring',
            '-l',
            'app.kubernetes.io/name=grafana',
            '-o',
            'jsonpath={.items[*].status.phase}',
          ])) === 'Running',
        60_000,
      );
    }
  });

  it('already a NodePort: its nodePort kept, the plan says so, and Undo leaves it a NodePort', async () => {
    await kubectl(grafanaNodePortArgs(true)); // as the reference lab's person made it: 30060
    try {
      await eventually('the cache to see the NodePort', async () => grafanaServices()[0]?.type === 'NodePort');
      const plan = await planGrafana();
      expect(plan.steps.map(describeStep)[0]).toBe('Keep Service monitoring/kps-grafana as NodePort with nodePort 30060');
      const before = await grafana();
      const res = await applyExpose(plan, 'test');
      if (!res.ok) throw new Error(res.error);
      expect(await grafana()).toEqual(before); // nothing of the Service changed
      expect((await undoExpose(res.data.id, 'test')).ok).toBe(true);
      expect(await grafana()).toEqual(before);
      expect(await exposedForwards()).toEqual([]);
    } finally {
      await kubectl(grafanaNodePortArgs(false));
    }
  });

  it('30060 taken by another Service: the plan picks the next free nodePort and says why', async () => {
    await kubectl([
      'patch',
      'service',
      '-n',
      'default',
      'redis',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { type: 'NodePort', ports: [{ port: 6379, nodePort: 30060 }] } }),
    ]);
    try {
      await eventually('the cache to see redis on 30060', async () =>
        kubeCache()
          .snapshot()
          .services.some((s) => s.name === 'redis' && s.ports.some((p) => p.nodePort === 30060)),
      );
      const plan = await planGrafana();
      expect(plan.listenPort).toBe(30061);
      expect(plan.note).toBe('nodePort 30060 is taken by default/redis: the plan uses 30061, the next free one.');
    } finally {
      await kubectl(backToClusterIpArgs('default', 'redis'));
    }
  });

  it("two applies of the same target at once: one exposes, the other shows the winner's URL, and nothing of the winner is undone", async () => {
    const before = await grafana();
    const [a, b] = await Promise.all([applyExpose(await planGrafana(), 'test'), applyExpose(await planGrafana(), 'test')]);
    if (!a.ok || !b.ok) throw new Error(`${JSON.stringify(a)} ${JSON.stringify(b)}`);
    expect([a.data.alreadyExposed ?? false, b.data.alreadyExposed ?? false].sort()).toEqual([false, true]);
    expect(b.data.id).toBe(a.data.id);
    expect((await grafana()).type).toBe('NodePort');
    expect(await exposedForwards()).toHaveLength(1);
    expect((await curlFrom('lan', a.data.url)).ok).toBe(true);
    expect((await undoExpose(a.data.id, 'test')).ok).toBe(true);
    expect(await grafana()).toEqual(before);
  });
});

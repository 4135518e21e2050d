import { describe, expect, it } from 'vitest';
import { kubectl } from '@/lab/testing.mts';
import { hostClient } from '@/lib/host/client';
import { patchService } from '@/lib/kube/mutations';
import { describeStep } from '@/lib/domain/plan';
import { applyExpose, planExposeService, recoverExposes, undoExpose, type ExposeRecord } from './expose';

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

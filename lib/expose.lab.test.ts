import { describe, expect, it } from 'vitest';
import { kubectl } from '@/lab/testing.mts';
import { hostClient } from '@/lib/host/client';
import { patchService } from '@/lib/kube/mutations';
import { recoverExposes, type ExposeRecord } from './expose';

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

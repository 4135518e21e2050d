import { describe, expect, it } from 'vitest';
import { ExposeRecord } from './expose';

const good = {
  plan: {
    title: 'Expose Grafana on the LAN',
    listenPort: 30060,
    steps: [
      {
        kind: 'service-nodeport',
        namespace: 'monitoring',
        name: 'kps-grafana',
        port: 80,
        nodePort: 30060,
        previous: { type: 'ClusterIP', nodePort: null },
      },
      { kind: 'open-forward', listenPort: 30060, target: { kind: 'service', namespace: 'monitoring', name: 'kps-grafana', port: 80 } },
    ],
  },
  done: ['service-nodeport', 'open-forward'],
  forwardId: 'abcdef123456',
  url: 'http://192.168.50.27:30060/',
};

describe('ExposeRecord (a journal entry read back)', () => {
  it('accepts what Expose writes', () => expect(ExposeRecord.safeParse(good).success).toBe(true));

  it.each([
    { name: 'a javascript: URL', record: { ...good, url: 'javascript:alert(1)' } },
    { name: 'a forward id that is not one', record: { ...good, forwardId: '../../x' } },
    { name: 'a port as text', record: { ...good, plan: { ...good.plan, listenPort: '30060' } } },
    {
      name: 'a step of an unknown kind',
      record: { ...good, plan: { ...good.plan, steps: [{ kind: 'delete-namespace', namespace: 'kube-system' }] } },
    },
    {
      name: 'a namespace that is not a name',
      record: { ...good, plan: { ...good.plan, steps: [{ ...good.plan.steps[0], namespace: 'a b' }] } },
    },
    { name: 'an unknown key', record: { ...good, extra: true } },
    { name: 'nothing', record: null },
  ])('refuses $name', ({ record }) => expect(ExposeRecord.safeParse(record).success).toBe(false));
});

import { describe, expect, it } from 'vitest';
import { decideStatus, storedRules, type NextStatus } from './forward-status';
import type { TargetPolicy } from '../network/networks';
import type { Resolution } from './targets';

const policy: TargetPolicy = { networks: ['10.120.52.0/24'], hostAddresses: ['10.120.52.1', '192.168.50.27'] };
const f = { id: 'g1', name: 'Grafana', protocol: 'tcp' as const, listenPort: 30060, listenAddress: null, allowFrom: null };
const node1 = { targetIP: '10.120.52.23', targetPort: 30060, node: 'node1' };
const resolved = (targetIP: string, targetPort = 30060, node: string | null = 'node2'): Resolution => ({
  ok: true,
  targetIP,
  targetPort,
  node,
});
const down: Resolution = { ok: false, reason: 'The Kubernetes API server is not answering.', unreachable: true };
const stopped: Resolution = { ok: false, reason: 'Instance ops is stopped.', unreachable: false, stale: true };
const gone: Resolution = { ok: false, reason: 'Service monitoring/kps-grafana does not exist.', unreachable: false };

describe('decideStatus', () => {
  it.each<{ name: string; r: Resolution; current: typeof node1 | null; want: NextStatus }>([
    {
      name: 'resolved and allowed: applied there',
      r: resolved('10.120.52.24'),
      current: node1,
      want: { state: 'applied', targetIP: '10.120.52.24', targetPort: 30060, node: 'node2', reason: null },
    },
    {
      name: 'a source down: the last target kept, stale',
      r: down,
      current: node1,
      want: { state: 'stale', ...node1, reason: down.reason },
    },
    { name: 'a stopped instance: kept, stale', r: stopped, current: node1, want: { state: 'stale', ...node1, reason: stopped.reason } },
    { name: 'the target is gone: kept, an error', r: gone, current: node1, want: { state: 'error', ...node1, reason: gone.reason } },
    {
      name: 'a source down and nothing to keep: an error, no rule',
      r: down,
      current: null,
      want: { state: 'error', targetIP: null, targetPort: null, node: null, reason: down.reason },
    },
    {
      name: 'resolved outside the allowed networks: the last safe target kept, an error',
      r: resolved('8.8.8.8'),
      current: node1,
      want: { state: 'error', ...node1, reason: 'Forward Grafana cannot be written: its target is not allowed.' },
    },
    {
      name: 'resolved to a port no rule can hold: an error naming why',
      r: resolved('10.120.52.24', 70000),
      current: null,
      want: {
        state: 'error',
        targetIP: null,
        targetPort: null,
        node: null,
        reason: 'Forward Grafana cannot be written: its target port is not a whole number from 1 to 65535.',
      },
    },
    {
      name: 'the last target no longer allowed: not kept',
      r: down,
      current: { targetIP: '192.168.50.27', targetPort: 30060, node: 'node1' },
      want: { state: 'error', targetIP: null, targetPort: null, node: null, reason: down.reason },
    },
  ])('$name', ({ r, current, want }) => {
    expect(decideStatus(f, r, current, policy)).toEqual(want);
  });
});

describe('storedRules', () => {
  it('a rule for each forward whose status names a target that can be written, none for the others', () => {
    const statuses = new Map<string, NextStatus>([
      ['g1', { state: 'applied', ...node1, reason: null }],
      ['e1', { state: 'error', targetIP: null, targetPort: null, node: null, reason: 'x' }],
      ['bad', { state: 'applied', targetIP: 'not-an-ip', targetPort: 1, node: null, reason: null }],
    ]);
    const forwards = [
      f,
      { ...f, id: 'e1', listenPort: 8080 },
      { ...f, id: 'bad', listenPort: 8081 },
      { ...f, id: 'none', listenPort: 8082 },
    ];
    expect(storedRules(forwards, statuses)).toEqual([{ ...f, targetIP: '10.120.52.23', targetPort: 30060 }].map(({ name: _, ...r }) => r));
  });
});

import { describe, expect, it } from 'vitest';
import { instance, node, pod, service } from './fixtures';
import { inCidr, networkOf, targetAllowed } from './networks';
import { resolveTarget, type TargetContext } from './targets';

const app = { 'app.kubernetes.io/name': 'grafana' };
const grafana = service('monitoring', 'kps-grafana', app, { type: 'NodePort', ports: [{ name: 'http-web', protocol: 'TCP', port: 80, targetPort: 'grafana', nodePort: 30060 }] });
const ctx = (pods = [pod('monitoring', 'g', 'node2', app)], extra: Partial<TargetContext> = {}): TargetContext => ({
  instances: [instance('ops', ['10.120.52.31']), instance('scratch', [], 'Stopped')],
  cluster: { nodes: [node('node1', '10.120.52.23'), node('node2', '10.120.52.24'), node('node3', '10.120.52.25', { ready: false })], pods, services: [grafana, service('default', 'plain', app)] },
  ...extra,
});

describe('resolveTarget', () => {
  it.each([
    { name: 'static', target: { kind: 'static' as const, ip: '10.120.52.30', port: 3306 }, c: ctx(), want: { ok: true, targetIP: '10.120.52.30', targetPort: 3306, node: null } },
    { name: 'instance: its current address', target: { kind: 'instance' as const, name: 'ops', port: 8080 }, c: ctx(), want: { ok: true, targetIP: '10.120.52.31', targetPort: 8080, node: null } },
    { name: 'instance stopped', target: { kind: 'instance' as const, name: 'scratch', port: 22 }, c: ctx(), want: { ok: false, unreachable: false } },
    { name: 'instance unknown', target: { kind: 'instance' as const, name: 'nope', port: 22 }, c: ctx(), want: { ok: false, unreachable: false } },
    { name: 'Multipass down', target: { kind: 'instance' as const, name: 'ops', port: 8080 }, c: ctx(undefined, { instances: null }), want: { ok: false, unreachable: true } },
    { name: 'service: the node its pod runs on', target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 }, c: ctx(), want: { ok: true, targetIP: '10.120.52.24', targetPort: 30060, node: 'node2' } },
    { name: 'service by nodePort', target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 30060 }, c: ctx(), want: { ok: true, node: 'node2' } },
    { name: 'pod on a NotReady node does not count', target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 }, c: ctx([pod('monitoring', 'g', 'node3', app)]), want: { ok: false, unreachable: false } },
    { name: 'unready pod does not count', target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 }, c: ctx([pod('monitoring', 'g', 'node1', app, { ready: false })]), want: { ok: false } },
    { name: 'ClusterIP service', target: { kind: 'service' as const, namespace: 'default', name: 'plain', port: 80 }, c: ctx(), want: { ok: false, reason: 'Service default/plain is ClusterIP: port 80 has no nodePort.' } },
    { name: 'missing service', target: { kind: 'service' as const, namespace: 'x', name: 'y', port: 80 }, c: ctx(), want: { ok: false, unreachable: false } },
    { name: 'apiserver down', target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 }, c: ctx(undefined, { cluster: null }), want: { ok: false, unreachable: true } },
  ])('$name', ({ target, c, want }) => expect(resolveTarget(target, c, null)).toMatchObject(want));

  it('keeps the current node while it still qualifies, and moves when it does not', () => {
    const two = [pod('monitoring', 'a', 'node1', app), pod('monitoring', 'b', 'node2', app)];
    const t = { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 };
    expect(resolveTarget(t, ctx(two), { node: 'node2' })).toMatchObject({ node: 'node2' });
    expect(resolveTarget(t, ctx(two), null)).toMatchObject({ node: 'node1' });
    expect(resolveTarget(t, ctx([pod('monitoring', 'b', 'node1', app)]), { node: 'node2' })).toMatchObject({ node: 'node1', targetIP: '10.120.52.23' });
  });
});

describe('networks', () => {
  it.each([
    { ip: '10.120.52.23', cidr: '10.120.52.0/24', want: true },
    { ip: '10.120.53.1', cidr: '10.120.52.0/24', want: false },
    { ip: '8.8.8.8', cidr: '0.0.0.0/0', want: true },
    { ip: '192.168.50.27', cidr: '192.168.50.27/32', want: true },
    { ip: 'not-an-ip', cidr: '10.0.0.0/8', want: false },
    { ip: '10.0.0.1', cidr: '10.0.0.0/33', want: false },
  ])('$ip in $cidr: $want', ({ ip, cidr, want }) => expect(inCidr(ip, cidr)).toBe(want));

  it('finds the network of an address and allows node addresses outside it', () => {
    expect(networkOf('10.120.52.1', 24)).toBe('10.120.52.0/24');
    const allowed = { networks: ['10.120.52.0/24'], addresses: ['10.200.0.5'] };
    expect(targetAllowed('10.120.52.99', allowed)).toBe(true);
    expect(targetAllowed('10.200.0.5', allowed)).toBe(true);
    expect(targetAllowed('1.1.1.1', allowed)).toBe(false);
  });
});

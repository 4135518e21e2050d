import { describe, expect, it } from 'vitest';
import { instance, node, pod, service } from '../testing/fixtures';
import { inCidr, isIpv4, networkOf, shown, targetProblem, type TargetPolicy } from '../network/networks';
import { resolveTarget, type TargetContext } from './targets';

const app = { 'app.kubernetes.io/name': 'grafana' };
const grafana = service('monitoring', 'kps-grafana', app, {
  type: 'NodePort',
  ports: [{ name: 'http-web', protocol: 'TCP', port: 80, targetPort: 'grafana', nodePort: 30060 }],
});
const policy: TargetPolicy = { networks: ['10.120.52.0/24'], hostAddresses: ['10.120.52.1', '192.168.50.27'] };
const nodes = [node('node1', '10.120.52.23'), node('node2', '10.120.52.24'), node('node3', '10.120.52.25', { ready: false })];
const ctx = (pods = [pod('monitoring', 'g', 'node2', app)], extra: Partial<TargetContext> = {}): TargetContext => ({
  instances: [instance('ops', ['10.120.52.31']), instance('scratch', [], 'Stopped')],
  cluster: { nodes, pods, services: [grafana, service('default', 'plain', app)] },
  policy,
  ...extra,
});
/** The cluster with one node reporting another address, as its kubelet's credentials may. */
const reporting = (name: string, internalIP: string, pods = [pod('monitoring', 'g', 'node1', app), pod('monitoring', 'h', 'node2', app)]) =>
  ctx(pods, { cluster: { nodes: nodes.map((n) => (n.name === name ? { ...n, internalIP } : n)), pods, services: [grafana] } });
const grafanaTarget = { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 };

describe('resolveTarget', () => {
  it.each([
    {
      name: 'static',
      target: { kind: 'static' as const, ip: '10.120.52.30', port: 3306 },
      c: ctx(),
      want: { ok: true, targetIP: '10.120.52.30', targetPort: 3306, node: null },
    },
    {
      name: 'instance: its current address',
      target: { kind: 'instance' as const, name: 'ops', port: 8080 },
      c: ctx(),
      want: { ok: true, targetIP: '10.120.52.31', targetPort: 8080, node: null },
    },
    {
      name: 'instance stopped',
      target: { kind: 'instance' as const, name: 'scratch', port: 22 },
      c: ctx(),
      want: { ok: false, unreachable: false },
    },
    {
      name: 'instance unknown',
      target: { kind: 'instance' as const, name: 'nope', port: 22 },
      c: ctx(),
      want: { ok: false, unreachable: false },
    },
    {
      name: 'Multipass down',
      target: { kind: 'instance' as const, name: 'ops', port: 8080 },
      c: ctx(undefined, { instances: null }),
      want: { ok: false, unreachable: true },
    },
    {
      name: 'service: the node its pod runs on',
      target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 },
      c: ctx(),
      want: { ok: true, targetIP: '10.120.52.24', targetPort: 30060, node: 'node2' },
    },
    {
      name: 'service by nodePort',
      target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 30060 },
      c: ctx(),
      want: { ok: true, node: 'node2' },
    },
    {
      name: 'pod on a NotReady node does not count',
      target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 },
      c: ctx([pod('monitoring', 'g', 'node3', app)]),
      want: { ok: false, unreachable: false },
    },
    {
      name: 'unready pod does not count',
      target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 },
      c: ctx([pod('monitoring', 'g', 'node1', app, { ready: false })]),
      want: { ok: false },
    },
    {
      name: 'ClusterIP service',
      target: { kind: 'service' as const, namespace: 'default', name: 'plain', port: 80 },
      c: ctx(),
      want: { ok: false, reason: 'Service default/plain is ClusterIP: port 80 has no nodePort.' },
    },
    {
      name: 'missing service',
      target: { kind: 'service' as const, namespace: 'x', name: 'y', port: 80 },
      c: ctx(),
      want: { ok: false, unreachable: false },
    },
    {
      name: 'apiserver down',
      target: { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 },
      c: ctx(undefined, { cluster: null }),
      want: { ok: false, unreachable: true },
    },
    {
      name: 'static outside the allowed networks',
      target: { kind: 'static' as const, ip: '1.1.1.1', port: 53 },
      c: ctx(),
      want: { ok: false, reason: 'The target 1.1.1.1 is outside the allowed networks.' },
    },
    {
      name: "static: the bridge's gateway (the host)",
      target: { kind: 'static' as const, ip: '10.120.52.1', port: 22 },
      c: ctx(),
      want: { ok: false, reason: "The target 10.120.52.1 is one of this host's own addresses." },
    },
    {
      name: 'instance reporting a foreign address',
      target: { kind: 'instance' as const, name: 'ops', port: 8080 },
      c: ctx(undefined, { instances: [instance('ops', ['203.0.113.7'])] }),
      want: { ok: false, reason: 'Instance ops reports address 203.0.113.7, outside the allowed networks.' },
    },
    {
      name: 'instance: only its management (first) address, never another it reports',
      target: { kind: 'instance' as const, name: 'ops', port: 8080 },
      c: ctx(undefined, { instances: [instance('ops', ['172.17.0.1', '10.120.52.31'])] }),
      want: { ok: false, reason: 'Instance ops reports address 172.17.0.1, outside the allowed networks.' },
    },
    {
      name: 'instance: the management address, not cni0 or flannel after it',
      target: { kind: 'instance' as const, name: 'ops', port: 8080 },
      c: ctx(undefined, { instances: [instance('ops', ['10.120.52.31', '10.244.1.1', '10.120.52.200'])] }),
      want: { ok: true, targetIP: '10.120.52.31' },
    },
    {
      name: 'instance in Delayed Shutdown: still running, still its address',
      target: { kind: 'instance' as const, name: 'ops', port: 8080 },
      c: ctx(undefined, { instances: [instance('ops', ['10.120.52.31'], 'Delayed Shutdown')] }),
      want: { ok: true, targetIP: '10.120.52.31' },
    },
    ...['Stopped', 'Suspended', 'Starting', 'Restarting', 'Suspending', 'Deleted', 'Unknown', 'Unavailable'].map((state) => ({
      name: `instance ${state}: kept, marked stale`,
      target: { kind: 'instance' as const, name: 'ops', port: 8080 },
      c: ctx(undefined, { instances: [instance('ops', state === 'Starting' ? ['10.120.52.31'] : [], state)] }),
      want: {
        ok: false,
        unreachable: false,
        stale: true,
        reason: `Instance ops is ${state.toLowerCase()}: it takes traffic again once it runs.`,
      },
    })),
    {
      name: 'instance running without an address yet',
      target: { kind: 'instance' as const, name: 'ops', port: 8080 },
      c: ctx(undefined, { instances: [instance('ops', [])] }),
      want: { ok: false, unreachable: false, stale: true, reason: 'Instance ops runs but reports no address yet.' },
    },
    {
      name: 'the only node with a pod reports a foreign address',
      target: grafanaTarget,
      c: reporting('node1', '203.0.113.7', [pod('monitoring', 'g', 'node1', app)]),
      want: { ok: false, unreachable: false, reason: 'node1 reports InternalIP 203.0.113.7, outside the allowed networks.' },
    },
    {
      name: 'a node address with a smuggled rule',
      target: grafanaTarget,
      c: reporting('node1', '10.120.52.23\n-I INPUT 1 -j ACCEPT', [pod('monitoring', 'g', 'node1', app)]),
      want: { ok: false, reason: 'node1 reports InternalIP "10.120.52.23\\n-I INPUT 1 -j ACCEPT", not an IPv4 address.' },
    },
    {
      name: 'another qualifying node instead of a misreporting one',
      target: grafanaTarget,
      c: reporting('node1', '127.0.0.1'),
      want: { ok: true, node: 'node2', targetIP: '10.120.52.24' },
    },
  ])('$name', ({ target, c, want }) => expect(resolveTarget(target, c, null)).toMatchObject(want));

  it('keeps the current node while it still qualifies, and moves when it does not', () => {
    const two = [pod('monitoring', 'a', 'node1', app), pod('monitoring', 'b', 'node2', app)];
    const t = { kind: 'service' as const, namespace: 'monitoring', name: 'kps-grafana', port: 80 };
    expect(resolveTarget(t, ctx(two), { node: 'node2' })).toMatchObject({ node: 'node2' });
    expect(resolveTarget(t, ctx(two), null)).toMatchObject({ node: 'node1' });
    expect(resolveTarget(t, ctx([pod('monitoring', 'b', 'node1', app)]), { node: 'node2' })).toMatchObject({
      node: 'node1',
      targetIP: '10.120.52.23',
    });
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

  it('finds the network of an address', () => {
    expect(networkOf('10.120.52.1', 24)).toBe('10.120.52.0/24');
    expect(networkOf('10.120.52.1', 33)).toBeNull();
  });

  it.each([
    { s: '10.120.52.23', want: true },
    { s: '0.0.0.0', want: true },
    { s: '255.255.255.255', want: true },
    { s: '010.120.52.23', want: false },
    { s: '10.120.52.256', want: false },
    { s: '10.120.52', want: false },
    { s: '10.120.52.23 ', want: false },
    { s: '10.120.52.23\n-A INPUT', want: false },
    { s: '１0.120.52.23', want: false },
    { s: '0x0a.1.1.1', want: false },
  ])('isIpv4($s): $want', ({ s, want }) => expect(isIpv4(s)).toBe(want));

  const wide: TargetPolicy = { networks: ['10.120.52.0/24', '0.0.0.0/0'], hostAddresses: ['10.120.52.1', '192.168.50.27'] };
  it.each([
    { ip: '10.120.52.23', want: null },
    { ip: '10.120.52.254', want: null },
    { ip: '10.120.52.0', want: null }, // the network address of the bridge, but a host address of the wider 0.0.0.0/0
    { ip: '203.0.113.7', want: null },
    { ip: '127.0.0.1', want: 'a loopback address' },
    { ip: '0.0.0.0', want: 'an address of "this network" (0.0.0.0/8)' },
    { ip: '169.254.169.254', want: 'a link-local address' },
    { ip: '224.0.0.251', want: 'a multicast address' },
    { ip: '255.255.255.255', want: 'a reserved or broadcast address' },
    { ip: '10.120.52.1', want: "one of this host's own addresses" },
    { ip: '192.168.50.27', want: "one of this host's own addresses" },
    { ip: '10.120.52.23/32', want: 'not an IPv4 address' },
  ])('with everything allowed, $ip: $want', ({ ip, want }) => expect(targetProblem(ip, wide)).toBe(want));

  it.each([
    { ip: '10.120.52.0', want: 'the network address of 10.120.52.0/24' },
    { ip: '10.120.52.255', want: 'the broadcast address of 10.120.52.0/24' },
    { ip: '10.120.53.1', want: 'outside the allowed networks' },
    { ip: '10.9.9.9', want: null }, // a single allowed address (/32) has no network or broadcast address
  ])('on the bridge only, $ip: $want', ({ ip, want }) =>
    expect(targetProblem(ip, { ...policy, networks: [...policy.networks, '10.9.9.9/32'] })).toBe(want),
  );

  it('shows foreign values quoted and cut short', () => {
    expect(shown('10.1.2.3')).toBe('10.1.2.3');
    expect(shown('a\nb')).toBe('"a\\nb"');
    expect(shown('x'.repeat(100))).toBe(JSON.stringify(`${'x'.repeat(40)}…`));
  });
});

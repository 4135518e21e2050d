import { describe, expect, it } from 'vitest';
import { service } from '../testing/fixtures';
import { SIGN_IN_NEEDS_HTTPS } from '../network/lan-names';
import { describeStep, namePlan, planServiceExpose } from './plan';
import { freeNodePort, nodePortsInUse, parseRange } from '../cluster/ports';
import { isSystemLabel } from '@/lib/domain/cluster/labels';
import { LabelKey, LabelValue } from '@/lib/schemas/cluster';

const grafana = service(
  'monitoring',
  'kps-grafana',
  { app: 'grafana' },
  { ports: [{ name: 'http-web', protocol: 'TCP', port: 80, targetPort: 'grafana', nodePort: null }] },
);

describe('Expose plan', () => {
  it('makes a ClusterIP service a NodePort on the chosen port and opens the same host port', () => {
    const plan = planServiceExpose(grafana, undefined, 30060, 'Grafana');
    expect(plan).toMatchObject({ listenPort: 30060 });
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.steps.map(describeStep)).toEqual([
      'Make Service monitoring/kps-grafana a NodePort with nodePort 30060 (now ClusterIP)',
      'Open host port 30060 to service monitoring/kps-grafana, following its pod',
    ]);
    expect(plan.steps[0]).toMatchObject({ previous: { type: 'ClusterIP', nodePort: null } });
  });

  it("names every change Kubernetes makes: a second port of the service gets a nodePort too (Prometheus' reloader)", () => {
    const prometheus = service(
      'monitoring',
      'kps-prometheus',
      { app: 'prometheus' },
      {
        ports: [
          { name: 'http-web', protocol: 'TCP', port: 9090, targetPort: '9090', nodePort: null },
          { name: 'reloader-web', protocol: 'TCP', port: 8080, targetPort: 'reloader-web', nodePort: null },
        ],
      },
    );
    const plan = planServiceExpose(prometheus, 9090, 30090, 'Prometheus');
    if ('error' in plan) throw new Error(plan.error);
    expect(describeStep(plan.steps[0]!)).toBe(
      'Make Service monitoring/kps-prometheus a NodePort with nodePort 30090 (now ClusterIP); Kubernetes also gives port 8080 a nodePort of its choosing',
    );
    expect(plan.steps[0]).toMatchObject({ alsoPorts: [8080] });
  });

  it('keeps an existing nodePort', () => {
    const np = { ...grafana, type: 'NodePort' as const, ports: [{ ...grafana.ports[0]!, nodePort: 31555 }] };
    const plan = planServiceExpose(np, 80, 30060, 'Grafana');
    expect(plan).toMatchObject({ listenPort: 31555 });
  });

  it.each([
    { name: 'no such port', svc: grafana, port: 443, error: /no port 443/ },
    { name: 'a UDP port', svc: { ...grafana, ports: [{ ...grafana.ports[0]!, protocol: 'UDP' as const }] }, port: 80, error: /UDP/ },
  ])('refuses $name', ({ svc, port, error }) =>
    expect(planServiceExpose(svc, port, 30060, 'x')).toEqual({ error: expect.stringMatching(error) }),
  );
});

describe('naming a plan and its access rule', () => {
  const plan = planServiceExpose(grafana, undefined, 30060, 'Grafana');
  if ('error' in plan) throw new Error(plan.error);
  it.each([
    [{}, 'Open host port 30060 to service monitoring/kps-grafana, following its pod'],
    [
      { allowFrom: ['192.168.50.10/32', '192.168.50.0/28'] },
      'Open host port 30060 to service monitoring/kps-grafana, following its pod; open only to 192.168.50.10, 192.168.50.0/28 (and this host)',
    ],
    [
      { lanName: 'grafana', https: true, allowFrom: ['192.168.50.10/32'] },
      "Open host port 30060 to service monitoring/kps-grafana, following its pod; publish grafana.local on the LAN; serve https://grafana.local/ with a certificate from labgate's CA; open only to 192.168.50.10 (and this host)",
    ],
    [
      { lanName: 'grafana', https: true, signIn: true },
      "Open host port 30060 to service monitoring/kps-grafana, following its pod; publish grafana.local on the LAN; serve https://grafana.local/ with a certificate from labgate's CA; let in only people signed in to labgate",
    ],
  ])('%j: the plan says it', (naming, want) => {
    const named = namePlan(plan, naming);
    if ('error' in named) throw new Error(named.error);
    expect(named.steps.map(describeStep)[1]).toBe(want);
    expect(named.steps[0]).toEqual(plan.steps[0]); // the Service's step is not touched
  });

  it('HTTPS without a name is refused', () => {
    expect(namePlan(plan, { https: true, allowFrom: ['192.168.50.10/32'] })).toEqual({ error: expect.stringContaining('name') });
  });

  it('sign-in without HTTPS is refused', () => {
    expect(namePlan(plan, { lanName: 'grafana', signIn: true })).toEqual({ error: SIGN_IN_NEEDS_HTTPS });
  });
});

describe('nodePorts', () => {
  const range = parseRange('30000-32767')!;
  it.each([
    { wanted: 30060, used: [], want: 30060 },
    { wanted: 30060, used: [30060, 30061], want: 30062 },
    { wanted: 32767, used: [32767], want: 30000 },
    { wanted: 80, used: [], want: 30000 },
  ])('wanted $wanted, used $used → $want', ({ wanted, used, want }) => expect(freeNodePort(wanted, range, new Set(used))).toBe(want));

  it('knows a full range and bad ranges', () => {
    expect(freeNodePort(1, { from: 1, to: 2 }, new Set([1, 2]))).toBeNull();
    expect(parseRange('32767-30000')).toBeNull();
    expect(parseRange('x')).toBeNull();
    expect([
      ...nodePortsInUse([
        grafana,
        service('a', 'b', null, { ports: [{ name: null, protocol: 'TCP', port: 1, targetPort: 1, nodePort: 30080 }] }),
      ]),
    ]).toEqual([30080]);
  });
});

describe('label rules', () => {
  it.each([
    { key: 'type', ok: true },
    { key: 'node-role.kubernetes.io/control-plane', ok: true },
    { key: 'example.com/tier', ok: true },
    { key: 'bad key!', ok: false },
    { key: '-leading', ok: false },
    { key: `${'a'.repeat(64)}`, ok: false },
    { key: 'Upper.Case/x', ok: false },
    { key: '', ok: false },
  ])('key "$key": $ok', ({ key, ok }) => expect(LabelKey.safeParse(key).success).toBe(ok));

  it.each([
    { value: '', ok: true },
    { value: 'ui', ok: true },
    { value: 'a'.repeat(63), ok: true },
    { value: 'a'.repeat(64), ok: false },
    { value: 'has space', ok: false },
    { value: 'trailing-', ok: false },
  ])('value "$value": $ok', ({ value, ok }) => expect(LabelValue.safeParse(value).success).toBe(ok));

  it('warns about Kubernetes-owned keys', () => {
    expect(isSystemLabel('kubernetes.io/hostname')).toBe(true);
    expect(isSystemLabel('node-role.kubernetes.io/worker')).toBe(true);
    expect(isSystemLabel('type')).toBe(false);
  });
});

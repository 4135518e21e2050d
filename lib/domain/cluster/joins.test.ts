import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { instance, node, pod, service } from '../testing/fixtures';
import { describePorts, instanceForNode, nodeForInstance, nodePortExposure, PodIndex, serviceNodes, servicePods } from './joins';

const instances = [
  instance('node1', ['10.120.52.23', '10.244.0.0']),
  instance('node2', ['10.120.52.24', '10.244.1.0']),
  instance('nfs', ['10.120.52.30']),
  instance('scratch', [], 'Stopped'),
];
const nodes = [node('node1', '10.120.52.23'), node('node2', '10.120.52.24'), node('cloud-node', '10.0.0.9'), node('no-ip', null)];

describe('VM <-> node by address', () => {
  it.each([
    { name: 'a node in a VM with two addresses', node: 'node1', want: 'node1' },
    { name: 'another', node: 'node2', want: 'node2' },
    { name: 'a node with no VM', node: 'cloud-node', want: null },
    { name: 'a node with no InternalIP', node: 'no-ip', want: null },
  ])('$name', ({ node: n, want }) => {
    expect(
      instanceForNode(
        nodes.find((x) => x.name === n)!,
        instances,
      )?.name ?? null,
    ).toBe(want);
  });

  it.each([
    { name: 'matched by its CNI address too', vm: instance('x', ['10.9.9.9', '10.120.52.24']), want: 'node2' },
    { name: 'a VM that is not a node', vm: instances[2]!, want: null },
    { name: 'a stopped VM', vm: instances[3]!, want: null },
  ])('$name', ({ vm, want }) => expect(nodeForInstance(vm, nodes)?.name ?? null).toBe(want));
});

describe('service -> pods -> nodes', () => {
  const app = { app: 'grafana' };
  const pods = [
    pod('monitoring', 'g-1', 'node1', app),
    pod('monitoring', 'g-2', 'node2', app),
    pod('monitoring', 'g-3', 'node2', app),
    pod('monitoring', 'g-unready', 'node3', app, { ready: false }),
    pod('monitoring', 'g-leaving', 'node3', app, { terminating: true }),
    pod('default', 'elsewhere', 'node3', app),
  ];
  it.each([
    { name: 'pods on two nodes', svc: service('monitoring', 'grafana', app), pods: 3, nodes: ['node1', 'node2'] },
    { name: 'a service without a selector', svc: service('monitoring', 'external', null), pods: 0, nodes: [] },
    { name: 'an empty selector', svc: service('monitoring', 'empty', {}), pods: 0, nodes: [] },
    { name: 'another namespace', svc: service('other', 'grafana', app), pods: 0, nodes: [] },
  ])('$name', ({ svc, pods: count, nodes: want }) => {
    expect(servicePods(svc, pods)).toHaveLength(count);
    expect(serviceNodes(svc, pods)).toEqual(want);
  });
});

describe('NodePort exposure', () => {
  const grafana = service(
    'monitoring',
    'kps-grafana',
    { app: 'grafana' },
    { type: 'NodePort', ports: [{ name: 'http-web', protocol: 'TCP', port: 80, targetPort: 'grafana', nodePort: 30060 }] },
  );
  it.each([
    { name: 'not exposed without a forward', forwards: [], want: { exposed: false } },
    {
      name: 'exposed through a service forward',
      forwards: [
        {
          id: 'f1',
          protocol: 'tcp' as const,
          listenPort: 30060,
          targetIP: '10.120.52.23',
          targetPort: 30060,
          service: { namespace: 'monitoring', name: 'kps-grafana' },
        },
      ],
      want: { exposed: true, url: 'http://192.168.50.27:30060/', forwardId: 'f1' },
    },
    {
      name: "another service's forward on the same port does not count",
      forwards: [
        {
          id: 'f2',
          protocol: 'tcp' as const,
          listenPort: 8080,
          targetIP: '10.120.52.23',
          targetPort: 30060,
          service: { namespace: 'default', name: 'other' },
        },
      ],
      want: { exposed: false },
    },
  ])('$name', ({ forwards, want }) => expect(nodePortExposure(grafana, 30060, forwards, '192.168.50.27')).toEqual(want));

  it('describes ports as kubectl does', () => {
    expect(describePorts(grafana)).toBe('80:30060/TCP');
  });
});

describe('PodIndex', () => {
  const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'team'), fc.constantFrom('a', 'b', 'c'), { maxKeys: 3 });
  const pods = fc.array(
    fc.record({
      ns: fc.constantFrom('default', 'monitoring'),
      node: fc.constantFrom('node1', 'node2', null),
      labels,
      ready: fc.boolean(),
      terminating: fc.boolean(),
    }),
    { maxLength: 40 },
  );
  const services = fc.array(fc.record({ ns: fc.constantFrom('default', 'monitoring'), selector: fc.option(labels, { nil: null }) }), {
    maxLength: 10,
  });

  it('finds exactly the pods the plain scan finds, for any pods and selectors', () => {
    fc.assert(
      fc.property(pods, services, (ps, ss) => {
        const records = ps.map((p, i) => pod(p.ns, `p${i}`, p.node, p.labels, { ready: p.ready, terminating: p.terminating }));
        const index = new PodIndex(records);
        for (const [i, s] of ss.entries()) {
          const svc = service(s.ns, `s${i}`, s.selector);
          expect(index.servicePods(svc)).toEqual(servicePods(svc, records));
        }
      }),
      { numRuns: 300 },
    );
  });
});

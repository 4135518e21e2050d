import { describe, expect, it } from 'vitest';
import { instance, node, pod, service } from './testing/fixtures';
import { instanceRows, nodeRows, serviceRows, topology } from './views';

const sources = {
  instances: [
    instance('node1', ['10.120.52.23', '10.244.0.0']),
    instance('node2', ['10.120.52.24']),
    instance('ops', ['10.120.52.31']),
    instance('scratch', [], 'Stopped'),
  ],
  nodes: [node('node1', '10.120.52.23', { roles: ['control-plane'] }), node('node2', '10.120.52.24'), node('far', '10.9.0.1')],
  pods: [
    pod('monitoring', 'grafana-1', 'node2', { app: 'grafana' }),
    pod('default', 'web-1', 'node1', { app: 'web' }),
    pod('default', 'web-2', 'node2', { app: 'web' }),
    pod('default', 'old', 'node2', { app: 'web' }, { terminating: true }),
  ],
  services: [
    service(
      'monitoring',
      'grafana',
      { app: 'grafana' },
      { type: 'NodePort', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 3000, nodePort: 30060 }] },
    ),
    service('default', 'web', { app: 'web' }),
  ],
  forwards: [
    {
      id: 'f1',
      protocol: 'tcp' as const,
      listenPort: 30060,
      targetIP: '10.120.52.24',
      targetPort: 30060,
      service: { namespace: 'monitoring', name: 'grafana' },
    },
  ],
  lanAddress: '192.168.50.27',
};

describe('views', () => {
  it('instances know the node they host', () => {
    expect(instanceRows(sources).map((r) => [r.name, r.node])).toEqual([
      ['node1', 'node1'],
      ['node2', 'node2'],
      ['ops', null],
      ['scratch', null],
    ]);
  });

  it('instances know the forwards that point at them: by name, or at their address', () => {
    const rows = instanceRows({
      ...sources,
      forwards: [
        ...sources.forwards,
        {
          id: 'f2',
          name: 'Jenkins',
          protocol: 'tcp',
          listenPort: 8080,
          targetIP: '10.120.52.31',
          targetPort: 8080,
          service: null,
          instance: 'ops',
        },
        {
          id: 'f3',
          name: 'ssh',
          protocol: 'tcp',
          listenPort: 2222,
          targetIP: '10.120.52.31',
          targetPort: 22,
          service: null,
          instance: null,
        },
        { id: 'f4', name: 'gone', protocol: 'tcp', listenPort: 2223, targetIP: null, targetPort: 22, service: null, instance: null },
      ],
    });
    expect(Object.fromEntries(rows.map((r) => [r.name, r.forwards.map((f) => f.name)]))).toEqual({
      node1: [],
      node2: [], // the service forward lands there, but points at the Service
      ops: ['Jenkins', 'ssh'],
      scratch: [],
    });
  });

  it('nodes know their VM and count their pods (not the terminating ones)', () => {
    expect(nodeRows(sources).map((r) => [r.name, r.instance, r.podCount])).toEqual([
      ['node1', 'node1', 1],
      ['node2', 'node2', 2],
      ['far', null, 0],
    ]);
  });

  it('services list their pods, nodes and exposure, filtered by namespace', () => {
    const [grafana] = serviceRows(sources, 'monitoring');
    expect(grafana).toMatchObject({
      name: 'grafana',
      nodes: ['node2'],
      exposure: [{ nodePort: 30060, exposure: { exposed: true, url: 'http://192.168.50.27:30060/' } }],
    });
    expect(serviceRows(sources, 'default').map((r) => [r.name, r.nodes])).toEqual([['web', ['node1', 'node2']]]);
  });

  it("an exposed service carries its forward's health, as the host's probes last saw it", () => {
    const down = { state: 'down' as const, reason: 'connection refused by 10.120.52.24:30060' };
    const [grafana] = serviceRows({ ...sources, forwards: sources.forwards.map((f) => ({ ...f, health: down })) }, 'monitoring');
    expect(grafana!.exposure[0]!.exposure).toEqual({ exposed: true, url: 'http://192.168.50.27:30060/', forwardId: 'f1', health: down });
  });

  it('the topology nests pods in nodes in VMs and lists NodePort services with their URLs', () => {
    const t = topology(sources);
    expect(t.vms.find((v) => v.name === 'node2')?.node?.pods.map((p) => p.name)).toEqual(['grafana-1', 'web-2']);
    expect(t.vms.find((v) => v.name === 'ops')?.node).toBeNull();
    expect(t.orphanNodes).toEqual(['far']);
    expect(t.services).toEqual([
      { namespace: 'monitoring', name: 'grafana', type: 'NodePort', nodes: ['node2'], urls: ['http://192.168.50.27:30060/'] },
    ]);
  });
});

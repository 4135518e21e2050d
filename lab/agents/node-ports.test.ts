import { describe, expect, it } from 'vitest';
import { nodePortsFor, type PodLike, type ServiceLike } from './node-ports.mts';

const svc = (
  name: string,
  type: string,
  ports: { nodePort?: number; protocol?: string }[],
  extra: Partial<NonNullable<ServiceLike['spec']>> = {},
): ServiceLike => ({
  metadata: { name, namespace: 'default' },
  spec: { type, selector: { app: name }, ports, ...extra },
});
const pod = (app: string, node: string, ready = true): PodLike => ({
  metadata: { namespace: 'default', labels: { app } },
  spec: { nodeName: node },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('nodePortsFor', () => {
  it.each([
    { name: 'ClusterIP: none', services: [svc('a', 'ClusterIP', [{}])], pods: [], want: [] },
    { name: 'NodePort: on every node', services: [svc('a', 'NodePort', [{ nodePort: 30080 }])], pods: [], want: [30080] },
    {
      name: 'LoadBalancer has node ports too',
      services: [svc('a', 'LoadBalancer', [{ nodePort: 31000 }, { nodePort: 31001, protocol: 'UDP' }])],
      pods: [],
      want: [31000, 31001],
    },
    {
      name: 'Local without a pod here: none',
      services: [svc('a', 'NodePort', [{ nodePort: 30081 }], { externalTrafficPolicy: 'Local' })],
      pods: [pod('a', 'node2')],
      want: [],
    },
    {
      name: 'Local with a ready pod here',
      services: [svc('a', 'NodePort', [{ nodePort: 30081 }], { externalTrafficPolicy: 'Local' })],
      pods: [pod('a', 'node1')],
      want: [30081],
    },
    {
      name: 'Local with an unready pod here: none',
      services: [svc('a', 'NodePort', [{ nodePort: 30081 }], { externalTrafficPolicy: 'Local' })],
      pods: [pod('a', 'node1', false)],
      want: [],
    },
    {
      name: 'Local without a selector: none',
      services: [svc('a', 'NodePort', [{ nodePort: 30081 }], { externalTrafficPolicy: 'Local', selector: {} })],
      pods: [pod('a', 'node1')],
      want: [],
    },
  ])('$name', ({ services, pods, want }) => {
    expect(nodePortsFor('node1', services, pods).map((a) => a.nodePort)).toEqual(want);
  });
});

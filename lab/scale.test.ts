import { describe, expect, it } from 'vitest';
import { scaleObjects } from './scale.mts';

describe('scale profile', () => {
  it('makes the nodes, and one service and one deployment per service, with every pod accounted for', () => {
    const { nodes, workloads } = scaleObjects({ nodes: 7, services: 3, pods: 10 });
    expect(nodes).toHaveLength(7);
    const deployments = workloads.filter((w) => (w as { kind: string }).kind === 'Deployment') as { spec: { replicas: number } }[];
    expect(deployments.map((d) => d.spec.replicas)).toEqual([4, 3, 3]);
    const names = new Set(nodes.map((n) => (n as { metadata: { name: string } }).metadata.name));
    expect(names.size).toBe(7);
  });
});

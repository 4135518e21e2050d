import { describe, expect, it } from 'vitest';
import { layoutTopology } from './layout';

describe('layoutTopology', () => {
  const t = {
    vms: [
      {
        name: 'node1',
        state: 'Running',
        address: '10.120.52.23',
        node: { name: 'node1', ready: true, pods: Array.from({ length: 10 }, (_, i) => ({ namespace: 'x', name: `p${i}`, ready: true })) },
      },
      { name: 'ops', state: 'Running', address: '10.120.52.31', node: null },
    ],
    orphanNodes: [],
    services: [
      { namespace: 'monitoring', name: 'kps-grafana', type: 'NodePort' as const, nodes: ['node1'], urls: ['http://192.168.50.27:30060/'] },
    ],
  };

  it('nests nodes in their VMs, links services to nodes and the LAN to exposed services', () => {
    const { boxes, links } = layoutTopology(t);
    expect(boxes.find((b) => b.id === 'node:node1')?.parentId).toBe('vm:node1');
    expect(boxes.find((b) => b.id === 'node:node1')?.data.more).toBe(2);
    expect(links.map((l) => [l.source, l.target])).toEqual([
      ['svc:monitoring/kps-grafana', 'node:node1'],
      ['lan', 'svc:monitoring/kps-grafana'],
    ]);
  });

  it('gives VMs without a node a short box, side by side without overlap', () => {
    const { boxes } = layoutTopology(t);
    const [a, b] = boxes.filter((x) => x.kind === 'vm');
    expect(b!.x).toBeGreaterThanOrEqual(a!.x + a!.width);
    expect(b!.height).toBeLessThan(a!.height);
  });
});

import { describe, expect, it } from 'vitest';
import { columnsFor, GAP, layoutTopology, VM_WIDTH } from './layout';

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

  it('wraps VMs into rows of the given width: each row below the tallest box of the one before, nothing overlapping', () => {
    const three = { ...t, vms: [...t.vms, { name: 'nfs', state: 'Running', address: '10.120.52.30', node: null }] };
    const { boxes } = layoutTopology(three, 2);
    const vm = (name: string) => boxes.find((b) => b.id === `vm:${name}`)!;
    expect(vm('ops').y).toBe(vm('node1').y);
    expect(vm('ops').x).toBe(VM_WIDTH + GAP);
    expect(vm('nfs').x).toBe(0);
    expect(vm('nfs').y).toBe(vm('node1').y + vm('node1').height + GAP);
    // The LAN's box takes the services' first slot; the exposed service the next.
    expect(boxes.find((b) => b.id === 'lan')).toMatchObject({ x: 0, y: 0 });
    expect(boxes.find((b) => b.id === 'svc:monitoring/kps-grafana')).toMatchObject({ x: VM_WIDTH + GAP, y: 0 });
    const top = boxes.filter((b) => !b.parentId);
    for (const a of top)
      for (const b of top)
        if (a !== b) expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
  });

  it.each([
    [200, 1],
    [VM_WIDTH, 1],
    [2 * VM_WIDTH + GAP, 2],
    [926, 3],
    [1100, 4],
  ])('columnsFor(%i) = %i', (width, want) => {
    expect(columnsFor(width)).toBe(want);
  });
});

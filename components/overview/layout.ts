import type { Topology } from '@/lib/domain/views';

/** Positions for the topology picture. Pure, so the layout is tested apart from the drawing. */
export interface Box {
  id: string;
  kind: 'vm' | 'node' | 'service' | 'lan';
  parentId?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  data: Record<string, unknown>;
}
export interface Link {
  id: string;
  source: string;
  target: string;
  label?: string;
}

export const VM_WIDTH = 220;
const GAP = 28;
const POD_LINE = 18;
const MAX_PODS = 8;

export function layoutTopology(t: Topology): { boxes: Box[]; links: Link[] } {
  const boxes: Box[] = [];
  const links: Link[] = [];
  const vmY = 150;
  t.vms.forEach((vm, i) => {
    const pods = vm.node?.pods ?? [];
    const podLines = Math.min(pods.length, MAX_PODS) + (pods.length > MAX_PODS ? 1 : 0);
    const nodeHeight = vm.node ? 52 + podLines * POD_LINE : 0;
    const height = 64 + (vm.node ? nodeHeight + 12 : 0);
    const id = `vm:${vm.name}`;
    boxes.push({
      id,
      kind: 'vm',
      x: i * (VM_WIDTH + GAP),
      y: vmY,
      width: VM_WIDTH,
      height,
      data: { name: vm.name, state: vm.state, address: vm.address },
    });
    if (vm.node) {
      boxes.push({
        id: `node:${vm.node.name}`,
        kind: 'node',
        parentId: id,
        x: 10,
        y: 58,
        width: VM_WIDTH - 20,
        height: nodeHeight,
        data: { name: vm.node.name, ready: vm.node.ready, pods: pods.slice(0, MAX_PODS), more: Math.max(0, pods.length - MAX_PODS) },
      });
    }
  });
  const serviceWidth = 200;
  t.services.forEach((s, i) => {
    const id = `svc:${s.namespace}/${s.name}`;
    boxes.push({ id, kind: 'service', x: i * (serviceWidth + GAP), y: 0, width: serviceWidth, height: 64, data: { ...s } });
    for (const n of s.nodes) links.push({ id: `${id}->${n}`, source: id, target: `node:${n}` });
  });
  const exposed = t.services.filter((s) => s.urls.length > 0);
  if (exposed.length) {
    boxes.push({ id: 'lan', kind: 'lan', x: -260, y: 0, width: 200, height: 64, data: {} });
    for (const s of exposed)
      links.push({ id: `lan->${s.namespace}/${s.name}`, source: 'lan', target: `svc:${s.namespace}/${s.name}`, label: s.urls.join(' ') });
  }
  return { boxes, links };
}

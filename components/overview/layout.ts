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
export const GAP = 28;
const POD_LINE = 18;
const MAX_PODS = 8;
const SERVICE_ROW = 64 + GAP;

/** How many VMs fit side by side in a picture this wide at full size (at least one). */
export const columnsFor = (width: number) => Math.max(1, Math.floor((width + GAP) / (VM_WIDTH + GAP)));

/**
 * `columns`: how many VMs stand side by side; more wrap onto the next row, so a picture as wide
 * as the page is drawn at full size (legible) instead of shrunk to fit one long row.
 */
export function layoutTopology(t: Topology, columns = Infinity): { boxes: Box[]; links: Link[] } {
  const boxes: Box[] = [];
  const links: Link[] = [];
  // Services on top (after the LAN's box, when one is drawn in their rows), the VMs below them.
  const exposedAny = t.services.some((s) => s.urls.length > 0);
  const firstSlot = Number.isFinite(columns) && exposedAny ? 1 : 0;
  const serviceRows = Math.max(1, Math.ceil((t.services.length + firstSlot) / columns));
  const vmRowY = serviceRows * SERVICE_ROW + 58;
  const heights = t.vms.map((vm) => {
    const pods = vm.node?.pods ?? [];
    const podLines = Math.min(pods.length, MAX_PODS) + (pods.length > MAX_PODS ? 1 : 0);
    return vm.node ? 52 + podLines * POD_LINE : 0;
  });
  const vmHeight = (i: number) => 64 + (t.vms[i]!.node ? heights[i]! + 12 : 0);
  // Each row as tall as its tallest VM.
  const rowTops: number[] = [];
  for (let i = 0, y = vmRowY; i < t.vms.length; i += columns) {
    rowTops.push(y);
    y += Math.max(...t.vms.slice(i, i + columns).map((_, j) => vmHeight(i + j))) + GAP;
  }
  t.vms.forEach((vm, i) => {
    const pods = vm.node?.pods ?? [];
    const nodeHeight = heights[i]!;
    const id = `vm:${vm.name}`;
    boxes.push({
      id,
      kind: 'vm',
      x: (i % columns) * (VM_WIDTH + GAP),
      y: rowTops[Math.floor(i / columns)]!,
      width: VM_WIDTH,
      height: vmHeight(i),
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
    const slot = i + firstSlot;
    boxes.push({
      id,
      kind: 'service',
      x: (slot % columns) * (VM_WIDTH + GAP),
      y: Math.floor(slot / columns) * SERVICE_ROW,
      width: serviceWidth,
      height: 64,
      data: { ...s },
    });
    for (const n of s.nodes) links.push({ id: `${id}->${n}`, source: id, target: `node:${n}` });
  });
  const exposed = t.services.filter((s) => s.urls.length > 0);
  if (exposed.length) {
    boxes.push({ id: 'lan', kind: 'lan', x: firstSlot ? 0 : -260, y: 0, width: 200, height: 64, data: {} });
    for (const s of exposed)
      links.push({ id: `lan->${s.namespace}/${s.name}`, source: 'lan', target: `svc:${s.namespace}/${s.name}`, label: s.urls.join(' ') });
  }
  return { boxes, links };
}

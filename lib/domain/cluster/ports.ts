import type { ServiceRecord } from '../records';

export interface PortRange {
  from: number;
  to: number;
}

export const formatRange = (r: PortRange) => `${r.from}-${r.to}`;

export function parseRange(text: string): PortRange | null {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!m) return null;
  const [from, to] = [Number(m[1]), Number(m[2])];
  return from >= 1 && to <= 65535 && from <= to ? { from, to } : null;
}

export const nodePortsInUse = (services: readonly ServiceRecord[], except?: { namespace: string; name: string }) =>
  new Set(
    services
      .filter((s) => !(except && s.namespace === except.namespace && s.name === except.name))
      .flatMap((s) => s.ports.flatMap((p) => (p.nodePort ? [p.nodePort] : []))),
  );

/** The wanted nodePort if free, else the next free one in the range (wrapping), else null. */
export function freeNodePort(wanted: number, range: PortRange, used: ReadonlySet<number>): number | null {
  const size = range.to - range.from + 1;
  const start = wanted >= range.from && wanted <= range.to ? wanted : range.from;
  for (let i = 0; i < size; i++) {
    const p = range.from + ((start - range.from + i) % size);
    if (!used.has(p)) return p;
  }
  return null;
}

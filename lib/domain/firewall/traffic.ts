import { CHAIN } from './rules';
import { rulesOf, type ParsedSave } from './save-parse';

/** A forward's traffic as the kernel counted it on labgate's own rules. */
export interface Traffic {
  connections: number; // its DNAT rules' packets: the nat table sees only a connection's first packet
  bytes: number; // its FORWARD rule's bytes: both directions of the connections its DNAT made
  // Both count the LAN's traffic only: the host's own connections (labgate's health probes among
  // them) take the LOCAL rule and never pass FORWARD.
}

/** `[packets:bytes]` as iptables-save -c prints it; null when absent or not counters. */
export function parseCounters(counters: string | null): { packets: number; bytes: number } | null {
  const m = counters ? /^\[(\d+):(\d+)\]$/.exec(counters) : null;
  return m ? { packets: Number(m[1]), bytes: Number(m[2]) } : null;
}

const idOf = (text: string) => /--comment "?labgate:([a-z0-9]{1,20})"?(?: |$)/.exec(text)?.[1] ?? null;

/**
 * Each forward's traffic, from a full read with counters (iptables-save -c): the whole-ruleset
 * read labgate already does, never a read per forward. Forwards without counters in the read
 * (a read without -c, or no rule yet) are absent. Pure.
 */
export function trafficOf(save: ParsedSave): Map<string, Traffic> {
  const out = new Map<string, Traffic>();
  const add = (table: 'nat' | 'filter', chain: string, field: 'connections' | 'bytes') => {
    for (const r of rulesOf(save, table, chain)) {
      const id = idOf(r.text);
      const c = parseCounters(r.counters);
      if (!id || !c || r.text.includes('--src-type LOCAL')) continue;
      const t = out.get(id) ?? { connections: 0, bytes: 0 };
      t[field] += field === 'connections' ? c.packets : c.bytes;
      out.set(id, t);
    }
  };
  add('nat', CHAIN.dnat, 'connections');
  add('filter', CHAIN.forward, 'bytes');
  return out;
}

/**
 * The counters each of labgate's rules has in the kernel now, keyed by table and rule text, for
 * a restore to write them back (iptables-restore --counters): labgate rewrites its chains whole,
 * and without them every restore would set every forward's traffic back to zero.
 */
export function countersOf(save: ParsedSave): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of save.lines)
    if (l.kind === 'rule' && l.chain.startsWith('LABGATE-') && l.counters) out.set(`${l.table} ${l.text}`, l.counters);
  return out;
}

/** A forward's traffic since labgate started, kept across the kernel's own resets of its counters. */
export interface TrafficTotal extends Traffic {
  lastUsed: string | null; // when a read last found more than the one before, or first found any (ISO); null: never used
  seen: Traffic; // what the kernel's counters said at the last read
}

/**
 * The next total from a new read: counters that went down were reset (a rule rewritten because
 * its target moved, a reboot), so what they had counted stays in the total and the new count is
 * added on top. Pure.
 */
export function accumulate(before: TrafficTotal | undefined, now: Traffic, at: string): TrafficTotal {
  // First seen: its counts so far (its rules were written with none), used by now if it has any.
  if (!before) return { ...now, lastUsed: now.connections + now.bytes > 0 ? at : null, seen: now };
  const grew = (k: keyof Traffic) => (now[k] >= before.seen[k] ? now[k] - before.seen[k] : now[k]);
  const connections = before.connections + grew('connections');
  const bytes = before.bytes + grew('bytes');
  const used = connections > before.connections || bytes > before.bytes;
  return { connections, bytes, lastUsed: used ? at : before.lastUsed, seen: now };
}

/** A forward's byte total at a moment (ms since the epoch), as the full reads found it. */
export interface TrafficSample {
  at: number;
  bytes: number;
}

export const HISTORY_MINUTES = 60;

/**
 * Bytes per minute over the last `minutes` minutes, oldest first, from the samples the full reads
 * took (totals that only grow): each minute gets what the total grew by within it, as far as the
 * samples tell; a minute without samples, nothing. Pure.
 */
export function bytesPerMinute(samples: readonly TrafficSample[], now: number, minutes = HISTORY_MINUTES): number[] {
  const out = new Array<number>(minutes).fill(0);
  const start = now - minutes * 60_000;
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1]!, samples[i]!];
    if (b.at <= start || b.at > now) continue;
    out[Math.min(minutes - 1, Math.floor((b.at - start) / 60_000))]! += Math.max(0, b.bytes - a.bytes);
  }
  return out;
}

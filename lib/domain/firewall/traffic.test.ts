import { describe, expect, it } from 'vitest';
import { renderRestore } from './rules';
import { parseSave } from './save-parse';
import { accumulate, bytesPerMinute, countersOf, parseCounters, trafficOf } from './traffic';

// As iptables-save -c prints labgate's chains on a host where two forwards have been used.
const SAVED = `*nat
:PREROUTING ACCEPT [10:600]
:LABGATE-DNAT - [0:0]
[7:420] -A PREROUTING -m comment --comment labgate -j LABGATE-PREROUTING
[3:180] -A LABGATE-DNAT -p tcp -m tcp --dport 30060 -m comment --comment "labgate:g1" -j DNAT --to-destination 10.120.52.23:30060
[2:120] -A LABGATE-DNAT -s 192.168.50.10/32 -p tcp -m tcp --dport 8080 -m comment --comment "labgate:j1" -j DNAT --to-destination 10.120.52.31:8080
[1:60] -A LABGATE-DNAT -p tcp -m tcp --dport 8080 -m addrtype --src-type LOCAL -m comment --comment "labgate:j1" -j DNAT --to-destination 10.120.52.31:8080
[5:300] -A LABGATE-POSTROUTING -d 10.120.52.23/32 -p tcp -m comment --comment "labgate:g1" -j MASQUERADE
COMMIT
*filter
:LABGATE-FORWARD - [0:0]
[40:52000] -A LABGATE-FORWARD -p tcp -m conntrack --ctstate DNAT --ctproto 6 --ctreplsrc 10.120.52.23 --ctreplsrcport 30060 -m comment --comment "labgate:g1" -j ACCEPT
[9:1800] -A LABGATE-FORWARD -p tcp -m conntrack --ctstate DNAT --ctproto 6 --ctreplsrc 10.120.52.31 --ctreplsrcport 8080 -m comment --comment "labgate:j1" -j ACCEPT
[99:9999] -A FORWARD -p tcp -m comment --comment "labgate:g1 (a comment of someone else's)" -j ACCEPT
COMMIT
`;

describe("each forward's traffic from a full read with counters", () => {
  it('connections from its DNAT rules (every source, not the host itself), bytes from its FORWARD rule; nothing from rules outside its chains', () => {
    expect(Object.fromEntries(trafficOf(parseSave(SAVED)))).toEqual({
      g1: { connections: 3, bytes: 52000 },
      j1: { connections: 2, bytes: 1800 },
    });
  });

  it('a read without counters knows no traffic', () => {
    expect(trafficOf(parseSave(SAVED.replace(/^\[\d+:\d+\] /gm, ''))).size).toBe(0);
  });

  it.each<[string | null, { packets: number; bytes: number } | null]>([
    ['[3:180]', { packets: 3, bytes: 180 }],
    ['[0:0]', { packets: 0, bytes: 0 }],
    [null, null],
    ['[3:x]', null],
    ['3:180', null],
  ])('parseCounters(%j)', (counters, want) => expect(parseCounters(counters)).toEqual(want));
});

describe('a restore keeps the counters of the rules that stay', () => {
  it("writes back each unchanged rule's counters in labgate's chains, none for a new rule, and never touches other chains", () => {
    const counters = countersOf(parseSave(SAVED));
    expect(counters.has('nat -A PREROUTING -m comment --comment labgate -j LABGATE-PREROUTING')).toBe(false); // not labgate's chain
    const kept =
      '-A LABGATE-FORWARD -p tcp -m conntrack --ctstate DNAT --ctproto 6 --ctreplsrc 10.120.52.23 --ctreplsrcport 30060 -m comment --comment "labgate:g1" -j ACCEPT';
    const fresh =
      '-A LABGATE-FORWARD -p udp -m conntrack --ctstate DNAT --ctproto 17 --ctreplsrc 10.120.52.30 --ctreplsrcport 53 -m comment --comment "labgate:u1" -j ACCEPT';
    const payload = renderRestore({ nat: {}, filter: { 'LABGATE-FORWARD': [kept, fresh] } }, { nat: [], filter: [] }, [], [], counters);
    expect(payload).toContain(`\n[40:52000] ${kept}\n`);
    expect(payload).toContain(`\n${fresh}\n`);
    expect(payload).toContain(':LABGATE-FORWARD - [0:0]'); // the chain itself is declared (emptied) as always
  });
});

describe('accumulate: totals that survive the kernel resetting its counters', () => {
  const at = '2026-12-05T12:00:00.000Z';
  const t = (connections: number, bytes: number) => ({ connections, bytes });
  it.each([
    ['the first read: its counts, used by then', undefined, t(3, 300), { ...t(3, 300), lastUsed: at, seen: t(3, 300) }],
    ['the first read of a forward never used', undefined, t(0, 0), { ...t(0, 0), lastUsed: null, seen: t(0, 0) }],
    [
      'more traffic: added, and used now',
      { ...t(3, 300), lastUsed: null, seen: t(3, 300) },
      t(5, 900),
      { ...t(5, 900), lastUsed: at, seen: t(5, 900) },
    ],
    [
      'nothing new: unchanged, last use kept',
      { ...t(5, 900), lastUsed: '2026-12-05T11:00:00.000Z', seen: t(5, 900) },
      t(5, 900),
      { ...t(5, 900), lastUsed: '2026-12-05T11:00:00.000Z', seen: t(5, 900) },
    ],
    [
      'counters reset (a rule rewritten): what they had counted stays, the new count on top',
      { ...t(5, 900), lastUsed: null, seen: t(5, 900) },
      t(1, 100),
      { ...t(6, 1000), lastUsed: at, seen: t(1, 100) },
    ],
    [
      'reset to zero: nothing lost, nothing new',
      { ...t(5, 900), lastUsed: null, seen: t(5, 900) },
      t(0, 0),
      { ...t(5, 900), lastUsed: null, seen: t(0, 0) },
    ],
  ])('%s', (_what, before, now, want) => expect(accumulate(before, now, at)).toEqual(want));
});

describe('bytesPerMinute: the last hour, a minute a bar', () => {
  const now = Date.UTC(2026, 11, 5, 12, 0, 0);
  const min = (m: number) => now - m * 60_000; // m minutes ago
  it.each<[string, { at: number; bytes: number }[], number, Record<number, number>]>([
    ['no samples: all quiet', [], 3, {}],
    ['one sample: nothing to compare', [{ at: min(1), bytes: 500 }], 3, {}],
    [
      'growth lands in the minute it was seen in, the newest last',
      [
        { at: min(2.5), bytes: 100 },
        { at: min(1.5), bytes: 400 },
        { at: min(0.5), bytes: 1000 },
      ],
      3,
      { 1: 300, 2: 600 },
    ],
    [
      'samples older than the window count for nothing',
      [
        { at: min(10), bytes: 0 },
        { at: min(9), bytes: 5000 },
        { at: min(0.2), bytes: 5100 },
      ],
      3,
      { 2: 100 },
    ],
  ])('%s', (_what, samples, minutes, want) => {
    const bars = bytesPerMinute(samples, now, minutes);
    expect(bars).toHaveLength(minutes);
    expect(bars).toEqual(Array.from({ length: minutes }, (_, i) => want[i] ?? 0));
  });
});

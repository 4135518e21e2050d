import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { multipassCleanupTargets, multipassRuleCalls, splitRuleLine } from './firewall.mts';

const fixture = fs.readFileSync(path.join(__dirname, 'fixtures', 'iptables', 'multipass-qemu-rules.txt'), 'utf8');

describe('splitRuleLine', () => {
  it.each([
    { line: '-A INPUT -j ACCEPT', want: ['-A', 'INPUT', '-j', 'ACCEPT'] },
    {
      line: '-A X -m comment --comment "generated for Multipass network mpqemubr0" -j ACCEPT',
      want: ['-A', 'X', '-m', 'comment', '--comment', 'generated for Multipass network mpqemubr0', '-j', 'ACCEPT'],
    },
    { line: '-A X --comment "a \\"quoted\\" word" -j Y', want: ['-A', 'X', '--comment', 'a "quoted" word', '-j', 'Y'] },
    { line: '-A X --comment "User: " -j Y', want: ['-A', 'X', '--comment', 'User: ', '-j', 'Y'] },
    { line: '-A X --comment "" -j Y', want: ['-A', 'X', '--comment', '', '-j', 'Y'] },
  ])('$line', ({ line, want }) => expect(splitRuleLine(line)).toEqual(want));
});

describe("multipassd's rules", () => {
  it('are 17 calls: 15 inserts and the 2 REJECTs appended last', () => {
    const calls = multipassRuleCalls('mpqemubr0', '10.120.52.0/24');
    expect(calls).toHaveLength(17);
    expect(calls.filter((c) => c.op === '--append').map((c) => c.rule.includes('REJECT'))).toEqual([true, true]);
    for (const c of calls) expect(c.rule.slice(-4)).toEqual(['-m', 'comment', '--comment', 'generated for Multipass network mpqemubr0']);
  });

  it('clean-up picks every fixture rule and leaves others alone', () => {
    const others = [
      '-A FORWARD -j LABGATE-FORWARD',
      '-A LABGATE-FORWARD -d 10.120.52.23/32 -p tcp --dport 30060 -j ACCEPT',
      '-A INPUT -i lo -j ACCEPT',
    ];
    const save = `${fixture}\n${others.join('\n')}\n`;
    const picked = multipassCleanupTargets(save, 'mpqemubr0', '10.120.52.0/24');
    expect(picked).toHaveLength(17);
    expect(picked.some((l) => others.includes(l))).toBe(false);
    // A rule naming the whole subnet is removed too, whoever made it.
    expect(multipassCleanupTargets('-A LABGATE-POSTROUTING -s 10.120.52.0/24 -j MASQUERADE', 'mpqemubr0', '10.120.52.0/24')).toHaveLength(
      1,
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { FirewallDiff } from './diff';
import { describeDrift } from './drift';

const none: FirewallDiff = {
  inSync: false,
  missingChains: [],
  missingJumps: { nat: [], filter: [] },
  missing: [],
  unexpected: [],
  foreign: [],
};
const dnat = '-A LABGATE-DNAT -p tcp -m tcp --dport 30060 -m comment --comment labgate:ab12 -j DNAT --to-destination 10.120.52.23:30060';
const foreignRule = '-A LABGATE-DNAT -p tcp -m tcp --dport 9999 -j RETURN';
const canaryOf = (id: string) => `-A LABGATE-CANARY -m comment --comment labgate-canary-${id} -j RETURN`;

describe('describeDrift', () => {
  it.each<{ name: string; diff: Partial<FirewallDiff>; says: string }>([
    {
      name: 'a flush',
      diff: {
        missingChains: ['nat/LABGATE-DNAT'],
        missingJumps: { nat: ['-A PREROUTING -j LABGATE-PREROUTING'], filter: [] },
        missing: [dnat],
      },
      says: "labgate's rules were gone (a reboot, a flush or multipassd's clean-up). Put back as the store says.",
    },
    {
      name: 'another labgate',
      diff: { unexpected: [canaryOf('0badc0ffee00'), canaryOf('0badc0ffee00')], missing: [canaryOf('a1b2c3d4e5f6'), dnat] },
      says: "another labgate (install 0badc0ffee00) wrote labgate's chains; 2 of labgate's rules missing. Put back as the store says.",
    },
    {
      name: 'its own mark is not another',
      diff: { unexpected: [canaryOf('a1b2c3d4e5f6')] },
      says: "labgate's rules differed from the store. Put back as the store says.",
    },
    {
      name: 'a rule someone added',
      diff: { unexpected: [foreignRule] },
      says: `1 rule labgate did not write: ${foreignRule}. Put back as the store says.`,
    },
    {
      name: 'many, quoted three at most',
      diff: { unexpected: [1, 2, 3, 4].map((n) => `-A LABGATE-FORWARD -p tcp --dport ${n} -j ACCEPT`) },
      says: '4 rules labgate did not write: -A LABGATE-FORWARD -p tcp --dport 1 -j ACCEPT; -A LABGATE-FORWARD -p tcp --dport 2 -j ACCEPT; -A LABGATE-FORWARD -p tcp --dport 3 -j ACCEPT; …. Put back as the store says.',
    },
    { name: 'a rule deleted', diff: { missing: [dnat] }, says: "1 of labgate's rules missing. Put back as the store says." },
  ])('$name', ({ diff, says }) => {
    expect(describeDrift({ ...none, ...diff }, 'a1b2c3d4e5f6')).toBe(says);
  });
});

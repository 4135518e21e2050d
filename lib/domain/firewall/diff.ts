import { JUMPS, OWNED_CHAINS, type DesiredRules, type OwnedTable } from './rules';
import { chainsOf, rulesOf, type ParsedSave } from '@/lib/domain/firewall/save-parse';

export interface FirewallDiff {
  inSync: boolean;
  missingChains: string[]; // "nat/LABGATE-PREROUTING"
  missingJumps: Record<OwnedTable, string[]>;
  missing: string[]; // desired rules the kernel lacks
  unexpected: string[]; // rules in labgate's chains that are not desired
  foreign: string[]; // of those, the ones without a labgate comment (someone else's)
}

const isLabgate = (line: string) => /--comment "?labgate(:|\s|"|$)/.test(line);

/** No difference: the kernel holds what labgate wants. */
export const noDrift = (): FirewallDiff => ({
  inSync: true,
  missingChains: [],
  missingJumps: { nat: [], filter: [] },
  missing: [],
  unexpected: [],
  foreign: [],
});

/** Desired against actual, chain by chain and in order. Pure. */
export function diffFirewall(desired: DesiredRules, actual: ParsedSave): FirewallDiff {
  const diff = noDrift();
  for (const table of ['nat', 'filter'] as const) {
    const chains = new Set(chainsOf(actual, table).map((c) => c.name));
    for (const chain of OWNED_CHAINS[table]) {
      if (!chains.has(chain)) diff.missingChains.push(`${table}/${chain}`);
      const want = desired[table][chain] ?? [];
      const have = rulesOf(actual, table, chain).map((r) => r.text);
      const haveSet = new Set(have);
      const wantSet = new Set(want);
      diff.missing.push(...want.filter((l) => !haveSet.has(l)));
      const extra = have.filter((l) => !wantSet.has(l));
      diff.unexpected.push(...extra);
      diff.foreign.push(...extra.filter((l) => !isLabgate(l)));
      if (want.length !== have.length || want.some((l, i) => have[i] !== l)) diff.inSync = false;
    }
    for (const jump of JUMPS[table]) {
      if (!rulesOf(actual, table, jump.chain).some((r) => r.text === jump.line)) diff.missingJumps[table].push(jump.line);
    }
  }
  if (diff.missingChains.length || diff.missingJumps.nat.length || diff.missingJumps.filter.length) diff.inSync = false;
  return diff;
}

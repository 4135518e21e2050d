import type { FirewallDiff } from './diff';
import { canaryOwner } from './rules';

const MAX_SHOWN = 3;

/**
 * What a repair found, in the words the activity log shows: labgate's rules gone (a reboot, a
 * flush, multipassd's clean-up), written by another labgate (its mark in the canary), or changed
 * by someone else (the rules it did not write, a few of them quoted). Pure.
 */
export function describeDrift(diff: FirewallDiff, owner: string | undefined): string {
  const others = [...new Set(diff.unexpected.map(canaryOwner).filter((o): o is string => o !== null && o !== owner))];
  const gone = diff.missingChains.length + diff.missingJumps.nat.length + diff.missingJumps.filter.length > 0;
  const parts: string[] = [];
  if (others.length) parts.push(`another labgate (install ${others.join(', ')}) wrote labgate's chains`);
  else if (gone && diff.unexpected.length === 0) parts.push("labgate's rules were gone (a reboot, a flush or multipassd's clean-up)");
  const foreign = diff.unexpected.filter((l) => canaryOwner(l) === null && !l.includes('--comment labgate-canary'));
  if (foreign.length) {
    const shown = foreign.slice(0, MAX_SHOWN).join('; ');
    parts.push(
      `${foreign.length} rule${foreign.length === 1 ? '' : 's'} labgate did not write: ${shown}${foreign.length > MAX_SHOWN ? '; …' : ''}`,
    );
  }
  if (diff.missing.length && !(gone && diff.unexpected.length === 0)) {
    parts.push(`${diff.missing.length} of labgate's rules missing`);
  }
  return parts.length
    ? `${parts.join('; ')}. Put back as the store says.`
    : "labgate's rules differed from the store. Put back as the store says.";
}

import { describe, expect, it } from 'vitest';
import type { ResolvedForward } from '../forwards/forward';
import { grafanaForward, referenceNetwork } from '../testing/fixtures';
import { parseSave } from '@/lib/domain/firewall/save-parse';
import { diffFirewall } from './diff';
import { JUMPS, renderRestore, renderRules } from './rules';

const net = referenceNetwork;
const g1 = grafanaForward;
const g2: ResolvedForward = { ...g1, targetIP: '10.120.52.24' }; // the pod moved to node2

/** What iptables-save would print after a given set of forwards was applied to an empty host. */
function kernelWith(forwards: ResolvedForward[], opts: { jumps?: boolean; extra?: string } = {}): string {
  const restore = renderRestore(renderRules(forwards, net), { nat: [], filter: [] });
  const jumps =
    opts.jumps === false ? { nat: [], filter: [] } : { nat: JUMPS.nat.map((j) => j.line), filter: JUMPS.filter.map((j) => j.line) };
  const tables = restore.split('COMMIT\n').filter(Boolean);
  const [nat, filter] = tables;
  const builtins = {
    nat: ':PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n',
    filter: ':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n',
  };
  const table = (t: string, name: 'nat' | 'filter') =>
    t.replace(`*${name}\n`, `*${name}\n${builtins[name]}`) +
    jumps[name].map((j) => `${j}\n`).join('') +
    (name === 'filter' && opts.extra ? `${opts.extra}\n` : '') +
    'COMMIT\n';
  return table(nat!, 'nat') + table(filter!, 'filter');
}

describe('diffFirewall', () => {
  it.each([
    { name: 'in sync: nothing to do', desired: [g1], kernel: kernelWith([g1]), inSync: true, missing: 0, unexpected: 0 },
    { name: 'no forwards and an empty labgate: in sync', desired: [], kernel: kernelWith([]), inSync: true, missing: 0, unexpected: 0 },
    {
      name: 'host flushed (empty tables)',
      desired: [g1],
      kernel: '*nat\nCOMMIT\n*filter\nCOMMIT\n',
      inSync: false,
      missing: 9,
      unexpected: 0,
    },
    {
      name: 'iptables -F: chains there, empty, jumps gone',
      desired: [g1],
      kernel: kernelWith([], { jumps: false }),
      inSync: false,
      missing: 4,
      unexpected: 0,
    },
    {
      name: 'pod moved to node2: every rule names the target',
      desired: [g2],
      kernel: kernelWith([g1]),
      inSync: false,
      missing: 4,
      unexpected: 4,
    },
    { name: 'forward deleted', desired: [], kernel: kernelWith([g1]), inSync: false, missing: 0, unexpected: 4 },
  ])('$name', ({ desired, kernel, inSync, missing, unexpected }) => {
    const d = diffFirewall(renderRules(desired, net), parseSave(kernel));
    expect({ inSync: d.inSync, missing: d.missing.length, unexpected: d.unexpected.length }).toEqual({ inSync, missing, unexpected });
  });

  it('reports missing jumps and chains after a flush or reboot', () => {
    const flushed = diffFirewall(renderRules([g1], net), parseSave(kernelWith([], { jumps: false })));
    expect(flushed.missingJumps.filter).toEqual(['-A FORWARD -m comment --comment labgate -j LABGATE-FORWARD']);
    expect(flushed.missingChains).toEqual([]);
    const rebooted = diffFirewall(renderRules([g1], net), parseSave('*nat\nCOMMIT\n*filter\nCOMMIT\n'));
    expect(rebooted.missingChains).toContain('nat/LABGATE-CANARY');
  });

  it("names rules someone else put in labgate's chains", () => {
    const kernel = kernelWith([g1]).replace('-A LABGATE-FORWARD -p', '-A LABGATE-FORWARD -s 10.0.0.9/32 -j ACCEPT\n-A LABGATE-FORWARD -p');
    const d = diffFirewall(renderRules([g1], net), parseSave(kernel));
    expect(d.foreign).toEqual(['-A LABGATE-FORWARD -s 10.0.0.9/32 -j ACCEPT']);
    expect(d.inSync).toBe(false);
  });
});

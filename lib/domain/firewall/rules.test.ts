import { describe, expect, it } from 'vitest';
import { grafanaForward, referenceNetwork } from '../testing/fixtures';
import { parseSave } from '@/lib/domain/firewall/save-parse';
import { renderRemoval, renderRestore, renderRules, saveString, UnsafeRuleValue } from './rules';

const net = referenceNetwork;
const grafana = grafanaForward;

describe('renderRestore', () => {
  it('renders one forward and the missing jumps as one payload (golden)', () => {
    const payload = renderRestore(renderRules([grafana], net), {
      nat: ['-A PREROUTING -m comment --comment labgate -j LABGATE-PREROUTING'],
      filter: ['-A FORWARD -m comment --comment labgate -j LABGATE-FORWARD'],
    });
    expect(payload).toBe(
      [
        '*nat',
        ':LABGATE-PREROUTING - [0:0]',
        ':LABGATE-OUTPUT - [0:0]',
        ':LABGATE-DNAT - [0:0]',
        ':LABGATE-POSTROUTING - [0:0]',
        ':LABGATE-CANARY - [0:0]',
        '-I PREROUTING 1 -m comment --comment labgate -j LABGATE-PREROUTING',
        '-A LABGATE-PREROUTING -i enp3s0 -m addrtype --dst-type LOCAL -m comment --comment labgate -j LABGATE-DNAT',
        '-A LABGATE-PREROUTING -d 192.168.50.27/32 ! -i enp3s0 -m comment --comment labgate -j LABGATE-DNAT',
        '-A LABGATE-OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -m comment --comment labgate -j LABGATE-DNAT',
        '-A LABGATE-DNAT -p tcp -m tcp --dport 30060 -m addrtype --src-type LOCAL -m comment --comment "labgate:g1" -j DNAT --to-destination 10.120.52.23:30060',
        '-A LABGATE-DNAT -p tcp -m tcp --dport 30060 -m comment --comment "labgate:g1" -j DNAT --to-destination 10.120.52.23:30060',
        '-A LABGATE-POSTROUTING ! -s 192.168.50.0/24 -d 10.120.52.23/32 -p tcp -m tcp --dport 30060 -m conntrack --ctstate DNAT -m comment --comment "labgate:g1" -j MASQUERADE',
        '-A LABGATE-CANARY -m comment --comment labgate-canary -j RETURN',
        'COMMIT',
        '*filter',
        ':LABGATE-FORWARD - [0:0]',
        ':LABGATE-CANARY - [0:0]',
        '-I FORWARD 1 -m comment --comment labgate -j LABGATE-FORWARD',
        '-A LABGATE-FORWARD -p tcp -m conntrack --ctstate DNAT --ctproto 6 --ctreplsrc 10.120.52.23 --ctreplsrcport 30060 -m comment --comment "labgate:g1" -j ACCEPT',
        '-A LABGATE-CANARY -m comment --comment labgate-canary -j RETURN',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('never names the bridge or its subnet (multipassd deletes such rules)', () => {
    const text = renderRestore(renderRules([grafana, { ...grafana, id: 'u2', protocol: 'udp', listenPort: 5353, targetPort: 53 }], net), {
      nat: [],
      filter: [],
    });
    expect(text).not.toMatch(/mpqemubr|10\.120\.52\.0\/24/);
    expect(text).toContain('-p udp -m udp --dport 5353');
  });

  it('binds to one address when asked, and renders forwards in id order', () => {
    const rules = renderRules([{ ...grafana, id: 'z9', listenAddress: '192.168.50.28' }, grafana], net);
    expect(rules.nat['LABGATE-DNAT']![0]).toContain('labgate:g1');
    expect(rules.nat['LABGATE-DNAT']![3]).toBe(
      '-A LABGATE-DNAT -d 192.168.50.28/32 -p tcp -m tcp --dport 30060 -m comment --comment "labgate:z9" -j DNAT --to-destination 10.120.52.23:30060',
    );
  });

  it('an access rule: one DNAT rule for the host itself, one per source, and nothing for anyone else (golden)', () => {
    const rules = renderRules([{ ...grafana, allowFrom: ['192.168.50.10/32', '10.8.0.0/16'] }], net);
    expect(rules.nat['LABGATE-DNAT']).toEqual([
      '-A LABGATE-DNAT -p tcp -m tcp --dport 30060 -m addrtype --src-type LOCAL -m comment --comment "labgate:g1" -j DNAT --to-destination 10.120.52.23:30060',
      '-A LABGATE-DNAT -s 192.168.50.10/32 -p tcp -m tcp --dport 30060 -m comment --comment "labgate:g1" -j DNAT --to-destination 10.120.52.23:30060',
      '-A LABGATE-DNAT -s 10.8.0.0/16 -p tcp -m tcp --dport 30060 -m comment --comment "labgate:g1" -j DNAT --to-destination 10.120.52.23:30060',
    ]);
    // Only DNAT'd connections are masqueraded and let through: those stay one rule each.
    expect(rules.nat['LABGATE-POSTROUTING']).toHaveLength(1);
    expect(rules.filter['LABGATE-FORWARD']).toHaveLength(1);
    const bound = renderRules([{ ...grafana, listenAddress: '192.168.50.28', allowFrom: ['192.168.50.10/32'] }], net);
    expect(bound.nat['LABGATE-DNAT']![0]).toMatch(/^-A LABGATE-DNAT -d 192\.168\.50\.28\/32 -p tcp .* -m addrtype --src-type LOCAL /);
    expect(bound.nat['LABGATE-DNAT']![1]).toMatch(/^-A LABGATE-DNAT -s 192\.168\.50\.10\/32 -d 192\.168\.50\.28\/32 -p tcp /);
  });

  it('renders only the chains, the dispatch rules and the canaries for no forwards', () => {
    const text = renderRestore(renderRules([], net), { nat: [], filter: [] });
    expect(text.split('\n').filter((l) => l.startsWith('-A '))).toHaveLength(5);
    expect(text).not.toContain('labgate:');
  });
});

describe('values refused where the payload is rendered', () => {
  it.each([
    {
      name: 'a target with a smuggled rule',
      f: { targetIP: '10.120.52.23\n-I INPUT 1 -j ACCEPT' },
      message: /its target is not an IPv4 address/,
    },
    { name: 'a target with leading zeros', f: { targetIP: '010.120.52.23' }, message: /its target/ },
    { name: 'a listen address that is a network', f: { listenAddress: '192.168.50.0/24' }, message: /listen address/ },
    { name: 'a fractional port', f: { listenPort: 80.5 }, message: /listen port/ },
    { name: 'a target port out of range', f: { targetPort: 65536 }, message: /target port/ },
    { name: 'a port given as text', f: { targetPort: '80' as unknown as number }, message: /target port/ },
    { name: 'another protocol', f: { protocol: 'icmp' as 'tcp' }, message: /protocol/ },
    { name: 'an id that would break the comment', f: { id: 'g1" -j ACCEPT' }, message: /its id/ },
    { name: 'a source with a smuggled rule', f: { allowFrom: ['192.168.50.10/32 -j ACCEPT'] }, message: /access rule/ },
    { name: 'a source not as the kernel keeps it', f: { allowFrom: ['192.168.50.10/24'] }, message: /access rule/ },
    { name: 'a source without its prefix length', f: { allowFrom: ['192.168.50.10'] }, message: /access rule/ },
    { name: 'everyone as a source (the kernel prints no -s)', f: { allowFrom: ['0.0.0.0/0'] }, message: /access rule/ },
    { name: 'an empty access rule (nobody but the host)', f: { allowFrom: [] }, message: /access rule/ },
    { name: 'too many sources', f: { allowFrom: Array.from({ length: 33 }, (_, i) => `10.0.0.${i}/32`) }, message: /access rule/ },
  ])('$name', ({ f, message }) => {
    expect(() => renderRules([{ ...grafana, ...f }], net)).toThrow(UnsafeRuleValue);
    expect(() => renderRules([{ ...grafana, ...f }], net)).toThrow(message);
  });

  it.each([
    { name: 'an interface wildcard', n: { lanInterface: 'enp+' } },
    { name: 'an interface with a rule after it', n: { lanInterface: 'enp3s0 -j ACCEPT' } },
    { name: 'a 16-character interface', n: { lanInterface: 'a'.repeat(16) } },
    { name: 'a LAN address with a newline', n: { lanAddress: '192.168.50.27\n' } },
    { name: 'a LAN network without its prefix length', n: { lanCidr: '192.168.50.0' } },
  ])('$name', ({ n }) => expect(() => renderRules([grafana], { ...net, ...n })).toThrow(UnsafeRuleValue));
});

describe('saveString', () => {
  it.each([
    { s: 'kubelet', want: 'kubelet' },
    { s: 'labgate:abc123', want: '"labgate:abc123"' },
    { s: 'User: ', want: '"User: "' },
    { s: 'a"b\\c\'d', want: '"a\\"b\\\\c\\\'d"' },
  ])('$s → $want', ({ s, want }) => expect(saveString(s)).toBe(want));
});

describe('adopting', () => {
  it('deletes exactly the hand-made rules in the same payload', () => {
    const text = renderRestore(renderRules([grafana], net), { nat: [], filter: [] }, [
      { table: 'nat', line: '-A PREROUTING -i enp3s0 -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23:30060' },
      { table: 'filter', line: '-A FORWARD -d 10.120.52.23/32 -p tcp -m tcp --dport 30060 -j ACCEPT' },
    ]);
    expect(text).toContain('*nat\n-D PREROUTING -i enp3s0 -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23:30060\n');
    expect(text).toContain('*filter\n-D FORWARD -d 10.120.52.23/32 -p tcp -m tcp --dport 30060 -j ACCEPT\n');
  });
});

describe('renderRemoval', () => {
  const withLabgate = (extra: string[]) =>
    parseSave(
      [
        '*nat',
        ':PREROUTING ACCEPT [0:0]',
        ':POSTROUTING ACCEPT [0:0]',
        ':LABGATE-PREROUTING - [0:0]',
        ':LABGATE-DNAT - [0:0]',
        '-A PREROUTING -m comment --comment labgate -j LABGATE-PREROUTING',
        '-A POSTROUTING -s 10.120.52.0/24 ! -d 10.120.52.0/24 -m comment --comment "generated for Multipass network mpqemubr0" -j MASQUERADE',
        '-A LABGATE-PREROUTING -i enp3s0 -m comment --comment labgate -j LABGATE-DNAT',
        '-A LABGATE-DNAT -p tcp -m tcp --dport 30060 -m comment --comment "labgate:g1" -j DNAT --to-destination 10.120.52.23:30060',
        ...extra,
        'COMMIT',
        '*filter',
        ':FORWARD ACCEPT [0:0]',
        '-A FORWARD -o mpqemubr0 -j REJECT --reject-with icmp-port-unreachable',
        'COMMIT',
        '',
      ].join('\n'),
    );

  it.each([
    {
      name: 'jumps out, chains emptied then deleted; Multipass rules untouched',
      save: withLabgate([]),
      expected: [
        '*nat',
        '-D PREROUTING -m comment --comment labgate -j LABGATE-PREROUTING',
        '-F LABGATE-PREROUTING',
        '-F LABGATE-DNAT',
        '-X LABGATE-PREROUTING',
        '-X LABGATE-DNAT',
        'COMMIT',
        '',
      ],
    },
    {
      name: 'a jump moved by hand (and duplicated) is removed too',
      save: withLabgate(['-A PREROUTING -j LABGATE-PREROUTING']),
      expected: [
        '*nat',
        '-D PREROUTING -m comment --comment labgate -j LABGATE-PREROUTING',
        '-D PREROUTING -j LABGATE-PREROUTING',
        '-F LABGATE-PREROUTING',
        '-F LABGATE-DNAT',
        '-X LABGATE-PREROUTING',
        '-X LABGATE-DNAT',
        'COMMIT',
        '',
      ],
    },
  ])('$name', ({ save, expected }) => expect(renderRemoval(save)).toBe(expected.join('\n')));

  it('is null on a host without labgate, and never names a rule that only mentions labgate in a comment', () => {
    const save = parseSave(
      ['*nat', ':PREROUTING ACCEPT [0:0]', '-A PREROUTING -m comment --comment "not LABGATE-DNAT" -j ACCEPT', 'COMMIT', ''].join('\n'),
    );
    expect(renderRemoval(save)).toBeNull();
  });
});

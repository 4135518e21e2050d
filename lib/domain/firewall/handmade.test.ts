import { describe, expect, it } from 'vitest';
import { parseSave } from '@/lib/domain/firewall/save-parse';
import { findHandMade, ruleOptions } from './handmade';

const net = { lanInterface: 'enp3s0', lanAddress: '192.168.50.27' };
const save = (nat: string[], filter: string[] = []) =>
  parseSave(['*nat', ':PREROUTING ACCEPT [0:0]', ...nat, 'COMMIT', '*filter', ':FORWARD ACCEPT [0:0]', ...filter, 'COMMIT', ''].join('\n'));
const grafanaDnat = '-A PREROUTING -i enp3s0 -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23:30060';
const grafanaAccept = '-A FORWARD -d 10.120.52.23/32 -p tcp -m tcp --dport 30060 -j ACCEPT';

describe('ruleOptions', () => {
  it('splits a saved rule option by option, keeping quoted strings and negations', () => {
    expect(ruleOptions('-A PREROUTING ! -s 10.0.0.0/8 -m comment --comment "a b" -j DNAT')).toEqual([
      { negated: false, name: '-A', values: ['PREROUTING'] },
      { negated: true, name: '-s', values: ['10.0.0.0/8'] },
      { negated: false, name: '-m', values: ['comment'] },
      { negated: false, name: '--comment', values: ['"a b"'] },
      { negated: false, name: '-j', values: ['DNAT'] },
    ]);
  });
});

describe('findHandMade', () => {
  it("finds the reference host's forward with exactly its FORWARD accept, and nothing to widen", () => {
    const [h, ...rest] = findHandMade(
      save([grafanaDnat], [grafanaAccept, '-A FORWARD -d 10.120.52.23/32 -p tcp -m tcp --dport 300600 -j ACCEPT']),
      net,
    );
    expect(rest).toEqual([]);
    expect(h).toMatchObject({ protocol: 'tcp', listenPort: 30060, targetIP: '10.120.52.23', targetPort: 30060, restrictions: [] });
    expect(h!.rules).toEqual([
      { table: 'nat', line: grafanaDnat },
      { table: 'filter', line: grafanaAccept },
    ]);
  });

  it('adopting port 80 never touches an 8080 rule (token by token, not by substring)', () => {
    const found = findHandMade(
      save(
        [
          '-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.120.52.31:80',
          '-A PREROUTING -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.120.52.31:8080',
        ],
        [
          '-A FORWARD -d 10.120.52.31/32 -p tcp -m tcp --dport 8080 -j ACCEPT',
          '-A FORWARD -d 10.120.52.3/32 -p tcp -m tcp --dport 80 -j ACCEPT',
          '-A FORWARD -d 10.120.52.31/32 -p tcp -m tcp --dport 80 -j ACCEPT',
        ],
      ),
      net,
    );
    const port80 = found.find((h) => h.listenPort === 80)!;
    expect(port80.rules.map((r) => r.line)).toEqual([
      '-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.120.52.31:80',
      '-A FORWARD -d 10.120.52.31/32 -p tcp -m tcp --dport 80 -j ACCEPT',
    ]);
    expect(found.find((h) => h.listenPort === 8080)!.rules).toHaveLength(2);
    expect(new Set(found.map((h) => h.key)).size).toBe(2);
  });

  it.each([
    {
      name: 'a source',
      dnat: '-A PREROUTING -s 192.168.50.10/32 -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23:30060',
      want: ['the DNAT rule matches only "-s 192.168.50.10/32"'],
    },
    {
      name: 'a negated source',
      dnat: '-A PREROUTING ! -s 192.168.50.0/24 -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23:30060',
      want: ['the DNAT rule matches only "! -s 192.168.50.0/24"'],
    },
    {
      name: 'another interface',
      dnat: '-A PREROUTING -i wlan0 -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23:30060',
      want: ['the DNAT rule matches only "-i wlan0"'],
    },
    {
      name: 'a MAC address',
      dnat: '-A PREROUTING -p tcp -m tcp --dport 30060 -m mac --mac-source aa:bb:cc:dd:ee:ff -j DNAT --to-destination 10.120.52.23:30060',
      want: ['the DNAT rule matches only "-m mac"', 'the DNAT rule matches only "--mac-source aa:bb:cc:dd:ee:ff"'],
    },
    {
      name: "Docker's chain",
      dnat: '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23:30060',
      want: ['the DNAT rule is in chain DOCKER, reached only through other rules', 'the DNAT rule matches only "! -i docker0"'],
    },
    {
      name: 'the LAN interface, the LAN address and a comment',
      dnat: '-A PREROUTING -d 192.168.50.27/32 -i enp3s0 -p tcp -m tcp --dport 30060 -m comment --comment grafana -j DNAT --to-destination 10.120.52.23:30060',
      want: [],
    },
  ])('lists what $name restricts', ({ dnat, want }) => {
    expect(findHandMade(save([dnat]), net)[0]!.restrictions).toEqual(want);
  });

  it('lists a FORWARD accept that only lets one source through', () => {
    const [h] = findHandMade(
      save([grafanaDnat], ['-A FORWARD -s 192.168.50.10/32 -d 10.120.52.23/32 -p tcp -m tcp --dport 30060 -j ACCEPT']),
      net,
    );
    expect(h!.restrictions).toEqual(['a FORWARD rule matches only "-s 192.168.50.10/32"']);
  });

  it.each([
    '-A PREROUTING -p tcp -m tcp ! --dport 30060 -j DNAT --to-destination 10.120.52.23:30060',
    '-A PREROUTING -p tcp -m tcp --dport 30000:30100 -j DNAT --to-destination 10.120.52.23:30060',
    '-A PREROUTING -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23',
    '-A PREROUTING -p tcp -m tcp --dport 30060 -j REDIRECT --to-ports 3000',
    '-A LABGATE-DNAT -p tcp -m tcp --dport 30060 -j DNAT --to-destination 10.120.52.23:30060',
  ])('is not a single-port forward to adopt: %s', (dnat) => expect(findHandMade(save([dnat]), net)).toEqual([]));
});

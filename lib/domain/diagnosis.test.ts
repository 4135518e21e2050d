import { describe, expect, it } from 'vitest';
import { diagnose, formatFindings, type DoctorFacts } from './diagnosis';

const healthy: DoctorFacts = {
  user: 'labgate',
  kube: { error: null, version: 'v1.36.3', denied: [], admissionPolicy: 'installed' },
  multipass: {
    error: null,
    errorKind: null,
    daemon: '1.16.3',
    update: null,
    socket: { path: '/var/snap/multipass/common/multipass_socket', group: 'sudo' },
  },
  backend: { labgate: 'nft', multipass: 'nft' },
  ipForward: true,
  bridgeNetfilter: false,
  forwardPolicy: 'ACCEPT',
  forwardChain: [
    '-A FORWARD -m comment --comment labgate -j LABGATE-FORWARD',
    '-A FORWARD -o mpqemubr0 -j REJECT --reject-with icmp-port-unreachable',
  ],
  handMade: [],
  busyPorts: [],
  multipassBridge: 'mpqemubr0',
  owner: {
    running: { pid: 4242, dataDir: '/var/lib/labgate', installId: 'a1b2c3d4e5f6', since: '2026-12-05T08:00:00.000Z' },
    mark: 'a1b2c3d4e5f6',
    installId: 'a1b2c3d4e5f6',
  },
  store: { dataDir: '/var/lib/labgate', freeBytes: 8 * 1024 ** 3, reserveBytes: 1024 ** 2 },
};

const problems = (f: DoctorFacts) =>
  diagnose(f)
    .filter((x) => x.severity !== 'ok')
    .map((x) => ({ check: x.check, severity: x.severity, fix: x.fix }));

describe('diagnose', () => {
  it('finds nothing wrong on a healthy host', () => expect(problems(healthy)).toEqual([]));

  it.each<{ name: string; facts: Partial<DoctorFacts>; check: string; severity: 'warn' | 'fail'; fix: RegExp; also?: string }>([
    {
      name: 'no labgate running, its own rules left',
      facts: { owner: { running: null, mark: 'a1b2c3d4e5f6', installId: 'a1b2c3d4e5f6' } },
      check: 'Owner',
      severity: 'warn',
      fix: /^systemctl start labgate-host labgate$/,
    },
    {
      name: "no labgate running, another install's rules left",
      facts: { owner: { running: null, mark: '0badc0ffee00', installId: 'a1b2c3d4e5f6' } },
      check: 'Owner',
      severity: 'warn',
      fix: /^labgate remove-rules/,
    },
    {
      name: 'no labgate running at all',
      facts: { owner: { running: null, mark: null, installId: null } },
      check: 'Owner',
      severity: 'warn',
      fix: /^systemctl start/,
    },
    {
      name: 'a full data directory',
      facts: { store: { dataDir: '/var/lib/labgate', freeBytes: 12 * 1024, reserveBytes: 1024 ** 2 } },
      check: 'Data directory',
      severity: 'fail',
      fix: /^df -h \/var\/lib\/labgate/,
    },
    {
      name: 'an unreadable data directory',
      facts: { store: { dataDir: '/var/lib/labgate', freeBytes: null, reserveBytes: 1024 ** 2 } },
      check: 'Data directory',
      severity: 'fail',
      fix: /^ls -ld/,
    },
    {
      name: 'no kubeconfig',
      facts: { kube: { error: 'The kubeconfig could not be read', version: null, denied: [], admissionPolicy: null } },
      check: 'Kubernetes',
      severity: 'fail',
      fix: /KUBECONFIG=/,
    },
    {
      name: 'a missing verb',
      facts: { kube: { error: null, version: 'v1', denied: ['patch on services'], admissionPolicy: null } },
      check: 'Kubernetes permissions',
      severity: 'fail',
      fix: /^kubectl apply -f deploy\/rbac\.yaml$/,
    },
    {
      name: 'no admission policy',
      facts: { kube: { ...healthy.kube, admissionPolicy: 'missing' } },
      check: 'Admission policy',
      severity: 'warn',
      fix: /^kubectl apply -f deploy\/admission-policy\.yaml$/,
    },
    {
      name: 'an admission policy without its binding',
      facts: { kube: { ...healthy.kube, admissionPolicy: 'unbound' } },
      check: 'Admission policy',
      severity: 'warn',
      fix: /admission-policy\.yaml/,
    },
    {
      name: 'daemon down',
      facts: { multipass: { ...healthy.multipass, daemon: null, error: 'The Multipass daemon is not running.', errorKind: 'daemon-down' } },
      check: 'Multipass',
      severity: 'fail',
      fix: /snap start multipass/,
    },
    {
      name: 'a fresh daemon: its socket only its admin group may open',
      facts: { multipass: { ...healthy.multipass, daemon: null, error: 'denied', errorKind: 'access-denied' } },
      check: 'Multipass',
      severity: 'fail',
      fix: /^multipass list {2}# once, as a user in group sudo.*labgate multipass-auth/,
    },
    {
      name: "labgate's certificate not accepted",
      facts: { multipass: { ...healthy.multipass, daemon: null, error: 'x', errorKind: 'not-authenticated' } },
      check: 'Multipass',
      severity: 'fail',
      fix: /^multipass set local\.passphrase.*sudo labgate multipass-auth/,
    },
    {
      name: 'a newer Multipass out, as the daemon tells',
      facts: { multipass: { ...healthy.multipass, update: { version: '1.17.0', url: 'https://multipass.run/install' } } },
      check: 'Multipass',
      severity: 'warn',
      fix: /^snap refresh multipass$/,
    },
    {
      name: 'backends differ',
      facts: { backend: { labgate: 'nft', multipass: 'legacy' } },
      check: 'iptables backend',
      severity: 'fail',
      fix: /iptables-legacy/,
    },
    {
      name: 'ip_forward off',
      facts: { ipForward: false },
      check: 'IP forwarding',
      severity: 'fail',
      fix: /sysctl -w net\.ipv4\.ip_forward=1/,
    },
    {
      name: 'FORWARD policy DROP',
      facts: { forwardPolicy: 'DROP' },
      check: 'FORWARD policy',
      severity: 'warn',
      fix: /DOCKER-USER -i mpqemubr0/,
    },
    {
      name: 'br_netfilter with DROP',
      facts: { forwardPolicy: 'DROP', bridgeNetfilter: true },
      check: 'br_netfilter',
      severity: 'warn',
      fix: /-i mpqemubr0 -o mpqemubr0/,
      also: 'FORWARD policy',
    },
    {
      name: "labgate's jump after Multipass's REJECT",
      facts: {
        forwardChain: [
          '-A FORWARD -o mpqemubr0 -j REJECT --reject-with icmp-port-unreachable',
          '-A FORWARD -m comment --comment labgate -j LABGATE-FORWARD',
        ],
      },
      check: 'Rule order',
      severity: 'fail',
      fix: /^iptables -D FORWARD 2 && iptables -I FORWARD 1 /,
    },
    {
      name: 'a hand-made forward',
      facts: {
        handMade: [
          {
            key: 'tcp:8080:10.120.52.30:8080',
            protocol: 'tcp',
            listenPort: 8080,
            targetIP: '10.120.52.30',
            targetPort: 8080,
            rules: [{ table: 'nat', line: '-A PREROUTING -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.120.52.30:8080' }],
            restrictions: [],
          },
        ],
      },
      check: 'Hand-made forward',
      severity: 'warn',
      fix: /^iptables -t nat -D PREROUTING -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10\.120\.52\.30:8080$/,
    },
    {
      name: 'a busy port',
      facts: { busyPorts: [{ name: 'Grafana', protocol: 'tcp', port: 30060 }] },
      check: 'Ports',
      severity: 'warn',
      fix: /ss -lnpt 'sport = :30060'/,
    },
  ])('$name: $severity in $check, with its fix', ({ facts, check, severity, fix, also }) => {
    const found = problems({ ...healthy, ...facts });
    expect(found.map((x) => x.check).sort()).toEqual([check, ...(also ? [also] : [])].sort());
    const finding = found.find((x) => x.check === check)!;
    expect(finding.severity).toBe(severity);
    expect(finding.fix).toMatch(fix);
  });

  it('a newer Multipass: the daemon still reported healthy, and the update named with where it comes from', () => {
    const update = { version: '1.17.0', url: 'https://multipass.run/install' };
    const found = diagnose({ ...healthy, multipass: { ...healthy.multipass, update } }).filter((x) => x.check === 'Multipass');
    expect(found.map((x) => [x.severity, x.message])).toEqual([
      ['ok', "multipassd 1.16.3, labgate's client accepted."],
      ['warn', 'Multipass 1.17.0 is out (https://multipass.run/install).'],
    ]);
  });

  it('formats one line per finding, the fix below, and a tally', () => {
    const text = formatFindings(diagnose({ ...healthy, ipForward: false }));
    expect(text).toContain('✖ IP forwarding: net.ipv4.ip_forward is 0');
    expect(text).toContain('    fix: sysctl -w net.ipv4.ip_forward=1');
    expect(text.trimEnd().endsWith('1 problem(s), 0 warning(s).')).toBe(true);
  });
});

// The rules other daemons keep on a real lab host, replayed into the lab's host namespace:
// multipassd's (canonical/multipass firewall_config.cpp, set_firewall_rules) and a Docker-style
// set. labgate must live beside them and never touch them.
import { must, run } from './exec.mts';

export type Table = 'filter' | 'nat' | 'mangle' | 'raw';
export interface IptablesCall {
  table: Table;
  op: '--insert' | '--append';
  chain: string;
  rule: string[];
}

export const multipassComment = (bridge: string) => `generated for Multipass network ${bridge}`;

/** multipassd's 17 calls in its source order: inserts land at position 1, so chains end up reversed. */
export function multipassRuleCalls(bridge: string, cidr: string): IptablesCall[] {
  const tag = ['-m', 'comment', '--comment', multipassComment(bridge)];
  const call = (table: Table, op: IptablesCall['op'], chain: string, ...rule: string[]): IptablesCall => ({
    table,
    op,
    chain,
    rule: [...rule, ...tag],
  });
  const accept = ['-j', 'ACCEPT'];
  const masq = ['-s', cidr, '!', '-d', cidr];
  return [
    call('filter', '--insert', 'INPUT', '-i', bridge, '-p', 'udp', '--dport', '67', ...accept),
    call('filter', '--insert', 'INPUT', '-i', bridge, '-p', 'udp', '--dport', '53', ...accept),
    call('filter', '--insert', 'INPUT', '-i', bridge, '-p', 'tcp', '--dport', '53', ...accept),
    call('filter', '--insert', 'OUTPUT', '-o', bridge, '-p', 'udp', '--sport', '67', ...accept),
    call('filter', '--insert', 'OUTPUT', '-o', bridge, '-p', 'udp', '--sport', '53', ...accept),
    call('filter', '--insert', 'OUTPUT', '-o', bridge, '-p', 'tcp', '--sport', '53', ...accept),
    call('mangle', '--insert', 'POSTROUTING', '-o', bridge, '-p', 'udp', '--dport', '68', '-j', 'CHECKSUM', '--checksum-fill'),
    call('nat', '--insert', 'POSTROUTING', '-s', cidr, '-d', '224.0.0.0/24', '-j', 'RETURN'),
    call('nat', '--insert', 'POSTROUTING', '-s', cidr, '-d', '255.255.255.255/32', '-j', 'RETURN'),
    call('nat', '--insert', 'POSTROUTING', ...masq, '-p', 'tcp', '-j', 'MASQUERADE', '--to-ports', '1024-65535'),
    call('nat', '--insert', 'POSTROUTING', ...masq, '-p', 'udp', '-j', 'MASQUERADE', '--to-ports', '1024-65535'),
    call('nat', '--insert', 'POSTROUTING', ...masq, '-j', 'MASQUERADE'),
    call('filter', '--insert', 'FORWARD', '-d', cidr, '-o', bridge, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...accept),
    call('filter', '--insert', 'FORWARD', '-s', cidr, '-i', bridge, ...accept),
    call('filter', '--insert', 'FORWARD', '-i', bridge, '-o', bridge, ...accept),
    call('filter', '--append', 'FORWARD', '-i', bridge, '-j', 'REJECT', '--reject-with', 'icmp-port-unreachable'),
    call('filter', '--append', 'FORWARD', '-o', bridge, '-j', 'REJECT', '--reject-with', 'icmp-port-unreachable'),
  ];
}

/** Docker 28's layout around FORWARD: policy DROP, its chains jumped to from the top. */
export const DOCKER_RESTORE = [
  '*filter',
  ':FORWARD DROP [0:0]',
  ':DOCKER-USER - [0:0]',
  ':DOCKER-FORWARD - [0:0]',
  '-I FORWARD 1 -j DOCKER-FORWARD',
  '-I FORWARD 1 -j DOCKER-USER',
  '-A DOCKER-FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A DOCKER-FORWARD -i docker0 ! -o docker0 -j ACCEPT',
  '-A DOCKER-FORWARD -i docker0 -o docker0 -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

/** Splits an iptables-save rule line into arguments (double quotes with backslash escapes). */
export function splitRuleLine(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inQuotes = false;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inQuotes) {
      if (c === '\\' && i + 1 < line.length) cur += line[++i];
      else if (c === '"') inQuotes = false;
      else cur += c;
    } else if (c === '"') {
      inQuotes = true;
      has = true;
    } else if (c === ' ') {
      if (has || cur) args.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur) args.push(cur);
  return args;
}

/** The rule lines multipassd deletes when it starts or stops: any naming its comment, bridge or subnet. */
export function multipassCleanupTargets(save: string, bridge: string, cidr: string): string[] {
  const marks = [multipassComment(bridge), bridge, cidr];
  return save.split('\n').filter((l) => l.startsWith('-A ') && marks.some((m) => l.includes(m)));
}

/** The iptables of one namespace. */
export class NamespaceFirewall {
  private readonly ns: string;
  constructor(ns: string) {
    this.ns = ns;
  }

  private ipt(bin: string, args: readonly string[], input?: string) {
    return must('ip', ['netns', 'exec', this.ns, bin, ...args], input === undefined ? {} : { input });
  }

  save(table?: Table): Promise<string> {
    return this.ipt('iptables-save', table ? ['-t', table] : []);
  }

  restoreNoflush(payload: string): Promise<string> {
    return this.ipt('iptables-restore', ['-w', '5', '--noflush'], payload);
  }

  async applyMultipassRules(bridge: string, cidr: string): Promise<void> {
    for (const c of multipassRuleCalls(bridge, cidr)) await this.ipt('iptables', ['--wait', '-t', c.table, c.op, c.chain, ...c.rule]);
  }

  /** What multipassd does to the host's tables when it starts or stops. */
  async removeMultipassRules(bridge: string, cidr: string): Promise<number> {
    let removed = 0;
    for (const table of ['filter', 'nat', 'mangle', 'raw'] as const) {
      const save = await this.save(table);
      for (const line of multipassCleanupTargets(save, bridge, cidr)) {
        const res = await run('ip', ['netns', 'exec', this.ns, 'iptables', '--wait', '-t', table, '-D', ...splitRuleLine(line).slice(1)]);
        if (res.code === 0) removed++;
      }
    }
    return removed;
  }

  async applyDockerRules(): Promise<void> {
    await this.restoreNoflush(DOCKER_RESTORE);
  }

  /** Takes the Docker-style set away again (policy back to ACCEPT). */
  async removeDockerRules(): Promise<void> {
    await run('ip', ['netns', 'exec', this.ns, 'iptables', '--wait', '-D', 'FORWARD', '-j', 'DOCKER-USER']);
    await run('ip', ['netns', 'exec', this.ns, 'iptables', '--wait', '-D', 'FORWARD', '-j', 'DOCKER-FORWARD']);
    for (const chain of ['DOCKER-USER', 'DOCKER-FORWARD']) {
      await run('ip', ['netns', 'exec', this.ns, 'iptables', '--wait', '-F', chain]);
      await run('ip', ['netns', 'exec', this.ns, 'iptables', '--wait', '-X', chain]);
    }
    await this.ipt('iptables', ['--wait', '-P', 'FORWARD', 'ACCEPT']);
  }

  /** A reboot's effect on nat and filter, in one transaction: every rule and user chain gone, policies ACCEPT. */
  async wipeNatAndFilter(): Promise<void> {
    const empty = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':INPUT ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [0:0]',
      'COMMIT',
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      'COMMIT',
      '',
    ].join('\n');
    await this.ipt('iptables-restore', ['-w', '5'], empty);
  }
}

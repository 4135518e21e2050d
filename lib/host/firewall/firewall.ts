import 'server-only';
import { diffFirewall, type FirewallDiff } from '@/lib/domain/firewall/diff';
import type { ResolvedForward } from '@/lib/domain/forwards/forward';
import {
  JUMPS,
  OWNED_CHAINS,
  ownRuleLines,
  renderRemoval,
  type DesiredRules,
  renderRestore,
  renderRules,
  type HostNetwork,
  type ReinstatedRule,
} from '@/lib/domain/firewall/rules';
import { countersOf } from '@/lib/domain/firewall/traffic';
import { metrics } from '@/lib/observe/metrics';
import type { Runner } from './runner';
import { parseSave, rulesOf, type ParsedSave } from '@/lib/domain/firewall/save-parse';

export class FirewallError extends Error {
  readonly detail: string;
  constructor(message: string, detail = '') {
    super(message);
    this.name = 'FirewallError';
    this.detail = detail;
  }
}

export interface SyncResult {
  applied: boolean; // false: the kernel already matched, nothing was run
  diff: FirewallDiff;
}

/** The kernel side of forwards: read, compare, and (only when they differ) one restore. */
export class Firewall {
  readonly runner: Runner;
  readonly owner: string | undefined; // this install's id, marked in the canary rules
  restores = 0; // how many iptables-restore runs this process made (for status and benchmarks)
  lastRestoreMs = 0;

  constructor(runner: Runner, owner?: string) {
    this.runner = runner;
    this.owner = owner;
  }

  async read(): Promise<ParsedSave> {
    // With counters: each forward's traffic comes from this same read (lib/domain/firewall/traffic.ts).
    const res = await this.runner.run('save', ['-c']);
    if (res.code !== 0) throw new FirewallError(`iptables-save failed (exit ${res.code})`, permissionHint(res.stderr));
    return parseSave(res.stdout);
  }

  /**
   * The cheap check, as kube-proxy's monitor does it, but of every rule of labgate's: one listing
   * per table (`iptables -S`, no counters), and only labgate's lines kept. Any change to them — a
   * flush, a reboot, another writer, a restore of an old dump — shows as a different answer. Null
   * when unreadable.
   */
  async ownRules(): Promise<string | null> {
    const out: string[] = [];
    for (const table of ['nat', 'filter']) {
      const res = await this.runner.run('iptables', ['-w', '5', '-t', table, '-S']);
      if (res.code !== 0) return null;
      out.push(`*${table}`, ...ownRuleLines(res.stdout.split('\n')));
    }
    return out.join('\n');
  }

  /** Makes the kernel match the forwards; atomic: on failure nothing changed. */
  async sync(
    forwards: readonly ResolvedForward[],
    net: HostNetwork,
    adopt: { table: 'nat' | 'filter'; line: string }[] = [],
    reinstate: ReinstatedRule[] = [],
    actual?: ParsedSave, // the kernel as the caller has just read it
  ): Promise<SyncResult> {
    const desired = renderRules(forwards, net, this.owner);
    const kernel = actual ?? (await this.read());
    const diff = diffFirewall(desired, kernel);
    if (diff.inSync && adopt.length === 0 && reinstate.length === 0) return { applied: false, diff };
    const payload = renderRestore(desired, diff.missingJumps, adopt, reinstate, countersOf(kernel));
    this.restores++;
    const started = performance.now();
    const res = await this.runner.run('restore', ['-w', '5', '--noflush', '--counters'], payload);
    this.lastRestoreMs = performance.now() - started;
    metrics().applies.inc({ result: res.code === 0 ? 'ok' : 'error' });
    if (res.code !== 0) throw new FirewallError('iptables-restore refused the rules; nothing was changed', permissionHint(res.stderr));
    return { applied: true, diff };
  }

  /**
   * Forgets the kernel's connection-tracking entries of a forward's old target. A UDP flow that
   * keeps sending would otherwise stay DNATed to the old address for as long as it runs: the NAT
   * rules are consulted only for a flow's first packet. Best effort: without the conntrack tool
   * (Debian's conntrack package) running flows keep their old target until they pause.
   */
  async forgetFlows(old: { protocol: 'tcp' | 'udp'; listenPort: number; targetIP: string; targetPort: number }): Promise<string | null> {
    const res = await this.runner.run('conntrack', [
      '-D',
      '-p',
      old.protocol,
      '--orig-port-dst',
      String(old.listenPort),
      '--reply-src',
      old.targetIP,
      '--reply-port-src',
      String(old.targetPort),
    ]);
    // Exit 1 with "0 flow entries have been deleted": there were none, which is fine.
    if (res.code === 0 || /0 flow entries/.test(res.stderr)) return null;
    return `conntrack could not forget the flows to ${old.targetIP}:${old.targetPort} (exit ${res.code}): ${permissionHint(res.stderr)}`;
  }

  /** Takes labgate's chains and jumps off the host, and nothing else (uninstall). False when there were none. */
  async remove(): Promise<boolean> {
    const payload = renderRemoval(await this.read());
    if (!payload) return false;
    const res = await this.runner.run('restore', ['-w', '5', '--noflush'], payload);
    if (res.code !== 0)
      throw new FirewallError("iptables-restore could not remove labgate's rules; nothing was changed", permissionHint(res.stderr));
    return true;
  }
}

function permissionHint(stderr: string): string {
  const text = stderr.trim();
  if (/Permission denied|Operation not permitted|you must be root/i.test(text)) {
    return `${text} — labgate's host role needs the capability CAP_NET_ADMIN (and CAP_NET_RAW) to change iptables.`;
  }
  return text;
}

/** labgate's own lines as a restore of these rules leaves them (it is atomic: no need to read them back), in the form Firewall.ownRules gives them. */
export function ownRulesAfter(desired: DesiredRules): string {
  return (['nat', 'filter'] as const)
    .flatMap((table) => [
      `*${table}`,
      ...ownRuleLines([...JUMPS[table].map((j) => j.line), ...OWNED_CHAINS[table].flatMap((chain) => desired[table][chain] ?? [])]),
    ])
    .join('\n');
}

/** labgate's own lines in a full read, in the form Firewall.ownRules gives them. */
export function ownRulesOf(save: ParsedSave): string {
  return (['nat', 'filter'] as const)
    .flatMap((table) => [`*${table}`, ...ownRuleLines(rulesOf(save, table).map((r) => r.text))])
    .join('\n');
}

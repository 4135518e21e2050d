import type { ResolvedForward } from '../forwards/forward';
import { canonicalSource, isCidr, isIpv4 } from '../network/networks';
import type { ParsedSave } from '@/lib/domain/firewall/save-parse';

/** labgate's own chains; nothing else on the host is ever written. */
export const CHAIN = {
  prerouting: 'LABGATE-PREROUTING',
  output: 'LABGATE-OUTPUT',
  dnat: 'LABGATE-DNAT',
  hairpin: 'LABGATE-POSTROUTING',
  forward: 'LABGATE-FORWARD',
  canary: 'LABGATE-CANARY',
} as const;

export const OWNED_CHAINS = {
  nat: [CHAIN.prerouting, CHAIN.output, CHAIN.dnat, CHAIN.hairpin, CHAIN.canary],
  filter: [CHAIN.forward, CHAIN.canary],
} as const;
export type OwnedTable = keyof typeof OWNED_CHAINS;

/** The jumps from the built-in chains, as iptables-save prints them. */
export const JUMPS: Record<OwnedTable, { chain: string; line: string }[]> = {
  nat: [
    { chain: 'PREROUTING', line: `-A PREROUTING -m comment --comment labgate -j ${CHAIN.prerouting}` },
    { chain: 'OUTPUT', line: `-A OUTPUT -m comment --comment labgate -j ${CHAIN.output}` },
    { chain: 'POSTROUTING', line: `-A POSTROUTING -m comment --comment labgate -j ${CHAIN.hairpin}` },
  ],
  filter: [{ chain: 'FORWARD', line: `-A FORWARD -m comment --comment labgate -j ${CHAIN.forward}` }],
};

/**
 * One rule in each canary chain, marked with the install that wrote it: a flush (iptables -F) or a
 * reboot takes it with everything else, and a copy of labgate that finds another install's mark
 * knows it is not alone on the host (a copy in another mount namespace or container included).
 */
export const canaryRule = (owner?: string) => `-A ${CHAIN.canary} -m comment --comment labgate-canary${owner ? `-${owner}` : ''} -j RETURN`;

const OWNER = /^[a-f0-9]{1,32}$/;
/** The install id an owner mark carries, or null (no mark, or not labgate's canary). */
export const canaryOwner = (line: string): string | null =>
  /^-A LABGATE-CANARY -m comment --comment labgate-canary-([a-f0-9]{1,32}) -j RETURN$/.exec(line)?.[1] ?? null;

/**
 * labgate's own lines in a table's rules (its chains' rules and the jumps to them), as the owner
 * compares them each second: grouped by chain, in order within each, whatever order the tool
 * printed the chains in.
 */
export function ownRuleLines(lines: readonly string[]): string[] {
  const chainOf = (l: string) => /^-A (\S+)/.exec(l)?.[1] ?? '';
  return lines
    .filter((l) => /^-A LABGATE-|(^| )-j LABGATE-[A-Z]+( |$)/.test(l))
    .map((l, i) => ({ l, i, chain: chainOf(l) }))
    .sort((a, b) => a.chain.localeCompare(b.chain) || a.i - b.i)
    .map((x) => x.l);
}

export interface HostNetwork {
  lanInterface: string; // where LAN clients come in
  lanAddress: string | null; // the host's LAN address: VMs reaching it are hairpinned
  lanCidr: string | null; // LAN clients keep their source address; everyone else is masqueraded
}

/** A value refused where the payload is rendered: it never reaches iptables-restore. */
export class UnsafeRuleValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeRuleValue';
  }
}

// Interface names from a fixed alphabet (no '+', iptables' wildcard; no ':' or space, which Linux refuses too).
const INTERFACE = /^[A-Za-z0-9_.-]{1,15}$/;
const RULE_ID = /^[a-z0-9]{1,20}$/;
/** The most sources one access rule may list: each is a rule of its own in the kernel. */
export const MAX_SOURCES = 32;
const isPort = (p: unknown) => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;

/** Why a resolved forward cannot be rendered, or null. Every field is checked, whatever its source. */
export function forwardRuleProblem(f: ResolvedForward): string | null {
  if (typeof f.id !== 'string' || !RULE_ID.test(f.id)) return 'its id is not 1-20 lower-case letters and digits';
  if (f.protocol !== 'tcp' && f.protocol !== 'udp') return 'its protocol is not tcp or udp';
  if (!isPort(f.listenPort)) return 'its listen port is not a whole number from 1 to 65535';
  if (!isPort(f.targetPort)) return 'its target port is not a whole number from 1 to 65535';
  if (f.listenAddress !== null && !isIpv4(f.listenAddress)) return 'its listen address is not an IPv4 address';
  if (!isIpv4(f.targetIP)) return 'its target is not an IPv4 address';
  if (f.allowFrom !== null) {
    if (!Array.isArray(f.allowFrom) || f.allowFrom.length === 0 || f.allowFrom.length > MAX_SOURCES)
      return `its access rule is not 1 to ${MAX_SOURCES} sources`;
    if (f.allowFrom.some((s) => typeof s !== 'string' || canonicalSource(s) !== s))
      return 'its access rule has a source that is not an IPv4 network in the form the kernel keeps (a.b.c.d/n)';
  }
  return null;
}

/** Why the host's LAN side cannot be rendered, or null. */
export function networkRuleProblem(net: HostNetwork): string | null {
  if (typeof net.lanInterface !== 'string' || !INTERFACE.test(net.lanInterface))
    return 'the LAN interface name is not 1-15 of A-Z a-z 0-9 _ . -';
  if (net.lanAddress !== null && !isIpv4(net.lanAddress)) return 'the LAN address is not an IPv4 address';
  if (net.lanCidr !== null && !isCidr(net.lanCidr)) return 'the LAN network is not a CIDR';
  return null;
}

/** iptables-save's quoting (libxtables xtables_save_string): bare when only [A-Za-z0-9_-]. */
export function saveString(s: string): string {
  return /^[A-Za-z0-9_-]+$/.test(s) ? s : `"${s.replace(/(["\\'])/g, '\\$1')}"`;
}

export const forwardComment = (id: string) => `labgate:${id}`;

export interface DesiredRules {
  nat: Record<string, string[]>;
  filter: Record<string, string[]>;
}

/**
 * Every rule labgate wants, per owned chain, in iptables-save's own form so that desired and
 * actual compare as text. Traffic meant for this host is sorted out once (its LAN interface
 * and a local destination; a VM reaching the LAN address; the host itself), then one DNAT
 * rule, one hairpin rule and one FORWARD rule per forward. Pure. Throws UnsafeRuleValue rather
 * than render a value that is not exactly what its place in a rule allows.
 */
export function renderRules(forwards: readonly ResolvedForward[], net: HostNetwork, owner?: string): DesiredRules {
  const netProblem = networkRuleProblem(net);
  if (netProblem) throw new UnsafeRuleValue(`Refusing to write the firewall: ${netProblem}.`);
  if (owner !== undefined && !OWNER.test(owner))
    throw new UnsafeRuleValue('Refusing to write the firewall: the install id is not 1-32 hex digits.');
  for (const f of forwards) {
    const problem = forwardRuleProblem(f);
    if (problem) throw new UnsafeRuleValue(`Refusing to write forward ${JSON.stringify(String(f.id).slice(0, 20))}: ${problem}.`);
  }
  const fixed = `-m comment --comment labgate -j ${CHAIN.dnat}`;
  const nat: Record<string, string[]> = {
    [CHAIN.prerouting]: [
      `-A ${CHAIN.prerouting} -i ${net.lanInterface} -m addrtype --dst-type LOCAL ${fixed}`,
      ...(net.lanAddress ? [`-A ${CHAIN.prerouting} -d ${net.lanAddress}/32 ! -i ${net.lanInterface} ${fixed}`] : []),
    ],
    // Only local destinations, so a forward never takes the host's own outbound traffic.
    [CHAIN.output]: [`-A ${CHAIN.output} ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL ${fixed}`],
    [CHAIN.dnat]: [],
    [CHAIN.hairpin]: [],
    [CHAIN.canary]: [canaryRule(owner)],
  };
  const filter: Record<string, string[]> = { [CHAIN.forward]: [], [CHAIN.canary]: [canaryRule(owner)] };
  for (const f of [...forwards].sort((a, b) => a.id.localeCompare(b.id))) {
    const p = f.protocol;
    const tag = `-m comment --comment ${saveString(forwardComment(f.id))}`;
    const dst = f.listenAddress ? ` -d ${f.listenAddress}/32` : '';
    const port = `-p ${p} -m ${p} --dport ${f.listenPort}`;
    const dnat = `${tag} -j DNAT --to-destination ${f.targetIP}:${f.targetPort}`;
    // The host itself first, in a rule of its own (its checks of the URL and health probes, kept
    // out of the LAN's traffic counters); then the LAN: everyone, or with an access rule only its
    // sources, and anyone else's connection finds nothing listening on the host.
    nat[CHAIN.dnat]!.push(
      `-A ${CHAIN.dnat}${dst} ${port} -m addrtype --src-type LOCAL ${dnat}`,
      ...(f.allowFrom === null
        ? [`-A ${CHAIN.dnat}${dst} ${port} ${dnat}`]
        : f.allowFrom.map((source) => `-A ${CHAIN.dnat} -s ${source}${dst} ${port} ${dnat}`)),
    );
    // LAN clients keep their address; anyone else (a VM via the LAN address) is masqueraded so replies come back through the host.
    nat[CHAIN.hairpin]!.push(
      `-A ${CHAIN.hairpin} ${net.lanCidr ? `! -s ${net.lanCidr} ` : ''}-d ${f.targetIP}/32 -p ${p} -m ${p} --dport ${f.targetPort} -m conntrack --ctstate DNAT ${tag} -j MASQUERADE`,
    );
    // One rule for both directions: the connections labgate's DNAT made to this target (conntrack knows them).
    filter[CHAIN.forward]!.push(
      `-A ${CHAIN.forward} -p ${p} -m conntrack --ctstate DNAT --ctproto ${p === 'tcp' ? 6 : 17} --ctreplsrc ${f.targetIP} --ctreplsrcport ${f.targetPort} ${tag} -j ACCEPT`,
    );
  }
  return { nat, filter };
}

/** A hand-made rule put back at the position it had in its chain (1 is the first). */
export interface ReinstatedRule {
  table: OwnedTable;
  line: string;
  position: number;
}

/**
 * One iptables-restore --noflush payload: declaring a chain empties it, so labgate's chains are
 * rewritten whole and nobody else's are touched; missing jumps are added in the same transaction.
 */
export function renderRestore(
  desired: DesiredRules,
  missingJumps: Record<OwnedTable, string[]>,
  adopt: { table: OwnedTable; line: string }[] = [],
  reinstate: ReinstatedRule[] = [],
  counters: ReadonlyMap<string, string> = new Map(), // "table rule" → "[packets:bytes]" the rule has now (see countersOf)
): string {
  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    out.push(`*${table}`);
    // Adopting: the hand-made rules go in the same transaction as labgate's replacement.
    for (const r of adopt.filter((a) => a.table === table)) out.push(r.line.replace(/^-A /, '-D '));
    for (const chain of OWNED_CHAINS[table]) out.push(`:${chain} - [0:0]`);
    for (const jump of missingJumps[table]) out.push(jump.replace(/^-A (\S+)/, '-I $1 1'));
    // An adoption taken back: each hand-made rule where it stood, the lowest position first.
    for (const r of reinstate.filter((x) => x.table === table).sort((a, b) => a.position - b.position))
      out.push(r.line.replace(/^-A (\S+)/, `-I $1 ${r.position}`));
    // A rule that stays keeps its counters (written back with iptables-restore --counters).
    for (const chain of OWNED_CHAINS[table])
      for (const line of desired[table][chain] ?? []) {
        const kept = counters.get(`${table} ${line}`);
        out.push(kept ? `${kept} ${line}` : line);
      }
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}

/**
 * The payload that takes labgate off a host: its jumps (wherever they ended up), then its chains,
 * emptied before any is deleted since they jump to each other. Every other rule stays. Null when
 * the kernel holds nothing of labgate's.
 */
export function renderRemoval(actual: ParsedSave): string | null {
  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const owned = new Set<string>(OWNED_CHAINS[table]);
    const chains = actual.lines.flatMap((l) => (l.kind === 'chain' && l.table === table && owned.has(l.name) ? [l.name] : []));
    const jumps = actual.lines.flatMap((l) =>
      l.kind === 'rule' && l.table === table && !owned.has(l.chain) && /(^| )-j LABGATE-[A-Z]+( |$)/.test(l.text) ? [l.text] : [],
    );
    if (!chains.length && !jumps.length) continue;
    out.push(
      `*${table}`,
      ...jumps.map((j) => j.replace(/^-A /, '-D ')),
      ...chains.map((c) => `-F ${c}`),
      ...chains.map((c) => `-X ${c}`),
      'COMMIT',
    );
  }
  return out.length ? `${out.join('\n')}\n` : null;
}

import type { ResolvedForward } from './forward';

/** labgate's own chains; nothing else on the host is ever written. */
export const CHAIN = {
  dnat: 'LABGATE-PREROUTING',
  dnatOut: 'LABGATE-OUTPUT',
  hairpin: 'LABGATE-POSTROUTING',
  forward: 'LABGATE-FORWARD',
  canary: 'LABGATE-CANARY',
} as const;

export const OWNED_CHAINS = { nat: [CHAIN.dnat, CHAIN.dnatOut, CHAIN.hairpin, CHAIN.canary], filter: [CHAIN.forward, CHAIN.canary] } as const;
export type OwnedTable = keyof typeof OWNED_CHAINS;

/** The jumps from the built-in chains, as iptables-save prints them. */
export const JUMPS: Record<OwnedTable, { chain: string; line: string }[]> = {
  nat: [
    { chain: 'PREROUTING', line: `-A PREROUTING -m comment --comment labgate -j ${CHAIN.dnat}` },
    { chain: 'OUTPUT', line: `-A OUTPUT -m comment --comment labgate -j ${CHAIN.dnatOut}` },
    { chain: 'POSTROUTING', line: `-A POSTROUTING -m comment --comment labgate -j ${CHAIN.hairpin}` },
  ],
  filter: [{ chain: 'FORWARD', line: `-A FORWARD -m comment --comment labgate -j ${CHAIN.forward}` }],
};

export interface HostNetwork {
  lanInterface: string; // where LAN clients come in
  lanAddress: string | null; // the host's LAN address: VMs reaching it are hairpinned
  lanCidr: string | null; // LAN clients keep their source address; everyone else is masqueraded
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
 * actual compare as text. Pure.
 */
export function renderRules(forwards: readonly ResolvedForward[], net: HostNetwork): DesiredRules {
  const nat: Record<string, string[]> = { [CHAIN.dnat]: [], [CHAIN.dnatOut]: [], [CHAIN.hairpin]: [], [CHAIN.canary]: [] };
  const filter: Record<string, string[]> = { [CHAIN.forward]: [], [CHAIN.canary]: [] };
  for (const f of [...forwards].sort((a, b) => a.id.localeCompare(b.id))) {
    const p = f.protocol;
    const tag = `-m comment --comment ${saveString(forwardComment(f.id))}`;
    const to = `-j DNAT --to-destination ${f.targetIP}:${f.targetPort}`;
    const listen = `-m ${p} --dport ${f.listenPort}`;
    const target = `-d ${f.targetIP}/32 -p ${p} -m ${p} --dport ${f.targetPort}`;
    // Only traffic meant for this host: its LAN interface and a local destination (or the one address asked for).
    nat[CHAIN.dnat]!.push(
      f.listenAddress
        ? `-A ${CHAIN.dnat} -d ${f.listenAddress}/32 -i ${net.lanInterface} -p ${p} ${listen} ${tag} ${to}`
        : `-A ${CHAIN.dnat} -i ${net.lanInterface} -p ${p} -m addrtype --dst-type LOCAL ${listen} ${tag} ${to}`,
    );
    const hairpinAddress = f.listenAddress ?? net.lanAddress;
    if (hairpinAddress) nat[CHAIN.dnat]!.push(`-A ${CHAIN.dnat} -d ${hairpinAddress}/32 ! -i ${net.lanInterface} -p ${p} ${listen} ${tag} ${to}`);
    nat[CHAIN.dnatOut]!.push(
      f.listenAddress
        ? `-A ${CHAIN.dnatOut} -d ${f.listenAddress}/32 -p ${p} ${listen} ${tag} ${to}`
        : `-A ${CHAIN.dnatOut} ! -d 127.0.0.0/8 -p ${p} -m addrtype --dst-type LOCAL ${listen} ${tag} ${to}`,
    );
    nat[CHAIN.hairpin]!.push(`-A ${CHAIN.hairpin} ${net.lanCidr ? `! -s ${net.lanCidr} ` : ''}${target} -m conntrack --ctstate DNAT ${tag} -j MASQUERADE`);
    filter[CHAIN.forward]!.push(`-A ${CHAIN.forward} ${target} -m conntrack --ctstate DNAT ${tag} -j ACCEPT`);
    filter[CHAIN.forward]!.push(`-A ${CHAIN.forward} -s ${f.targetIP}/32 -p ${p} -m ${p} --sport ${f.targetPort} -m conntrack --ctstate RELATED,ESTABLISHED ${tag} -j ACCEPT`);
  }
  return { nat, filter };
}

/**
 * One iptables-restore --noflush payload: declaring a chain empties it, so labgate's chains are
 * rewritten whole and nobody else's are touched; missing jumps are added in the same transaction.
 */
export function renderRestore(desired: DesiredRules, missingJumps: Record<OwnedTable, string[]>, adopt: { table: OwnedTable; line: string }[] = []): string {
  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    out.push(`*${table}`);
    // Adopting: the hand-made rules go in the same transaction as labgate's replacement.
    for (const r of adopt.filter((a) => a.table === table)) out.push(r.line.replace(/^-A /, '-D '));
    for (const chain of OWNED_CHAINS[table]) out.push(`:${chain} - [0:0]`);
    for (const jump of missingJumps[table]) out.push(jump.replace(/^-A (\S+)/, '-I $1 1'));
    for (const chain of OWNED_CHAINS[table]) out.push(...(desired[table][chain] ?? []));
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}

import { rulesOf, type ParsedSave } from '@/lib/domain/firewall/save-parse';
import { isIpv4 } from '../network/networks';

/** A DNAT rule outside labgate's chains that forwards a host port: it would shadow labgate's. */
export interface HandMadeForward {
  key: string;
  protocol: 'tcp' | 'udp';
  listenPort: number;
  targetIP: string;
  targetPort: number;
  rules: { table: 'nat' | 'filter'; line: string }[];
  /** What these rules match that labgate's forward would not keep (a source, another interface…): adopting widens them. */
  restrictions: string[];
}

/** One match or target option of a rule as iptables-save prints it: `! -s 10.0.0.0/8` → { negated, name: '-s', values }. */
interface RuleOption {
  negated: boolean;
  name: string;
  values: string[];
}

/** Splits a saved rule into its options, token by token (quoted strings stay whole). Pure. */
export function ruleOptions(text: string): RuleOption[] {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  const options: RuleOption[] = [];
  let negated = false;
  for (const t of tokens) {
    if (t === '!') negated = true;
    else if (t.startsWith('-') && !/^-\d/.test(t)) {
      options.push({ negated, name: t, values: [] });
      negated = false;
    } else options.at(-1)?.values.push(t);
  }
  return options;
}

const value = (options: RuleOption[], name: string) => {
  const o = options.find((x) => x.name === name && !x.negated);
  return o?.values.length === 1 ? o.values[0]! : null;
};
const port = (text: string | null) => (text && /^[1-9]\d{0,4}$/.test(text) && Number(text) <= 65535 ? Number(text) : null);
const shownOption = (o: RuleOption) => `${o.negated ? '! ' : ''}${o.name}${o.values.length ? ` ${o.values.join(' ')}` : ''}`;

/** What labgate's own forward would match too, so a hand-made rule that has only these loses nothing when adopted. */
function keeps(o: RuleOption, table: 'nat' | 'filter', net: HandMadeNetwork): boolean {
  const v = o.values.join(' ');
  if (o.name === '-A') return true;
  if (o.negated) return false;
  switch (o.name) {
    case '-p':
    case '--dport':
    case '-j':
    case '--to-destination':
      return true;
    case '-m':
      return ['tcp', 'udp', 'comment', 'addrtype', 'conntrack', 'state'].includes(v);
    case '--comment':
      return true;
    case '--dst-type':
      return v === 'LOCAL';
    case '--ctstate':
    case '--state':
      return table === 'filter';
    case '-i':
      return table === 'filter' || v === net.lanInterface;
    case '-o':
      return table === 'filter';
    case '-d':
      return table === 'filter' || (!!net.lanAddress && v === `${net.lanAddress}/32`);
    default:
      return false;
  }
}

export interface HandMadeNetwork {
  lanInterface: string;
  lanAddress: string | null;
}

/** A short stable id for a rule's text (FNV-1a), so that two hand-made rules on one port keep apart. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * Forwards someone made by hand (a DNAT outside labgate's chains, with the FORWARD accepts for
 * exactly its target), matched option by option: adopting `--dport 80` never touches an 8080
 * rule. Anything they match that labgate's forward would not keep is listed. Pure.
 */
export function findHandMade(save: ParsedSave, net: HandMadeNetwork): HandMadeForward[] {
  const out: HandMadeForward[] = [];
  for (const r of rulesOf(save, 'nat')) {
    if (r.chain.startsWith('LABGATE-')) continue;
    const options = ruleOptions(r.text);
    const protocol = value(options, '-p');
    const listenPort = port(value(options, '--dport'));
    const to = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(value(options, '--to-destination') ?? '');
    const targetIP = to?.[1] ?? '';
    const targetPort = port(to?.[2] ?? null);
    if (value(options, '-j') !== 'DNAT' || (protocol !== 'tcp' && protocol !== 'udp') || !listenPort || !targetPort || !isIpv4(targetIP))
      continue;
    const accepts = rulesOf(save, 'filter', 'FORWARD').filter((f) => {
      const o = ruleOptions(f.text);
      return (
        value(o, '-j') === 'ACCEPT' &&
        value(o, '-d') === `${targetIP}/32` &&
        value(o, '-p') === protocol &&
        value(o, '--dport') === String(targetPort)
      );
    });
    const restrictions = [
      ...(r.chain === 'PREROUTING' ? [] : [`the DNAT rule is in chain ${r.chain}, reached only through other rules`]),
      ...options.filter((o) => !keeps(o, 'nat', net)).map((o) => `the DNAT rule matches only "${shownOption(o)}"`),
      ...accepts.flatMap((a) =>
        ruleOptions(a.text)
          .filter((o) => !keeps(o, 'filter', net))
          .map((o) => `a FORWARD rule matches only "${shownOption(o)}"`),
      ),
    ];
    out.push({
      key: `${protocol}:${listenPort}:${targetIP}:${targetPort}:${fingerprint(r.text)}`,
      protocol,
      listenPort,
      targetIP,
      targetPort,
      rules: [{ table: 'nat', line: r.text }, ...accepts.map((a) => ({ table: 'filter' as const, line: a.text }))],
      restrictions,
    });
  }
  return out;
}

import { rulesOf, type ParsedSave } from '@/lib/host/firewall/save-parse';

/** A DNAT rule outside labgate's chains that forwards a host port: it would shadow labgate's. */
export interface HandMadeForward {
  key: string;
  protocol: 'tcp' | 'udp';
  listenPort: number;
  targetIP: string;
  targetPort: number;
  rules: { table: 'nat' | 'filter'; line: string }[];
}

/** Forwards someone made by hand (a DNAT outside labgate's chains, with its FORWARD accepts): labgate offers to adopt them. Pure. */
export function findHandMade(save: ParsedSave): HandMadeForward[] {
  const out: HandMadeForward[] = [];
  for (const r of rulesOf(save, 'nat')) {
    if (r.chain.startsWith('LABGATE-')) continue;
    const m = /-p (tcp|udp) .*--dport (\d+) .*-j DNAT --to-destination (\d+\.\d+\.\d+\.\d+):(\d+)/.exec(r.text);
    if (!m) continue;
    const [, protocol, listenPort, targetIP, targetPort] = m;
    const accepts = rulesOf(save, 'filter', 'FORWARD').filter((f) => f.text.includes(`-d ${targetIP}/32`) && f.text.includes(`--dport ${targetPort}`) && f.text.endsWith('-j ACCEPT'));
    out.push({
      key: `${protocol}:${listenPort}:${targetIP}:${targetPort}`,
      protocol: protocol as 'tcp' | 'udp',
      listenPort: Number(listenPort),
      targetIP: targetIP!,
      targetPort: Number(targetPort),
      rules: [{ table: 'nat', line: r.text }, ...accepts.map((a) => ({ table: 'filter' as const, line: a.text }))],
    });
  }
  return out;
}

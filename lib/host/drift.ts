import 'server-only';
import { rulesOf, type ParsedSave } from '@/lib/domain/firewall/save-parse';
import { fail, type Outcome } from '@/lib/result';
import { FirewallError, type Firewall } from './firewall/firewall';

export function describeFirewallError(e: unknown): string {
  return e instanceof FirewallError ? `${e.message}${e.detail ? `: ${e.detail}` : ''}` : e instanceof Error ? e.message : String(e);
}

/** The kernel's rules, or why they cannot be read (no CAP_NET_ADMIN, no iptables). */
export async function readKernel(firewall: Firewall): Promise<Outcome<ParsedSave>> {
  try {
    return { ok: true, data: await firewall.read() };
  } catch (e) {
    return fail(502, describeFirewallError(e));
  }
}

/** labgate's chains as the kernel has them, in iptables-save form. */
export async function exportRules(firewall: Firewall): Promise<Outcome<string>> {
  const read = await readKernel(firewall);
  if (!read.ok) return read;
  const lines: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const mine = rulesOf(read.data, table).filter((r) => r.chain.startsWith('LABGATE-') || r.text.includes('-j LABGATE-'));
    if (mine.length) lines.push(`*${table}`, ...mine.map((r) => r.text), 'COMMIT');
  }
  return { ok: true, data: `${lines.join('\n')}\n` };
}

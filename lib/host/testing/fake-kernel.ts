import { parseSave } from '@/lib/domain/firewall/save-parse';
import type { Backend, RunResult, Runner, Tool } from '@/lib/host/firewall/runner';

interface Table {
  chains: { name: string; policy: string }[];
  rules: { chain: string; text: string }[];
}

/**
 * A stand-in for the kernel's iptables, for fast unit tests of the firewall logic: it prints
 * iptables-save's format and applies `iptables-restore --noflush` as Debian's iptables 1.8.9
 * does for what labgate sends (declaring a chain creates or empties it; -A, -I, -D, -F, -X; the
 * whole payload or nothing; exit 2 on a bad line). The lab tests run the same logic against the
 * real tools.
 */
export class FakeKernel implements Runner {
  readonly backend: Backend = 'nft';
  readonly payloads: string[] = [];
  /** How often each tool ran: what the reconciler's cost is counted in. */
  readonly calls: Record<Tool, number> = { save: 0, restore: 0, iptables: 0, conntrack: 0 };
  /** The conntrack deletions asked for, as their arguments. */
  readonly forgotten: string[][] = [];
  /** Set to make every restore fail as it does without CAP_NET_ADMIN. */
  refuse = false;
  private tables = new Map<string, Table>();

  constructor(save: string) {
    this.load(save);
  }

  /** Replaces the whole rule set (a reboot puts the daemons' rules back this way). */
  load(save: string): void {
    this.tables = new Map();
    let table: Table | null = null;
    for (const line of parseSave(save).lines) {
      if (line.kind === 'table') this.tables.set(line.name, (table = { chains: [], rules: [] }));
      else if (line.kind === 'chain') table!.chains.push({ name: line.name, policy: line.policy });
      else if (line.kind === 'rule') table!.rules.push({ chain: line.chain, text: line.text });
    }
  }

  save(): string {
    const out: string[] = [];
    for (const [name, t] of this.tables) {
      out.push(`*${name}`, ...t.chains.map((c) => `:${c.name} ${c.policy} [0:0]`), ...t.rules.map((r) => r.text), 'COMMIT');
    }
    return `${out.join('\n')}\n`;
  }

  /** `iptables -t T -S [CHAIN]`, as iptables-nft prints a table or a chain, or refuses a chain it does not have. */
  list(args: readonly string[]): RunResult {
    const table = args[args.indexOf('-t') + 1] ?? 'filter';
    const chain = args[args.indexOf('-S') + 1];
    const t = this.tables.get(table);
    if (chain === undefined) {
      const chains = (t?.chains ?? []).map((c) => (c.policy === '-' ? `-N ${c.name}` : `-P ${c.name} ${c.policy}`));
      return { code: 0, stdout: `${[...chains, ...(t?.rules ?? []).map((r) => r.text)].join('\n')}\n`, stderr: '' };
    }
    if (!t?.chains.some((c) => c.name === chain))
      return {
        code: 1,
        stdout: '',
        stderr: `iptables v1.8.9 (nf_tables): chain \`${chain}' in table \`${table}' is incompatible, use 'nft' tool.\n`,
      };
    const rules = t.rules.filter((r) => r.chain === chain).map((r) => r.text);
    return { code: 0, stdout: `${[`-N ${chain}`, ...rules].join('\n')}\n`, stderr: '' };
  }

  async run(tool: Tool, args: readonly string[], stdin = ''): Promise<RunResult> {
    this.calls[tool]++;
    if (tool === 'save') return { code: 0, stdout: this.save(), stderr: '' };
    if (tool === 'iptables') return this.list(args);
    if (tool === 'conntrack') {
      this.forgotten.push([...args]);
      return { code: 1, stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n' };
    }
    this.payloads.push(stdin);
    if (this.refuse)
      return {
        code: 4,
        stdout: '',
        stderr: 'iptables-nft-restore v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)',
      };
    const next = structuredClone(this.tables);
    const error = apply(next, stdin);
    if (error) return { code: 2, stdout: '', stderr: `iptables-nft-restore v1.8.9 (nf_tables): ${error}` };
    this.tables = next;
    return { code: 0, stdout: '', stderr: '' };
  }
}

function apply(tables: Map<string, Table>, payload: string): string | null {
  let t: Table | null = null;
  const lines = payload.replace(/\n$/, '').split('\n');
  for (const [i, written] of lines.entries()) {
    const at = `line ${i + 1} failed`;
    const line = written.replace(/^\[\d+:\d+\] (?=-A )/, ''); // counters (--counters): this kernel keeps none
    if (/[\u0000-\u001f\u007f]/.test(line)) return at;
    if (line.startsWith('*')) {
      t = tables.get(line.slice(1)) ?? { chains: [], rules: [] };
      tables.set(line.slice(1), t);
      continue;
    }
    if (!t) return at;
    if (line === 'COMMIT') {
      t = null;
      continue;
    }
    const chainDecl = /^:(\S+) (\S+) \[\d+:\d+\]$/.exec(line);
    if (chainDecl) {
      const [, name, policy] = chainDecl;
      if (t.chains.some((c) => c.name === name)) t.rules = t.rules.filter((r) => r.chain !== name);
      else t.chains.push({ name: name!, policy: policy! });
      continue;
    }
    const m = /^-([AIDFX]) (\S+)(?: (\d+))?(?: (.*))?$/.exec(line);
    if (!m) return at;
    const [, op, chain, pos, rest] = m;
    if (!t.chains.some((c) => c.name === chain)) return at;
    const text = `-A ${chain}${rest ? ` ${rest}` : ''}`;
    if (op === 'A') t.rules.push({ chain: chain!, text });
    else if (op === 'I') {
      const ofChain = t.rules.filter((r) => r.chain === chain);
      const before = ofChain[Number(pos ?? 1) - 1];
      t.rules.splice(before ? t.rules.indexOf(before) : t.rules.length, 0, { chain: chain!, text });
    } else if (op === 'D') {
      const found = t.rules.findIndex((r) => r.text === text);
      if (found < 0) return at;
      t.rules.splice(found, 1);
    } else if (op === 'F') t.rules = t.rules.filter((r) => r.chain !== chain);
    else if (op === 'X') t.chains = t.chains.filter((c) => c.name !== chain);
  }
  return t ? 'COMMIT expected' : null;
}

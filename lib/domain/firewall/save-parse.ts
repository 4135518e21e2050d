/**
 * iptables-save text, parsed and printed back. Pure. Tolerates what real dumps hold (comments,
 * counters, warnings, a stray "# Completed" before the first table) and refuses what is not
 * save format (such as `iptables -L` output).
 */

export type SaveLine =
  | { kind: 'comment'; text: string }
  | { kind: 'blank' }
  | { kind: 'table'; name: string }
  | { kind: 'chain'; table: string; name: string; policy: string; counters: string }
  | { kind: 'rule'; table: string; chain: string; text: string; counters: string | null }
  | { kind: 'commit'; table: string };

export interface ParsedSave {
  lines: SaveLine[];
}

export class SaveParseError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`iptables-save line ${line}: ${message}`);
    this.name = 'SaveParseError';
    this.line = line;
  }
}

const CHAIN_LINE = /^:(\S+) (\S+) (\[\d+:\d+\])$/;
const RULE_LINE = /^(\[\d+:\d+\] )?-A (\S+)( .*)?$/;

export function parseSave(text: string): ParsedSave {
  const lines: SaveLine[] = [];
  let table: string | null = null;
  const raw = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  raw.forEach((l, i) => {
    const n = i + 1;
    if (l.startsWith('#')) return void lines.push({ kind: 'comment', text: l });
    if (l.trim() === '') return void lines.push({ kind: 'blank' });
    if (l.startsWith('*')) {
      if (table) throw new SaveParseError(n, `table ${l.slice(1)} starts before ${table} was committed`);
      table = l.slice(1);
      if (!/^[a-z]+$/.test(table)) throw new SaveParseError(n, `"${l}" is not a table name`);
      return void lines.push({ kind: 'table', name: table });
    }
    if (!table) throw new SaveParseError(n, `"${l.slice(0, 40)}" is outside any table: this is not iptables-save output`);
    if (l === 'COMMIT') {
      lines.push({ kind: 'commit', table });
      table = null;
      return;
    }
    const chain = CHAIN_LINE.exec(l);
    if (chain) return void lines.push({ kind: 'chain', table, name: chain[1]!, policy: chain[2]!, counters: chain[3]! });
    const rule = RULE_LINE.exec(l);
    if (rule)
      return void lines.push({
        kind: 'rule',
        table,
        chain: rule[2]!,
        text: `-A ${rule[2]}${rule[3] ?? ''}`,
        counters: rule[1]?.trim() ?? null,
      });
    throw new SaveParseError(n, `cannot read "${l.slice(0, 60)}"`);
  });
  if (table) throw new SaveParseError(raw.length, `table ${table} has no COMMIT`);
  return { lines };
}

export function printSave(parsed: ParsedSave): string {
  const out = parsed.lines.map((l) => {
    switch (l.kind) {
      case 'comment':
        return l.text;
      case 'blank':
        return '';
      case 'table':
        return `*${l.name}`;
      case 'chain':
        return `:${l.name} ${l.policy} ${l.counters}`;
      case 'rule':
        return l.counters ? `${l.counters} ${l.text}` : l.text;
      case 'commit':
        return 'COMMIT';
    }
  });
  return `${out.join('\n')}\n`;
}

export const chainsOf = (p: ParsedSave, table: string) =>
  p.lines.filter((l): l is Extract<SaveLine, { kind: 'chain' }> => l.kind === 'chain' && l.table === table);
export const rulesOf = (p: ParsedSave, table: string, chain?: string) =>
  p.lines.filter(
    (l): l is Extract<SaveLine, { kind: 'rule' }> => l.kind === 'rule' && l.table === table && (chain === undefined || l.chain === chain),
  );

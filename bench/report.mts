import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/lib/setup.mts';

const OUT = path.join(ROOT, 'docs', 'benchmarks.md');

/**
 * Writes a bench's figures into docs/benchmarks.md between its own markers (appended the first
 * time); what people wrote around them, and the other benches' figures, stay. Returns the figures.
 */
export function replaceFigures(script: string, figures: string): string {
  const start = `<!-- figures: written by npm run ${script} -->`;
  const end = '<!-- end of figures -->';
  const block = `${start}\n${figures}\n${end}`;
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  const a = old.indexOf(start);
  const b = a >= 0 ? old.indexOf(end, a) : -1;
  fs.writeFileSync(OUT, a >= 0 && b > a ? `${old.slice(0, a)}${block}${old.slice(b + end.length)}` : `${old.trimEnd()}\n\n${block}\n`);
  process.stderr.write(`bench: wrote ${path.relative(ROOT, OUT)}\n`);
  return `${figures}\n`;
}

import { describe, expect, it } from 'vitest';
import { ProblemLog } from './problem-log';

describe('ProblemLog', () => {
  it.each([
    { reports: [null, null], lines: [] },
    { reports: ['down', 'down', 'down'], lines: ['labgate: check failed: down'] },
    { reports: ['down', 'down', null, null], lines: ['labgate: check failed: down', 'labgate: check works again'] },
    {
      reports: ['down', 'other', 'other', null],
      lines: ['labgate: check failed: down', 'labgate: check failed: other', 'labgate: check works again'],
    },
  ])('writes a line only when the problem changes: $reports', ({ reports, lines }) => {
    const written: string[] = [];
    const log = new ProblemLog('check', (l) => written.push(l));
    for (const r of reports) log.report(r);
    expect(written).toEqual(lines);
  });

  it('stays at one line over an hour of the same failure, checked every second', () => {
    const written: string[] = [];
    const log = new ProblemLog('check', (l) => written.push(l));
    for (let i = 0; i < 3600; i++) log.report('iptables-restore refused the rules');
    expect(written).toHaveLength(1);
  });
});

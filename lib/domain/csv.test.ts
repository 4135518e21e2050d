import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it.each([
    { row: ['a', 'b'], want: 'a,b' },
    { row: ['with, comma', 'with "quote"'], want: '"with, comma","with ""quote"""' },
    { row: ['line\nbreak', null], want: '"line\nbreak",' },
    { row: ['=HYPERLINK("x")', '-1+1', '@SUM'], want: `"'=HYPERLINK(""x"")",'-1+1,'@SUM` },
    { row: [42, 'ok'], want: '42,ok' },
  ])('$row', ({ row, want }) => expect(toCsv(['h1', 'h2'], [row])).toBe(`h1,h2\r\n${want}\r\n`));
});

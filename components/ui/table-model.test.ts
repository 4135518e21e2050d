import { describe, expect, it } from 'vitest';
import { filterRows, nextSort, sortRows, type Column } from './table-model';

interface Row {
  name: string;
  pods: number | null;
}
const rows: Row[] = [
  { name: 'node10', pods: 3 },
  { name: 'node2', pods: null },
  { name: 'Node1', pods: 12 },
];
const columns: Column<Row>[] = [
  { id: 'name', header: 'Name', value: (r) => r.name },
  { id: 'pods', header: 'Pods', value: (r) => r.pods },
];

describe('table model', () => {
  it.each([
    { query: '', want: ['node10', 'node2', 'Node1'] },
    { query: 'NODE1', want: ['node10', 'Node1'] },
    { query: 'node 12', want: ['Node1'] },
    { query: 'nothing', want: [] },
  ])('filters "$query"', ({ query, want }) => expect(filterRows(rows, columns, query).map((r) => r.name)).toEqual(want));

  it.each([
    { sort: { id: 'name', direction: 'asc' as const }, want: ['Node1', 'node2', 'node10'] },
    { sort: { id: 'name', direction: 'desc' as const }, want: ['node10', 'node2', 'Node1'] },
    { sort: { id: 'pods', direction: 'asc' as const }, want: ['node10', 'Node1', 'node2'] },
    { sort: { id: 'pods', direction: 'desc' as const }, want: ['Node1', 'node10', 'node2'] },
    { sort: null, want: ['node10', 'node2', 'Node1'] },
  ])('sorts $sort', ({ sort, want }) => expect(sortRows(rows, columns, sort).map((r) => r.name)).toEqual(want));

  it('cycles ascending, descending, none', () => {
    expect(nextSort(null, 'a')).toEqual({ id: 'a', direction: 'asc' });
    expect(nextSort({ id: 'a', direction: 'asc' }, 'a')).toEqual({ id: 'a', direction: 'desc' });
    expect(nextSort({ id: 'a', direction: 'desc' }, 'a')).toBeNull();
    expect(nextSort({ id: 'a', direction: 'desc' }, 'b')).toEqual({ id: 'b', direction: 'asc' });
  });
});

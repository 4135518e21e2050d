import type { ReactNode } from 'react';

/** A column: `value` sorts and filters, `render` draws (headlamp's getValue/render split). */
export interface Column<Row> {
  id: string;
  header: string;
  value: (row: Row) => string | number | null;
  render?: (row: Row) => ReactNode;
  width?: string; // a CSS grid track, e.g. "minmax(8rem, 1fr)"
}

export type SortState = { id: string; direction: 'asc' | 'desc' } | null;

/** Rows whose any column value contains every word of the query (case-insensitive). */
export function filterRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], query: string): Row[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const text = columns
      .map((c) => String(c.value(row) ?? ''))
      .join(' ')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Sorted by one column; numbers as numbers, text naturally (node2 before node10), empty values last. */
export function sortRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], sort: SortState): Row[] {
  const col = sort && columns.find((c) => c.id === sort.id);
  if (!sort || !col) return [...rows];
  const dir = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = col.value(a);
    const y = col.value(b);
    if (x === null || x === '') return y === null || y === '' ? 0 : 1;
    if (y === null || y === '') return -1;
    return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y)));
  });
}

export function nextSort(current: SortState, id: string): SortState {
  if (current?.id !== id) return { id, direction: 'asc' };
  return current.direction === 'asc' ? { id, direction: 'desc' } : null;
}

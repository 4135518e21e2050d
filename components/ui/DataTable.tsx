'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { filterRows, nextSort, sortRows, type Column, type SortState } from './table-model';

const STICKY = 'sticky left-0 z-10';

/**
 * A filterable, sortable table that stays fast with thousands of rows: only the rows in view
 * are in the DOM. ARIA table roles keep it readable for screen readers.
 */
export function DataTable<Row>({
  label,
  rows,
  columns,
  rowKey,
  initialSort = null,
  empty,
  toolbar,
}: {
  label: string;
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  initialSort?: SortState;
  empty: ReactNode;
  toolbar?: ReactNode;
}) {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortState>(initialSort);
  const deferredQuery = useDeferredValue(query);
  const shown = useMemo(() => sortRows(filterRows(rows, columns, deferredQuery), columns, sort), [rows, columns, deferredQuery, sort]);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer manages its own state
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 44,
    overscan: 12,
  });
  const searchId = useId();
  const widths = columns.map((c) => c.width ?? 'minmax(6rem, 1fr)');
  const grid = { gridTemplateColumns: widths.join(' ') };
  // The columns' smallest widths added up: narrower than that, the table scrolls sideways instead of squeezing.
  const minWidth = `${widths.reduce((sum, w) => sum + Number(/^(?:minmax\()?([\d.]+)rem/.exec(w)?.[1] ?? 6), 0)}rem`;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <label htmlFor={searchId} className="sr-only">
          Filter {label}
        </label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={`Filter ${label.toLowerCase()}…`}
          className="w-64 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
        {toolbar}
        <span className="ml-auto text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
          {shown.length === rows.length ? `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}` : `${shown.length} of ${rows.length}`}
        </span>
      </div>
      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white text-sm dark:border-zinc-800 dark:bg-zinc-900">
        {/* One scroller for header and body: on a narrow screen they scroll sideways together (the
            header stays over its columns, the first column stays in view) and the header stays on top. */}
        <div
          ref={scroller}
          role="table"
          aria-label={label}
          aria-rowcount={shown.length + 1}
          tabIndex={0}
          className="max-h-[70vh] overflow-auto focus-visible:outline-2 focus-visible:outline-brand-500"
        >
          <div style={{ minWidth }}>
            <div role="rowgroup" className="sticky top-0 z-20">
              <div
                role="row"
                aria-rowindex={1}
                className="grid border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
                style={grid}
              >
                {columns.map((c, i) => {
                  const active = sort?.id === c.id ? sort.direction : null;
                  return (
                    <div
                      key={c.id}
                      role="columnheader"
                      aria-sort={c.header ? (active === 'asc' ? 'ascending' : active === 'desc' ? 'descending' : 'none') : undefined}
                      className={`px-3 py-2 ${i === 0 ? `${STICKY} bg-zinc-50 dark:bg-zinc-950` : ''}`}
                    >
                      {c.header ? (
                        <button
                          type="button"
                          onClick={() => setSort((s) => nextSort(s, c.id))}
                          className="inline-flex items-center gap-1 text-xs font-semibold tracking-wide text-zinc-600 uppercase hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
                        >
                          {c.header}
                          <span aria-hidden="true">{active === 'asc' ? '▲' : active === 'desc' ? '▼' : ''}</span>
                        </button>
                      ) : (
                        <span className="sr-only">Actions</span>
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
            {shown.length === 0 ? (
              <div className="px-3 py-10 text-center text-zinc-500 dark:text-zinc-400">
                {rows.length === 0 ? empty : 'Nothing matches the filter.'}
              </div>
            ) : (
              <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const row = shown[item.index]!;
                  return (
                    <div
                      key={rowKey(row)}
                      role="row"
                      aria-rowindex={item.index + 2}
                      data-index={item.index}
                      ref={virtualizer.measureElement}
                      className="absolute inset-x-0 grid items-start border-b border-zinc-100 last:border-0 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50"
                      style={{ ...grid, transform: `translateY(${item.start}px)` }}
                    >
                      {columns.map((c, i) => (
                        <div
                          key={c.id}
                          role="cell"
                          className={`min-w-0 px-3 py-2.5 break-words ${i === 0 ? `${STICKY} bg-white dark:bg-zinc-900` : ''}`}
                        >
                          {c.render ? c.render(row) : (c.value(row) ?? '—')}
                        </div>
                      ))}
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

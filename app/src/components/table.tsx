/**
 * A sortable table of a panel's rows (a few hundred at most, never events).
 * Column headers are buttons, so sorting is reachable by keyboard; the sorted
 * column carries aria-sort. Undefined numbers (NaN) sort last either way.
 */
import { createMemo, createSignal, For, Index, type JSX } from "solid-js";

export interface Column<R> {
  key: string;
  label: string;
  /** The value sorted on; numbers sort numerically, text by locale. */
  value: (row: R) => string | number;
  /** What the cell shows; text of `value` when absent. */
  render?: (row: R) => JSX.Element;
  numeric?: boolean;
  /** A short explanation shown as the header's title. */
  title?: string;
}

export interface TableProps<R> {
  columns: Column<R>[];
  rows: R[];
  caption: string;
  testId: string;
  sort?: { key: string; dir: "asc" | "desc" };
}

type Sort = { key: string; dir: "asc" | "desc" };

function compare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return a - b;
  }
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function Table<R>(props: TableProps<R>): JSX.Element {
  // props.sort is only the starting order; the person owns it from then on
  const [sort, setSort] = createSignal<Sort | null>(props.sort ?? null);

  const sorted = createMemo(() => {
    const s = sort();
    const col = s && props.columns.find((c) => c.key === s.key);
    if (!s || !col) return props.rows;
    const sign = s.dir === "asc" ? 1 : -1;
    return [...props.rows].sort((x, y) => {
      const a = col.value(x);
      const b = col.value(y);
      // NaN stays last whichever way the column is sorted
      if (typeof a === "number" && typeof b === "number" && (Number.isNaN(a) || Number.isNaN(b))) return compare(a, b);
      return sign * compare(a, b);
    });
  });

  const toggle = (col: Column<R>) => {
    const s = sort();
    // numbers are most useful largest first; text A to Z
    const first: Sort["dir"] = col.numeric ? "desc" : "asc";
    setSort({ key: col.key, dir: s?.key === col.key ? (s.dir === "asc" ? "desc" : "asc") : first });
  };

  const ariaSort = (col: Column<R>) => {
    const s = sort();
    return s?.key === col.key ? (s.dir === "asc" ? "ascending" : "descending") : "none";
  };

  return (
    <div class="table-wrap" tabindex="0" role="region" aria-label={props.caption}>
      <table class="table" data-testid={props.testId}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <For each={props.columns}>
              {(col) => (
                <th scope="col" aria-sort={ariaSort(col)} classList={{ num: col.numeric }}>
                  <button type="button" class="sort-button" title={col.title} onClick={() => toggle(col)} data-testid={`${props.testId}-sort-${col.key}`}>
                    {col.label}
                    <span class="sort-mark" aria-hidden="true">
                      {ariaSort(col) === "ascending" ? "▲" : ariaSort(col) === "descending" ? "▼" : "↕"}
                    </span>
                  </button>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          {/* by position: a live update brings new row objects, and only the cells whose row changed redraw */}
          <Index each={sorted()}>
            {(row) => (
              <tr>
                <For each={props.columns}>
                  {(col) => <td classList={{ num: col.numeric }}>{col.render ? col.render(row()) : String(col.value(row()))}</td>}
                </For>
              </tr>
            )}
          </Index>
        </tbody>
      </table>
    </div>
  );
}

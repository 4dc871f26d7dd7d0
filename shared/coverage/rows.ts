/**
 * Reading the coverage queries' results: a grouped result as plain rows of
 * keys and measures. Results are small (groups, not events), so rows are
 * cheap to build and easy to reason about.
 */
import { NONE_LABEL } from "../engine/values.ts";
import type { QueryResult } from "../query.ts";

/** One group: its keys (labels as text, time buckets as epoch ms) and its measures (NaN when undefined). */
export interface Row {
  keys: (string | number)[];
  values: number[];
}

/** Every group of `result` as a row. */
export function rowsOf(result: QueryResult): Row[] {
  const rows: Row[] = [];
  for (let r = 0; r < result.rows; r++) {
    rows.push({
      keys: result.keys.map((col) => col.values[r]!),
      values: result.measures.map((m) => m[r] ?? NaN),
    });
  }
  return rows;
}

/** Key `k` of a row as text; null for the group of events without the prop. */
export function label(row: Row, k: number): string | null {
  const v = row.keys[k];
  if (v === undefined || v === NONE_LABEL) return null;
  return String(v);
}

/** Key `k` of a row as a time (epoch ms); NaN when it is not one. */
export function time(row: Row, k: number): number {
  const v = row.keys[k];
  return typeof v === "number" ? v : NaN;
}

/** Measure `m` of a row, 0 when undefined (counts and distinct counts). */
export function amount(row: Row, m: number): number {
  const v = row.values[m];
  return v === undefined || Number.isNaN(v) ? 0 : v;
}

/** Methods compare case-blind: catalogs write GET, some runners get. */
export function methodKey(method: string): string {
  return method.toUpperCase();
}

/** The key of an endpoint of an API: method and templated path. */
export function endpointKey(method: string, endpoint: string): string {
  return `${methodKey(method)} ${endpoint}`;
}

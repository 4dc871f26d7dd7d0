/**
 * Reading query results: small columnar results (tens to hundreds of rows)
 * turned into the shapes views render. Pure; never sees events.
 */
import type { KeyColumn, QueryResult } from "../../../shared/query.ts";

/** A key column's values as text (time keys as their epoch ms). */
export function keyLabels(col: KeyColumn | undefined): string[] {
  if (col === undefined) return [];
  return col.kind === "label" ? col.values : Array.from(col.values, (v) => String(v));
}

/** A key column's values as numbers (label keys parsed; NaN where not numeric). */
export function keyNumbers(col: KeyColumn | undefined): number[] {
  if (col === undefined) return [];
  return col.kind === "time" ? Array.from(col.values) : col.values.map((v) => Number(v));
}

/** Measure `m` of row `row`; NaN when absent. */
export function measureAt(result: QueryResult, m: number, row: number): number {
  return result.measures[m]?.[row] ?? NaN;
}

/** NaN (undefined measure) as null, which uPlot draws as a gap. */
export function gap(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

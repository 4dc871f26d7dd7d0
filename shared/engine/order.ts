/**
 * Result order. By default groups sort by their keys ascending, left to
 * right: times numerically, labels by UTF-16 code units (plain `<`, the same
 * everywhere, unlike locale collation). `orderBy` sorts by a measure instead,
 * descending unless `asc`, with NaN last either way and ties broken by the
 * keys; `limit` then keeps the first groups.
 */
import type { KeyColumn, Query, QueryResult } from "../query.ts";

/** The groups in result order, cut to `limit`. */
export function orderGroups(keys: readonly KeyColumn[], measures: readonly Float64Array[], size: number, query: Query): Int32Array {
  const order = Int32Array.from({ length: size }, (_, g) => g);
  const byKeys = (a: number, b: number): number => {
    for (const key of keys) {
      const c = key.kind === "time" ? key.values[a]! - key.values[b]! : compareText(key.values[a]!, key.values[b]!);
      if (c !== 0) return c;
    }
    return 0;
  };
  const by = query.orderBy;
  if (by === undefined) {
    if (keys.length > 0) order.sort(byKeys);
  } else {
    const m = measures[by.measure];
    if (m === undefined) throw new RangeError(`orderBy.measure ${by.measure} is not a measure index (${measures.length} measures)`);
    const sign = by.asc ? 1 : -1;
    order.sort((a, b) => {
      const x = m[a]!;
      const y = m[b]!;
      const xNaN = x !== x;
      const yNaN = y !== y;
      if (xNaN !== yNaN) return xNaN ? 1 : -1;
      return xNaN || x === y ? byKeys(a, b) : sign * (x - y);
    });
  }
  const limit = query.limit;
  return limit === undefined || limit >= size ? order : order.subarray(0, Math.max(0, Math.floor(limit)));
}

/** The result: key and measure columns taken in `order`. */
export function takeRows(keys: readonly KeyColumn[], measures: readonly Float64Array[], order: Int32Array, matched: number): QueryResult {
  return {
    rows: order.length,
    keys: keys.map((k): KeyColumn =>
      k.kind === "time" ? { kind: "time", values: Float64Array.from(order, (g) => k.values[g]!) } : { kind: "label", values: Array.from(order, (g) => k.values[g]!) },
    ),
    measures: measures.map((m) => Float64Array.from(order, (g) => m[g]!)),
    matched,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

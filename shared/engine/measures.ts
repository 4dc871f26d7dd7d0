/**
 * Measures per group. Work is shared: the group counts come with the groups;
 * one pass of sum, count, min and max per dimension serves sum/avg/min/max,
 * and one gather per dimension all of its percentiles. Each pass runs over
 * the selected rows with the group id of each, into Float64Array
 * accumulators.
 *
 * Undefined results are NaN: avg, min, max and percentiles of no values, and
 * a rate over a group of no events (only the single group of an ungrouped
 * query can be empty). A sum of no values is 0.
 */
import type { Dim, Filter, Measure } from "../query.ts";
import type { Context, Selection } from "./context.ts";
import { dimKey, forBlocks, numericColumn } from "./context.ts";
import { compileFilter, refine } from "./filter.ts";
import { labelIds } from "./keys.ts";
import { LabelKeys } from "./labels.ts";
import { groupQuantiles } from "./gather.ts";

const QUANTILE = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

interface Stats {
  sum: Float64Array;
  n: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/**
 * One column per measure, an entry per group, for groups given by `gid`
 * (null: one group) with `counts` events each.
 */
export function computeMeasures(ctx: Context, sel: Selection, gid: Int32Array | null, counts: Float64Array, measures: readonly Measure[]): Float64Array[] {
  const size = counts.length;
  // the rarer measures take an all-zero gid rather than a loop of their own per case
  const ids = (): Int32Array => gid ?? ctx.arena.scratch("i32", "zeros", sel.count).fill(0);
  const stats = new Map<string, Stats>();
  const quantiles = new Map<string, Map<number, Float64Array>>();
  for (const [dim, qs] of quantileRequests(measures)) {
    const found = groupQuantiles(ctx, sel, gid, counts, dim, qs);
    quantiles.set(dimKey(dim), new Map(qs.map((q, i) => [q, found[i]!])));
  }
  return measures.map((m) => {
    switch (m.fn) {
      case "count":
        return counts;
      case "rate":
        return rate(ctx, sel, gid, counts, m.where);
      case "distinct":
        return distinct(ctx, sel, ids(), size, m.of);
      case "p50":
      case "p95":
      case "p99":
        return quantiles.get(dimKey(m.of))!.get(QUANTILE[m.fn])!;
    }
    const key = dimKey(m.of);
    let s = stats.get(key);
    if (s === undefined) stats.set(key, (s = groupStats(ctx, sel, ids(), size, m.of)));
    switch (m.fn) {
      case "sum":
        return s.sum;
      case "avg":
        return s.sum.map((sum, g) => (s.n[g]! > 0 ? sum / s.n[g]! : NaN));
      case "min":
        return s.min.map((v, g) => (s.n[g]! > 0 ? v : NaN));
      case "max":
        return s.max.map((v, g) => (s.n[g]! > 0 ? v : NaN));
    }
  });
}

/** The percentiles asked of each dimension, ascending, so that one gather serves them all. */
function quantileRequests(measures: readonly Measure[]): [Dim, number[]][] {
  const byDim = new Map<string, [Dim, number[]]>();
  for (const m of measures) {
    if (m.fn !== "p50" && m.fn !== "p95" && m.fn !== "p99") continue;
    const key = dimKey(m.of);
    const entry = byDim.get(key) ?? [m.of, []];
    byDim.set(key, entry);
    if (!entry[1].includes(QUANTILE[m.fn])) entry[1].push(QUANTILE[m.fn]);
  }
  for (const [, qs] of byDim.values()) qs.sort((a, b) => a - b);
  return [...byDim.values()];
}

function groupStats(ctx: Context, sel: Selection, gid: Int32Array, size: number, dim: Dim): Stats {
  const s: Stats = {
    sum: new Float64Array(size),
    n: new Float64Array(size),
    min: new Float64Array(size).fill(Infinity),
    max: new Float64Array(size).fill(-Infinity),
  };
  forBlocks(ctx, sel, (block, start, end) => {
    const col = numericColumn(block, dim);
    if (col?.kind === "num") statsNum(col.values, sel.rows, gid, start, end, s);
    else if (col?.kind === "code") statsCode(ctx, col.codes, sel.rows, gid, start, end, s);
  });
  return s;
}

function statsNum(values: Float64Array, rows: Int32Array, gid: Int32Array, start: number, end: number, s: Stats): void {
  const { sum, n, min, max } = s;
  for (let j = start; j < end; j++) {
    const v = values[rows[j]!]!;
    if (v !== v) continue;
    const g = gid[j]!;
    sum[g]! += v;
    n[g]!++;
    if (v < min[g]!) min[g] = v;
    if (v > max[g]!) max[g] = v;
  }
}

function statsCode(ctx: Context, codes: Int32Array, rows: Int32Array, gid: Int32Array, start: number, end: number, s: Stats): void {
  const { sum, n, min, max } = s;
  const numbers = ctx.numbers;
  for (let j = start; j < end; j++) {
    const v = numbers.of(codes[rows[j]!]!);
    if (v !== v) continue;
    const g = gid[j]!;
    sum[g]! += v;
    n[g]!++;
    if (v < min[g]!) min[g] = v;
    if (v > max[g]!) max[g] = v;
  }
}

/** Share of each group's events on which every `where` filter holds. */
function rate(ctx: Context, sel: Selection, gid: Int32Array | null, counts: Float64Array, where: readonly Filter[]): Float64Array {
  const hitsAt = matching(ctx, sel, where);
  const hits = new Float64Array(counts.length);
  if (gid === null) hits[0] = hitsAt.length;
  else countHits(gid, hitsAt, hitsAt.length, hits);
  return hits.map((h, g) => h / counts[g]!);
}

/**
 * The positions of the selected rows on which every filter holds. Kept for
 * the run: panels often share a predicate (the error rate of the cards and
 * of the top endpoints), and the matches are a small fraction of the rows.
 */
function matching(ctx: Context, sel: Selection, where: readonly Filter[]): Int32Array {
  const key = JSON.stringify(where);
  let cache = ctx.matchCache.get(sel);
  if (cache === undefined) ctx.matchCache.set(sel, (cache = new Map()));
  const known = cache.get(key);
  if (known !== undefined) return known;
  const filters = where.map((f) => compileFilter(f, ctx.dict));
  const out = ctx.arena.take("i32", sel.count);
  const identity = ctx.arena.scratch("i32", "identity", longestRun(sel));
  for (let k = 0; k < identity.length; k++) identity[k] = k;
  let found = 0;
  forBlocks(ctx, sel, (block, start, end) => {
    // positions relative to the block's first, so the first filter reads them from `identity`
    const here = out.subarray(found);
    const rows = sel.rows.subarray(start, end);
    let n = end - start;
    let src = identity;
    for (const f of filters) {
      if (n === 0) break;
      n = refine(ctx, f, block, rows, src, here, n);
      src = here;
    }
    if (src === identity) here.set(identity.subarray(0, n)); // no filters
    offset(here, n, start);
    found += n;
  });
  const result = out.subarray(0, found);
  cache.set(key, result);
  return result;
}

function longestRun(sel: Selection): number {
  let longest = 0;
  for (let b = 0; b + 1 < sel.starts.length; b++) longest = Math.max(longest, sel.starts[b + 1]! - sel.starts[b]!);
  return longest;
}

function offset(positions: Int32Array, n: number, by: number): void {
  for (let k = 0; k < n; k++) positions[k]! += by;
}

function countHits(gid: Int32Array, positions: Int32Array, n: number, hits: Float64Array): void {
  for (let k = 0; k < n; k++) hits[gid[positions[k]!]!]!++;
}

/** Distinct present values of `dim` per group; values are the same when their text is. */
function distinct(ctx: Context, sel: Selection, gid: Int32Array, size: number, dim: Dim): Float64Array {
  const vid = ctx.arena.scratch("i32", "distinct", sel.count);
  const labels = new LabelKeys(ctx.dict);
  labelIds(ctx, sel, dim, labels, vid, true);
  const values = labels.labels.length;
  const out = new Float64Array(size);
  if (size * values <= Math.max(1 << 16, 4 * sel.count)) distinctDense(gid, vid, values, new Uint8Array(size * values), out);
  else distinctSparse(gid, vid, values, out);
  return out;
}

// a flag per (group, value) pair while there are not many more pairs than rows
function distinctDense(gid: Int32Array, vid: Int32Array, values: number, seen: Uint8Array, out: Float64Array): void {
  for (let j = 0; j < vid.length; j++) {
    const v = vid[j]!;
    if (v < 0) continue;
    const p = gid[j]! * values + v;
    if (seen[p] === 0) {
      seen[p] = 1;
      out[gid[j]!]!++;
    }
  }
}

function distinctSparse(gid: Int32Array, vid: Int32Array, values: number, out: Float64Array): void {
  const seen = new Set<number>();
  for (let j = 0; j < vid.length; j++) {
    const v = vid[j]!;
    if (v < 0) continue;
    const p = gid[j]! * values + v;
    if (!seen.has(p)) {
      seen.add(p);
      out[gid[j]!]!++;
    }
  }
}

/**
 * Gathers a dimension's numeric values group by group into one Float64Array
 * (prefix offsets from the group counts, one scatter), so that each group's
 * percentiles can be selected in a contiguous range.
 */
import type { Dim } from "../query.ts";
import type { Context, Selection } from "./context.ts";
import { forBlocks, numericColumn } from "./context.ts";
import { BinnedScratch, binnedGroupsFit, binnedQuantiles } from "./binned-quantiles.ts";
import { QuantileScratch, quantilesOf } from "./percentile.ts";
import { valueBins } from "./value-bins.ts";

/**
 * The quantiles `qs` of `dim`'s numeric values in each group:
 * `result[i][g]` is quantile `qs[i]` of group `g`. Absent values are skipped.
 * A null `gid` means one group of everything; `counts` are the groups' event counts.
 */
export function groupQuantiles(
  ctx: Context,
  sel: Selection,
  gid: Int32Array | null,
  counts: Float64Array,
  dim: Dim,
  qs: readonly number[],
): Float64Array[] {
  const size = counts.length;
  const out = qs.map(() => new Float64Array(size));
  if (binnedGroupsFit(size)) {
    binnedQuantiles(valueBins(ctx, sel, dim), gid, size, qs, out, (ctx.binnedScratch ??= new BinnedScratch()));
    return out;
  }
  // more groups than the binned table holds: gid is set, as one group of everything (null) always fits
  const ids = gid!;
  const scratch = (ctx.quantileScratch ??= new QuantileScratch());
  // group counts bound each group's values, so no counting pass: a group's values
  // run from offsets[g] to next[g], and the rest of its room (absent values) stays unused
  const offsets = new Int32Array(size + 1);
  for (let g = 0; g < size; g++) offsets[g + 1] = offsets[g]! + counts[g]!;
  const values = ctx.arena.scratch("f64", "values", sel.count);
  const next = offsets.slice(0, size);
  forBlocks(ctx, sel, (block, start, end) => {
    const col = numericColumn(block, dim);
    if (col?.kind === "num") scatterNum(col.values, sel.rows, ids, start, end, next, values);
    else if (col?.kind === "code") scatterCode(ctx, col.codes, sel.rows, ids, start, end, next, values);
  });
  for (let g = 0; g < size; g++) quantilesOf(values, offsets[g]!, next[g]!, qs, out, g, scratch);
  return out;
}

function scatterNum(values: Float64Array, rows: Int32Array, gid: Int32Array, start: number, end: number, next: Int32Array, out: Float64Array): void {
  for (let j = start; j < end; j++) {
    const v = values[rows[j]!]!;
    if (v === v) out[next[gid[j]!]!++] = v;
  }
}

function scatterCode(ctx: Context, codes: Int32Array, rows: Int32Array, gid: Int32Array, start: number, end: number, next: Int32Array, out: Float64Array): void {
  const numbers = ctx.numbers;
  for (let j = start; j < end; j++) {
    const v = numbers.of(codes[rows[j]!]!);
    if (v === v) out[next[gid[j]!]!++] = v;
  }
}

/**
 * A dimension's numeric values over a selection, gathered once per run and
 * binned: every selected position gets its value (NaN when absent) and the
 * bin of that value among BINS order-preserving bins. The panels of a view
 * ask percentiles of the same dimension under several groupings (overall, per
 * time bucket, per endpoint, per protocol); each then works from these flat
 * arrays (binned-quantiles.ts) instead of gathering and binning again.
 *
 * Bins follow the high 32 bits of a double with the sign folded in, which
 * order doubles on a log-like scale, between the smallest and largest present
 * value: equal-width bins of that key are about equally wide in relative
 * terms, so skewed data such as latencies spreads over many of them.
 */
import type { Dim } from "../query.ts";
import { dimKey, forBlocks, numericColumn, type Context, type Selection } from "./context.ts";

/** Bins per dimension: a power of two; groupings that need fewer merge neighbours. */
export const BIN_BITS = 12;
/** The bin of an absent value: above every real one. */
export const ABSENT_BIN = 0xffff;

const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word

export interface ValueBins {
  /** Per selected position: the value, NaN when absent. Read only. */
  values: Float64Array;
  /** Per selected position: the value's bin in `0 .. 2^BIN_BITS`, or ABSENT_BIN. Read only. */
  bins: Uint16Array;
  /** Present values. */
  present: number;
}

/** `dim`'s values and bins over `sel`, computed on first use in the run. */
export function valueBins(ctx: Context, sel: Selection, dim: Dim): ValueBins {
  let cache = ctx.binCache.get(sel);
  if (cache === undefined) ctx.binCache.set(sel, (cache = new Map()));
  const key = dimKey(dim);
  let found = cache.get(key);
  if (found === undefined) cache.set(key, (found = computeBins(ctx, sel, dim)));
  return found;
}

function computeBins(ctx: Context, sel: Selection, dim: Dim): ValueBins {
  const n = sel.count;
  const values = ctx.arena.take("f64", n);
  const bins = ctx.arena.take("u16", n);
  forBlocks(ctx, sel, (block, start, end) => {
    const col = numericColumn(block, dim);
    if (col?.kind === "num") copyNum(col.values, sel.rows, start, end, values);
    else if (col?.kind === "code") copyCode(ctx, col.codes, sel.rows, start, end, values);
    else values.fill(NaN, start, end);
  });
  const { min: lo, max: hi, present } = rangeOf(values, n);
  if (present === 0) return { values, bins: bins.fill(ABSENT_BIN), present };
  // keys follow values, but -0 and 0 compare equal while their keys differ: the range covers both
  const min = lo === 0 ? key(NEG_ZERO_HIGH) : keyOf(lo);
  const max = hi === 0 ? 0 : keyOf(hi);
  let shift = 0;
  while ((max - min) / 2 ** shift >= 1 << BIN_BITS) shift++;
  const words = new Int32Array(values.buffer, values.byteOffset + 4 * HI, 2 * n - HI);
  binAll(values, words, n, min, shift, bins);
  return { values, bins, present };
}

const NEG_ZERO_HIGH = -0x80000000;
const one = new Float64Array(1);
const oneWords = new Int32Array(one.buffer);

function keyOf(v: number): number {
  one[0] = v;
  return key(oneWords[HI]!);
}

// the hot loops live in small functions of their own, which V8 optimizes early and keeps optimized

function copyNum(src: Float64Array, rows: Int32Array, start: number, end: number, out: Float64Array): void {
  for (let j = start; j < end; j++) out[j] = src[rows[j]!]!;
}

function copyCode(ctx: Context, codes: Int32Array, rows: Int32Array, start: number, end: number, out: Float64Array): void {
  const numbers = ctx.numbers;
  for (let j = start; j < end; j++) out[j] = numbers.of(codes[rows[j]!]!);
}

// the smallest and largest present value, and how many are present
function rangeOf(values: Float64Array, n: number): { min: number; max: number; present: number } {
  let min = Infinity;
  let max = -Infinity;
  let present = 0;
  for (let j = 0; j < n; j++) {
    const v = values[j]!;
    // NaN (absent) fails every compare
    if (v < min) min = v;
    if (v > max) max = v;
    present += +(v === v);
  }
  return { min, max, present };
}

function binAll(values: Float64Array, words: Int32Array, n: number, min: number, shift: number, bins: Uint16Array): void {
  for (let j = 0; j < n; j++) {
    const v = values[j]!;
    // the difference may pass 2^31, so it wraps and is read unsigned
    bins[j] = v !== v ? ABSENT_BIN : ((key(words[2 * j]!) - min) | 0) >>> shift;
  }
}

/** Orders doubles by their high word: negatives reversed and below positives. */
export function key(high: number): number {
  return high ^ ((high >> 31) & 0x7fffffff);
}

/**
 * Exact percentiles by selection, never by sorting everything.
 *
 * The rule is linear interpolation between the two closest ranks, as DuckDB's
 * `quantile_cont`, numpy's default and Excel's PERCENTILE.INC: over the n
 * values sorted ascending (v[0] .. v[n-1]), with pos = q * (n - 1),
 * k = floor(pos) and f = pos - k, the percentile is v[k] + (v[k+1] - v[k]) * f
 * (just v[k] when f = 0). No values: NaN.
 *
 * Larger ranges use a radix select: the high 32 bits of a double, with the
 * sign folded in, order doubles (a log-like scale), so a histogram over their
 * range (taken from a sample) finds the bin holding each wanted rank, and a
 * second pass copies out only those bins' values, where quickselect finishes.
 * Two sequential passes and no data-dependent swapping; small ranges go
 * straight to quickselect.
 */
import { selectKth } from "./select-kth.ts";
import { key } from "./value-bins.ts";

// below this many values quickselect beats two passes and a histogram
const RADIX_MIN = 64;
// from this many values the key range comes from every 16th value
const SAMPLE_FROM = 1024;
const MAX_BINS = 1 << 12; // 16 KB of counts stay in L1; more bins only shrink the already small candidate sets
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word

/** Reusable work space for {@link quantilesOf}, one per run. */
export class QuantileScratch {
  readonly hist = new Int32Array(MAX_BINS);
  /** Bin → index of the wanted bin it is, -1 for the rest. */
  readonly slot = new Int16Array(MAX_BINS).fill(-1);
  candidates = new Float64Array(1024);
  readonly range = new Int32Array(2);
  // per wanted rank (at most two per quantile): the rank, its value, its bin, its rank in the bin
  ranks = new Int32Array(8);
  values = new Float64Array(8);
  bins = new Int32Array(8);
  inBin = new Int32Array(8);
  // per wanted bin: where its values start in `candidates`, and where the next one goes
  starts = new Int32Array(8);
  next = new Int32Array(8);
  private view: Int32Array | null = null;

  /** `a`'s high words: entry `2 * i` is the high word of `a[i]`. Kept while `a` stays the same array. */
  highWords(a: Float64Array): Int32Array {
    const v = this.view;
    if (v !== null && v.buffer === a.buffer && v.byteOffset === a.byteOffset + 4 * HI && v.length === 2 * a.length - HI) return v;
    return (this.view = new Int32Array(a.buffer, a.byteOffset + 4 * HI, 2 * a.length - HI));
  }

  /** Room for `n` wanted ranks. */
  reserve(n: number): void {
    if (this.ranks.length >= n) return;
    this.ranks = new Int32Array(n);
    this.values = new Float64Array(n);
    this.bins = new Int32Array(n);
    this.inBin = new Int32Array(n);
    this.starts = new Int32Array(n);
    this.next = new Int32Array(n);
  }
}

/**
 * Writes the quantiles `qs` (each within 0..1) of `a[lo..hi)` to
 * `out[i][g]`, possibly reordering the range. See the file comment for the rule.
 */
export function quantilesOf(a: Float64Array, lo: number, hi: number, qs: readonly number[], out: Float64Array[], g: number, scratch: QuantileScratch): void {
  const n = hi - lo;
  if (n === 0) {
    for (let i = 0; i < qs.length; i++) out[i]![g] = NaN;
    return;
  }
  // the ranks wanted, ascending and distinct: k, and k + 1 where interpolation needs it
  scratch.reserve(2 * qs.length);
  const ranks = scratch.ranks;
  let count = 0;
  for (let i = 0; i < qs.length; i++) {
    const pos = (n - 1) * qs[i]!;
    const k = Math.floor(pos);
    count = insertRank(ranks, count, k);
    if (pos > k) count = insertRank(ranks, count, k + 1);
  }
  if (n < RADIX_MIN) quickRanks(a, lo, hi, count, scratch);
  else radixRanks(a, lo, hi, count, scratch);
  for (let i = 0; i < qs.length; i++) {
    const pos = (n - 1) * qs[i]!;
    const k = Math.floor(pos);
    const f = pos - k;
    const low = valueAt(scratch, count, k);
    out[i]![g] = f === 0 ? low : low + (valueAt(scratch, count, k + 1) - low) * f;
  }
}

function valueAt(scratch: QuantileScratch, count: number, k: number): number {
  let r = 0;
  while (r < count - 1 && scratch.ranks[r] !== k) r++;
  return scratch.values[r]!;
}

/** Inserts `k` into the ascending `ranks[0..count)` unless there; returns the new count. */
function insertRank(ranks: Int32Array, count: number, k: number): number {
  let i = count;
  while (i > 0 && ranks[i - 1]! > k) i--;
  if (i > 0 && ranks[i - 1] === k) return count;
  for (let j = count; j > i; j--) ranks[j] = ranks[j - 1]!;
  ranks[i] = k;
  return count + 1;
}

// each selection leaves everything above its rank after it, so the next one searches only there
function quickRanks(a: Float64Array, lo: number, hi: number, count: number, scratch: QuantileScratch): void {
  const { ranks, values } = scratch;
  let from = lo;
  for (let r = 0; r < count; r++) {
    const at = lo + ranks[r]!;
    selectKth(a, from, hi, at);
    values[r] = a[at]!;
    from = at;
  }
}

function radixRanks(a: Float64Array, lo: number, hi: number, count: number, scratch: QuantileScratch): void {
  const n = hi - lo;
  const words = scratch.highWords(a);
  // the key range from a sample: values outside it go to the end bins, which therefore stay small
  const range = scratch.range;
  keyRange(words, lo, hi, n >= SAMPLE_FROM ? 16 : 1, range);
  const min = range[0]!;
  const max = range[1]!;
  if (min === max) return quickRanks(a, lo, hi, count, scratch); // nothing to bin on
  const bins = Math.min(MAX_BINS, 1 << Math.ceil(Math.log2(n / 4)));
  let shift = 0;
  while ((max - min) / 2 ** shift >= bins) shift++;
  const { hist, slot, ranks, values, starts, next } = scratch;
  hist.fill(0, 0, Math.floor((max - min) / 2 ** shift) + 1);
  histogram(words, lo, hi, min, max, shift, hist);
  // the bin of each rank and its rank inside the bin; each wanted bin gets a stretch of the candidates
  const binOf = scratch.bins;
  const inBin = scratch.inBin;
  let wanted = 0;
  let total = 0;
  let below = 0;
  let b = 0;
  for (let r = 0; r < count; r++) {
    const k = ranks[r]!;
    while (below + hist[b]! <= k) below += hist[b++]!;
    if (slot[b] === -1) {
      slot[b] = wanted;
      starts[wanted] = next[wanted] = total;
      total += hist[b]!;
      wanted++;
    }
    binOf[r] = b;
    inBin[r] = k - below;
  }
  if (scratch.candidates.length < total) scratch.candidates = new Float64Array(total * 2);
  const cand = scratch.candidates;
  collect(a, words, lo, hi, min, max, shift, slot, cand, next);
  for (let r = 0; r < count; r++) {
    const s = slot[binOf[r]!]!;
    const at = starts[s]! + inBin[r]!;
    selectKth(cand, starts[s]!, next[s]!, at);
    values[r] = cand[at]!;
  }
  for (let r = 0; r < count; r++) slot[binOf[r]!] = -1;
}

// the hot loops live in small functions of their own, which V8 optimizes early and keeps optimized

function keyRange(words: Int32Array, lo: number, hi: number, stride: number, out: Int32Array): void {
  let min = 2147483647;
  let max = -2147483648;
  for (let i = lo; i < hi; i += stride) {
    const k = key(words[2 * i]!);
    if (k < min) min = k;
    if (k > max) max = k;
  }
  out[0] = min;
  out[1] = max;
}

function histogram(words: Int32Array, lo: number, hi: number, min: number, max: number, shift: number, hist: Int32Array): void {
  for (let i = lo; i < hi; i++) hist[bin(key(words[2 * i]!), min, max, shift)]!++;
}

function collect(
  a: Float64Array,
  words: Int32Array,
  lo: number,
  hi: number,
  min: number,
  max: number,
  shift: number,
  slot: Int16Array,
  out: Float64Array,
  next: Int32Array,
): void {
  for (let i = lo; i < hi; i++) {
    const s = slot[bin(key(words[2 * i]!), min, max, shift)]!;
    if (s >= 0) out[next[s]!++] = a[i]!;
  }
}

// keys outside the sampled range clamp to the end bins; the difference may pass 2^31, so it wraps and is read unsigned
function bin(k: number, min: number, max: number, shift: number): number {
  return ((Math.min(Math.max(k, min), max) - min) | 0) >>> shift;
}

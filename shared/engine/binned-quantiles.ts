/**
 * Exact percentiles of every group at once, from a dimension's binned values
 * (value-bins.ts), by the rule of percentile.ts. Two sequential passes over
 * the selection, whatever the number of groups: one counts values per group
 * and bin; the wanted ranks of each group then fall in known bins, and the
 * second pass copies out only those bins' values, where quickselect
 * finishes. Nothing is scattered group by group and no group is scanned on
 * its own, so a percentile per hour of a month costs what one overall does.
 *
 * Groups share the dimension's bins, merged in runs of neighbours so that
 * groups × bins stays a table that fits in cache; with very many groups
 * (users, say) the bins would get too coarse, and {@link binnedGroupsFit}
 * says to take the per-group path instead.
 */
import { ABSENT_BIN, BIN_BITS, type ValueBins } from "./value-bins.ts";
import { selectKth } from "./select-kth.ts";

/** Counters in the group × bin table: 256 KB of Int32, which stays in the core's own cache while counting. */
const TABLE = 1 << 16;
/** Fewer bins per group than this leave candidate sets too large: the per-group path is better. */
const MIN_BINS = 16;

/** Whether {@link binnedQuantiles} suits `groups` groups. */
export function binnedGroupsFit(groups: number): boolean {
  return groups * MIN_BINS <= TABLE;
}

/** Work space kept between calls of a run. */
export class BinnedScratch {
  table = new Int32Array(0);
  slots = new Int32Array(0);
  candidates = new Float64Array(0);

  grow(cells: number, candidates: number): void {
    if (this.table.length < cells) {
      this.table = new Int32Array(cells);
      this.slots = new Int32Array(cells);
    }
    if (this.candidates.length < candidates) this.candidates = new Float64Array(candidates);
  }
}

/**
 * Writes quantile `qs[i]` of group `g`'s present values to `out[i][g]` (NaN
 * for a group without any). `gid` gives each selected position's group,
 * null for one group of everything.
 */
export function binnedQuantiles(vb: ValueBins, gid: Int32Array | null, size: number, qs: readonly number[], out: Float64Array[], scratch: BinnedScratch): void {
  // bins per group: a power of two, as many as the table allows
  // (and for a small selection, not many more cells than values: its candidate sets are small anyway)
  const limit = Math.min(TABLE, Math.max(1 << BIN_BITS, 4 * vb.bins.length));
  let merge = 0;
  while (merge < BIN_BITS && size * ((1 << BIN_BITS) >>> merge) > limit) merge++;
  const per = (1 << BIN_BITS) >>> merge;
  const cells = size * per;
  scratch.grow(cells, 0);
  const table = scratch.table.subarray(0, cells).fill(0);
  if (gid === null) countAll(vb.bins, merge, table);
  else countGroups(vb.bins, gid, merge, per, table);

  // per group and wanted rank: the bin it falls in; each wanted (group, bin) cell gets a run of candidates
  const slots = scratch.slots.subarray(0, cells).fill(-1);
  const ranksPer = 2 * qs.length;
  const rankCell = new Int32Array(size * ranksPer).fill(-1);
  const rankIn = new Int32Array(size * ranksPer);
  const present = new Float64Array(size);
  const runStart: number[] = [];
  let total = 0;
  for (let g = 0; g < size; g++) {
    const row = g * per;
    let n = 0;
    for (let b = 0; b < per; b++) n += table[row + b]!;
    present[g] = n;
    if (n === 0) continue;
    let b = 0;
    let below = 0;
    for (let r = 0; r < ranksPer; r++) {
      const q = qs[r >> 1]!;
      const pos = (n - 1) * q;
      const k = Math.floor(pos) + (r & 1);
      // the upper rank is needed only between ranks; ranks ascend, so the walk goes on from the last bin
      if ((r & 1) === 1 && (pos === Math.floor(pos) || k >= n)) continue;
      if (k < below) {
        b = 0;
        below = 0;
      }
      while (below + table[row + b]! <= k) below += table[row + b++]!;
      const cell = row + b;
      if (slots[cell] === -1) {
        slots[cell] = runStart.length;
        runStart.push(total);
        total += table[cell]!;
      }
      rankCell[g * ranksPer + r] = cell;
      rankIn[g * ranksPer + r] = k - below;
    }
  }

  scratch.grow(0, total);
  const cand = scratch.candidates;
  const next = Int32Array.from(runStart);
  if (gid === null) collectAll(vb.values, vb.bins, merge, slots, cand, next);
  else collectGroups(vb.values, vb.bins, gid, merge, per, slots, cand, next);

  const at = (g: number, r: number): number => {
    const cell = rankCell[g * ranksPer + r]!;
    const s = slots[cell]!;
    const from = runStart[s]!;
    const k = from + rankIn[g * ranksPer + r]!;
    selectKth(cand, from, next[s]!, k);
    return cand[k]!;
  };
  for (let g = 0; g < size; g++) {
    for (let i = 0; i < qs.length; i++) {
      if (rankCell[g * ranksPer + 2 * i] === -1) {
        out[i]![g] = NaN;
        continue;
      }
      const low = at(g, 2 * i);
      out[i]![g] = rankCell[g * ranksPer + 2 * i + 1] === -1 ? low : interpolate(low, at(g, 2 * i + 1), qs[i]!, present[g]!);
    }
  }
}

// the value between ranks k and k + 1 of n values, at pos = (n - 1) * q
function interpolate(low: number, high: number, q: number, n: number): number {
  const pos = (n - 1) * q;
  return low + (high - low) * (pos - Math.floor(pos));
}

// the hot loops live in small functions of their own, which V8 optimizes early and keeps optimized

function countAll(bins: Uint16Array, merge: number, table: Int32Array): void {
  for (let j = 0; j < bins.length; j++) {
    const b = bins[j]!;
    if (b !== ABSENT_BIN) table[b >>> merge]!++;
  }
}

function countGroups(bins: Uint16Array, gid: Int32Array, merge: number, per: number, table: Int32Array): void {
  for (let j = 0; j < bins.length; j++) {
    const b = bins[j]!;
    if (b !== ABSENT_BIN) table[gid[j]! * per + (b >>> merge)]!++;
  }
}

function collectAll(values: Float64Array, bins: Uint16Array, merge: number, slots: Int32Array, out: Float64Array, next: Int32Array): void {
  for (let j = 0; j < bins.length; j++) {
    const b = bins[j]!;
    if (b === ABSENT_BIN) continue;
    const s = slots[b >>> merge]!;
    if (s >= 0) out[next[s]!++] = values[j]!;
  }
}

function collectGroups(values: Float64Array, bins: Uint16Array, gid: Int32Array, merge: number, per: number, slots: Int32Array, out: Float64Array, next: Int32Array): void {
  for (let j = 0; j < bins.length; j++) {
    const b = bins[j]!;
    if (b === ABSENT_BIN) continue;
    const s = slots[gid[j]! * per + (b >>> merge)]!;
    if (s >= 0) out[next[s]!++] = values[j]!;
  }
}

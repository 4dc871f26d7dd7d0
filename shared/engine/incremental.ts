/**
 * Queries kept up to date as events are appended: a live batch of a thousand
 * events updates every result in time proportional to the batch, not to the
 * million events already held, and the results equal a full run's.
 *
 * Each query keeps, per group (found by its key values), the count, the
 * matched events of each rate, and per numeric dimension the running sum,
 * count of values, min, max and, when a percentile asks for it, the values
 * sorted, into which a batch's values are merged. Sums add values one by one
 * in row order, as the full run does, so even they come out bit for bit the
 * same. `distinct` cannot be kept this way; a query with it runs in full.
 */
import type { ColumnBlock, Dictionary } from "../columns.ts";
import type { Dim, KeyColumn, Measure, Query, QueryResult } from "../query.ts";
import { Arena } from "./arena.ts";
import { Context, dimKey, forBlocks, numericColumn, type Selection } from "./context.ts";
import { groupRows } from "./group.ts";
import { computeMeasures } from "./measures.ts";
import { orderGroups, takeRows } from "./order.ts";
import { runQueries } from "./run.ts";
import { selectRows } from "./select.ts";
import { sortDoubles } from "./sort-doubles.ts";

const QUANTILE = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

interface DimState {
  sum: number[];
  n: number[];
  min: number[];
  max: number[];
  /** Per group, its values ascending; null when no percentile of this dimension is asked for. */
  sorted: SortedValues[] | null;
}

/**
 * A group's values ascending, as a large sorted run and a small one: a batch
 * merges into the small run only, and the two are merged once the small one
 * reaches a sixteenth of the large, so a batch costs about what it adds even
 * for a group of a million values.
 */
class SortedValues {
  private base: Float64Array = new Float64Array(0);
  private extra: Float64Array = new Float64Array(0);

  /** Adds `sorted`, ascending; it is copied, never kept. */
  add(sorted: Float64Array): void {
    this.extra = this.extra.length === 0 ? sorted.slice() : mergeSorted(this.extra, sorted);
    if (this.extra.length >= Math.max(1024, this.base.length >> 4)) {
      this.base = mergeSorted(this.base, this.extra);
      this.extra = new Float64Array(0);
    }
  }

  /** The percentile rule of percentile.ts: linear between the two closest ranks. */
  quantile(q: number): number {
    const n = this.base.length + this.extra.length;
    if (n === 0) return NaN;
    const pos = (n - 1) * q;
    const k = Math.floor(pos);
    const f = pos - k;
    const low = this.kth(k);
    return f === 0 ? low : low + (this.kth(k + 1) - low) * f;
  }

  // the k-th smallest (from 0) of both runs: find how many come from `base` by bisection
  private kth(k: number): number {
    const a = this.base;
    const b = this.extra;
    let lo = Math.max(0, k + 1 - b.length);
    let hi = Math.min(k + 1, a.length);
    while (lo < hi) {
      const i = (lo + hi) >> 1;
      if (a[i]! < b[k - i]!) lo = i + 1;
      else hi = i;
    }
    const j = k + 1 - lo;
    if (lo === 0) return b[j - 1]!;
    if (j === 0) return a[lo - 1]!;
    return a[lo - 1]! >= b[j - 1]! ? a[lo - 1]! : b[j - 1]!;
  }
}

/** One query's groups and their accumulators. */
class QueryState {
  private readonly index = new Map<string, number>();
  private readonly keys: Array<{ kind: "time"; values: number[] } | { kind: "label"; values: string[] }> = [];
  private readonly counts: number[] = [];
  private readonly dims = new Map<string, DimState>();
  /** Per measure index, for rates: matched events per group. */
  private readonly hits = new Map<number, number[]>();
  private matched = 0;

  constructor(readonly query: Query) {
    for (const k of query.groupBy ?? []) this.keys.push("bucket" in k ? { kind: "time", values: [] } : { kind: "label", values: [] });
    for (const m of query.measures) {
      if (m.fn === "count" || m.fn === "rate" || m.fn === "distinct") continue;
      const key = dimKey(m.of);
      const dim = this.dims.get(key) ?? { sum: [], n: [], min: [], max: [], sorted: null };
      if (m.fn in QUANTILE) dim.sorted = [];
      this.dims.set(key, dim);
    }
    query.measures.forEach((m, i) => m.fn === "rate" && this.hits.set(i, []));
  }

  /** Adds every event of `ctx`'s blocks that the query selects. */
  absorb(ctx: Context): void {
    const q = this.query;
    const sel = selectRows(ctx, q, q.filters ?? []);
    const groups = groupRows(ctx, sel, q.groupBy ?? [], (q.utcOffsetMinutes ?? 0) * 60_000);
    const to = Int32Array.from({ length: groups.size }, (_, g) => this.groupOf(groups.keys, g));
    this.matched += sel.count;
    for (let g = 0; g < groups.size; g++) this.counts[to[g]!]! += groups.counts[g]!;
    for (const [i, hits] of this.hits) {
      const rates = computeMeasures(ctx, sel, groups.gid, groups.counts, [q.measures[i]!])[0]!;
      // the rate is hits / count of the batch's group, so this gives the whole number back
      for (let g = 0; g < groups.size; g++) if (groups.counts[g]! > 0) hits[to[g]!]! += Math.round(rates[g]! * groups.counts[g]!);
    }
    for (const [key, state] of this.dims) this.absorbValues(ctx, sel, groups.gid, groups.counts, to, key, state);
  }

  /** The result as the full engine would give it over everything absorbed. */
  result(): QueryResult {
    const q = this.query;
    const size = this.counts.length;
    const keys: KeyColumn[] = this.keys.map((k) => (k.kind === "time" ? { kind: "time", values: Float64Array.from(k.values) } : { kind: "label", values: k.values }));
    const measures = q.measures.map((m, i) => this.measure(m, i, size));
    return takeRows(keys, measures, orderGroups(keys, measures, size, q), this.matched);
  }

  private measure(m: Measure, i: number, size: number): Float64Array {
    const counts = this.counts;
    if (m.fn === "count") return Float64Array.from(counts);
    if (m.fn === "rate") {
      const hits = this.hits.get(i)!;
      return Float64Array.from({ length: size }, (_, g) => hits[g]! / counts[g]!);
    }
    const d = this.dims.get(dimKey((m as { of: Dim }).of))!;
    switch (m.fn) {
      case "sum":
        return Float64Array.from(d.sum);
      case "avg":
        return Float64Array.from({ length: size }, (_, g) => (d.n[g]! > 0 ? d.sum[g]! / d.n[g]! : NaN));
      case "min":
        return Float64Array.from({ length: size }, (_, g) => (d.n[g]! > 0 ? d.min[g]! : NaN));
      case "max":
        return Float64Array.from({ length: size }, (_, g) => (d.n[g]! > 0 ? d.max[g]! : NaN));
      default:
        return Float64Array.from(d.sorted!, (values) => values.quantile(QUANTILE[m.fn as keyof typeof QUANTILE]));
    }
  }

  // the state's group for group `g` of a run, made when new
  private groupOf(keys: readonly KeyColumn[], g: number): number {
    const id = keys.map((k) => (k.kind === "time" ? `t${k.values[g]}` : `l${k.values[g]}`)).join("\u0000");
    let at = this.index.get(id);
    if (at !== undefined) return at;
    at = this.counts.length;
    this.index.set(id, at);
    keys.forEach((k, c) => (this.keys[c]!.values as Array<number | string>).push(k.values[g]!));
    this.counts.push(0);
    for (const hits of this.hits.values()) hits.push(0);
    for (const d of this.dims.values()) {
      d.sum.push(0);
      d.n.push(0);
      d.min.push(Infinity);
      d.max.push(-Infinity);
      d.sorted?.push(new SortedValues());
    }
    return at;
  }

  private absorbValues(ctx: Context, sel: Selection, gid: Int32Array | null, counts: Float64Array, to: Int32Array, key: string, d: DimState): void {
    const dim = dimOf(key);
    // the run's groups' values side by side, each group's run bounded by its event count (as gather.ts)
    const offsets = new Int32Array(counts.length + 1);
    for (let g = 0; g < counts.length; g++) offsets[g + 1] = offsets[g]! + counts[g]!;
    const next = offsets.slice(0, counts.length);
    const values = d.sorted ? new Float64Array(sel.count) : null;
    forBlocks(ctx, sel, (block, start, end) => {
      const col = numericColumn(block, dim);
      if (col === null) return;
      for (let j = start; j < end; j++) {
        const row = sel.rows[j]!;
        const v = col.kind === "num" ? col.values[row]! : ctx.numbers.of(col.codes[row]!);
        if (v !== v) continue;
        const at = gid === null ? 0 : gid[j]!;
        const g = to[at]!;
        d.sum[g]! += v;
        d.n[g]!++;
        if (v < d.min[g]!) d.min[g] = v;
        if (v > d.max[g]!) d.max[g] = v;
        if (values !== null) values[next[at]!++] = v;
      }
    });
    if (values === null) return;
    for (let g = 0; g < counts.length; g++) if (next[g]! > offsets[g]!) d.sorted![to[g]!]!.add(sortDoubles(values.subarray(offsets[g]!, next[g]!)));
  }
}

/**
 * The results of `queries`, kept current as rows are appended: build it over
 * every row, then `append` only the new ones. The blocks given are read, not
 * kept; codes must stay what they meant (the dictionary only grows).
 */
export class IncrementalQueries {
  private readonly states: (QueryState | null)[];
  private readonly arena = new Arena();

  constructor(readonly queries: readonly Query[], blocks: readonly ColumnBlock[], dict: Dictionary) {
    this.states = queries.map((q) => (q.measures.some((m) => m.fn === "distinct") ? null : new QueryState(q)));
    this.absorb(blocks, dict);
  }

  /** Adds `fresh`, blocks of the appended rows only; `all` (every row, fresh ones included) serves the queries run in full. */
  append(fresh: readonly ColumnBlock[], all: readonly ColumnBlock[], dict: Dictionary): QueryResult[] {
    this.absorb(fresh, dict);
    return this.results(all, dict);
  }

  /** Every query's result; `all` and `dict` serve the queries run in full. */
  results(all: readonly ColumnBlock[], dict: Dictionary): QueryResult[] {
    const full = this.queries.filter((_, i) => this.states[i] === null);
    const ran = full.length > 0 ? runQueries(all, dict, full) : [];
    let next = 0;
    return this.states.map((s) => (s === null ? ran[next++]! : s.result()));
  }

  private absorb(blocks: readonly ColumnBlock[], dict: Dictionary): void {
    this.arena.reset();
    const ctx = new Context(blocks, dict, this.arena);
    for (const s of this.states) s?.absorb(ctx);
  }
}

/** Rows `from .. to - 1` of `blocks` taken as one list, as views on the same memory (no seqs, times of receipt or ids). */
export function sliceRows(blocks: readonly ColumnBlock[], from: number, to: number): ColumnBlock[] {
  const out: ColumnBlock[] = [];
  let at = 0;
  const none = new Float64Array(0);
  for (const b of blocks) {
    const lo = Math.max(from - at, 0);
    const hi = Math.min(to - at, b.length);
    at += b.length;
    if (hi <= lo) continue;
    const props: ColumnBlock["props"] = {};
    for (const key in b.props) {
      const c = b.props[key]!;
      props[key] = c.kind === "num" ? { kind: "num", values: c.values.subarray(lo, hi) } : { kind: "str", codes: c.codes.subarray(lo, hi) };
    }
    out.push({ length: hi - lo, seq: none, ts: b.ts.subarray(lo, hi), receivedAt: none, type: b.type.subarray(lo, hi), name: b.name.subarray(lo, hi), ids: [], props });
  }
  return out;
}

function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  if (a.length === 0) return b;
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  out.set(a.subarray(i), k);
  out.set(b.subarray(j), k + a.length - i);
  return out;
}

function dimOf(key: string): Dim {
  return key.startsWith(":") ? { field: key.slice(1) as "name" | "type" } : { prop: key.slice(1) };
}

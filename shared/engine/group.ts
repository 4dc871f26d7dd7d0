/**
 * Group ids: the selected rows' key ids combined into one dense id per
 * distinct key tuple. A single key's ids already are group ids. Each further
 * key combines pairwise, `id1 * n2 + id2`, through a flat table while
 * `n1 * n2` stays modest (about the row count) and through a Map beyond.
 */
import type { GroupKey, KeyColumn } from "../query.ts";
import type { Context, Selection } from "./context.ts";
import { countIds, keyIds } from "./keys.ts";

/** Every selected row's group, and the key values of each group. */
export interface Groups {
  /** Group id per selected position; null for the one group of an ungrouped query. Read only. */
  gid: Int32Array | null;
  size: number;
  /** One column per group-by key, `size` entries each. */
  keys: KeyColumn[];
  /** Events per group. */
  counts: Float64Array;
}

/** Assigns each selected row to its group; no keys make one group of everything. */
export function groupRows(ctx: Context, sel: Selection, groupBy: readonly GroupKey[], offsetMs: number): Groups {
  if (groupBy.length === 0) return { gid: null, size: 1, keys: [], counts: Float64Array.of(sel.count) };
  const first = keyIds(ctx, sel, groupBy[0]!, offsetMs);
  let gid = first.ids;
  let size = first.size;
  let counts = first.counts;
  // per key: group id → that key's id
  let members: Int32Array[] = [Int32Array.from({ length: size }, (_, i) => i)];
  const columns = [first.column];
  for (const key of groupBy.slice(1)) {
    const next = keyIds(ctx, sel, key, offsetMs);
    // key ids are shared between queries, so the combined ids go to a work array (safe to combine in place)
    const pairs = combine(gid, size, next.ids, next.size, ctx.arena.scratch("i32", "gid", sel.count));
    members = members.map((m) => Int32Array.from(pairs.left, (g) => m[g]!));
    members.push(pairs.right);
    columns.push(next.column);
    gid = pairs.gid;
    size = pairs.left.length;
    counts = pairs.counts;
  }
  return { gid, size, keys: columns.map((c, k) => pick(c, members[k]!)), counts: counts ?? (first.counts = countIds(gid, size)) };
}

interface Pairs {
  gid: Int32Array;
  /** New group → its id in `a` and in `b`. */
  left: Int32Array;
  right: Int32Array;
  counts: Float64Array;
}

function combine(a: Int32Array, na: number, b: Int32Array, nb: number, out: Int32Array): Pairs {
  const left: number[] = [];
  const right: number[] = [];
  if (na * nb <= Math.max(1 << 16, 2 * a.length)) {
    const table = new Int32Array(na * nb).fill(-1);
    let j = 0;
    while (j < a.length) {
      j = knownPairs(a, b, nb, table, out, j);
      if (j === a.length) break;
      // a pair not seen yet; read before writing, as `out` may be `a` (combining a third key in place)
      const x = a[j]!;
      const y = b[j]!;
      out[j++] = table[x * nb + y] = left.length;
      left.push(x);
      right.push(y);
    }
  } else combineSparse(a, b, nb, out, left, right);
  // counted in a loop of their own: V8 runs the lookup and the count faster apart than fused
  return { gid: out, left: Int32Array.from(left), right: Int32Array.from(right), counts: countIds(out, left.length) };
}

// the common case as a small leaf loop of its own, which V8 keeps tight: pairs already in the table
function knownPairs(a: Int32Array, b: Int32Array, nb: number, table: Int32Array, out: Int32Array, j: number): number {
  for (; j < a.length; j++) {
    const id = table[a[j]! * nb + b[j]!]!;
    if (id < 0) break;
    out[j] = id;
  }
  return j;
}

function combineSparse(a: Int32Array, b: Int32Array, nb: number, out: Int32Array, left: number[], right: number[]): void {
  const map = new Map<number, number>();
  for (let j = 0; j < a.length; j++) {
    const x = a[j]!;
    const y = b[j]!;
    const p = x * nb + y;
    let id = map.get(p);
    if (id === undefined) {
      map.set(p, (id = left.length));
      left.push(x);
      right.push(y);
    }
    out[j] = id;
  }
}

function pick(column: KeyColumn, ids: Int32Array): KeyColumn {
  if (column.kind === "time") return { kind: "time", values: Float64Array.from(ids, (i) => column.values[i]!) };
  return { kind: "label", values: Array.from(ids, (i) => column.values[i]!) };
}

/**
 * The first pass of every query: the rows within the time range and of the
 * asked-for types (the base selection), and those of them on which every
 * filter holds. When panels of a view share a base, a filtered panel narrows
 * the shared base instead of scanning times again. Loops write every row and
 * advance past the kept ones, tests joined by `&`, so they do not branch on
 * the data.
 */
import { EVENT_TYPES } from "../event.ts";
import type { Filter, Query } from "../query.ts";
import type { Context, Selection } from "./context.ts";
import { compileFilter, refine } from "./filter.ts";

/**
 * The rows of `ctx.blocks` within the query's range, of its types and, when
 * given, passing every filter. Filters narrow each block's candidates right
 * after they are found, while those are still in cache.
 */
export function selectRows(ctx: Context, query: Pick<Query, "range" | "types">, filters: readonly Filter[] = []): Selection {
  const { blocks } = ctx;
  const starts = new Int32Array(blocks.length + 1);
  const rows = ctx.arena.take("i32", totalRows(ctx));
  const from = query.range?.from ?? -Infinity;
  const to = query.range?.to ?? Infinity;
  const allTypes = query.types === undefined;
  const types = Uint8Array.from(EVENT_TYPES, (t) => (allTypes || query.types!.includes(t) ? 1 : 0));
  const everything = query.range === undefined && allTypes;
  const compiled = filters.map((f) => compileFilter(f, ctx.dict));
  const identity = compiled.length > 0 ? identityRows(ctx) : null;
  let count = 0;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    const start = count;
    starts[b] = start;
    if (everything) count = all(block.length, rows, count);
    else if (allTypes) count = inRange(block.ts, block.length, from, to, rows, count);
    else count = inRangeOfType(block.ts, block.type, block.length, from, to, types, rows, count);
    if (identity !== null) {
      const here = rows.subarray(start);
      let n = count - start;
      for (const f of compiled) if (n > 0) n = refine(ctx, f, block, identity, here, here, n);
      count = start + n;
    }
  }
  starts[blocks.length] = count;
  return { rows, starts, count };
}

/** The rows of `base` on which every filter holds. */
export function narrow(ctx: Context, base: Selection, filters: readonly Filter[]): Selection {
  const compiled = filters.map((f) => compileFilter(f, ctx.dict));
  const { blocks } = ctx;
  const starts = new Int32Array(blocks.length + 1);
  const rows = ctx.arena.take("i32", base.count);
  const identity = identityRows(ctx);
  let count = 0;
  for (let b = 0; b < blocks.length; b++) {
    starts[b] = count;
    let n = base.starts[b + 1]! - base.starts[b]!;
    let src = base.rows.subarray(base.starts[b]!);
    const dst = rows.subarray(count);
    for (const f of compiled) {
      if (n === 0) break;
      n = refine(ctx, f, blocks[b]!, identity, src, dst, n);
      src = dst;
    }
    if (src !== dst) dst.set(src.subarray(0, n)); // no filters
    count += n;
  }
  starts[blocks.length] = count;
  return { rows, starts, count };
}

// filters look rows up through a list of positions; for a selection the positions are the rows themselves
function identityRows(ctx: Context): Int32Array {
  let longest = 0;
  for (const block of ctx.blocks) longest = Math.max(longest, block.length);
  const identity = ctx.arena.scratch("i32", "identity", longest);
  for (let r = 0; r < longest; r++) identity[r] = r;
  return identity;
}

function totalRows(ctx: Context): number {
  let total = 0;
  for (const block of ctx.blocks) total += block.length;
  return total;
}

function all(n: number, rows: Int32Array, at: number): number {
  for (let r = 0; r < n; r++) rows[at++] = r;
  return at;
}

function inRange(ts: Float64Array, n: number, from: number, to: number, rows: Int32Array, at: number): number {
  for (let r = 0; r < n; r++) {
    const t = ts[r]!;
    rows[at] = r;
    at += +(t >= from) & +(t < to);
  }
  return at;
}

function inRangeOfType(ts: Float64Array, type: Uint8Array, n: number, from: number, to: number, types: Uint8Array, rows: Int32Array, at: number): number {
  for (let r = 0; r < n; r++) {
    const t = ts[r]!;
    rows[at] = r;
    at += +(t >= from) & +(t < to) & types[type[r]!]!;
  }
  return at;
}

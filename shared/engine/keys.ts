/**
 * One group-by key, turned into a dense id per selected row plus the key
 * value each id stands for. Time keys go through bucket indices (see
 * buckets.ts), names, types and props through label ids (see labels.ts).
 * Everything is resolved per block before its loop, so each loop reads one
 * typed array and one table. Each id's row count comes along, as group
 * counts for a one-key group-by.
 */
import { EVENT_TYPES } from "../event.ts";
import type { Dim, GroupKey, KeyColumn } from "../query.ts";
import { bucketIds, bucketStart } from "./buckets.ts";
import { dimKey, forBlocks, type Context, type Selection } from "./context.ts";
import { IntKeys } from "./int-keys.ts";
import { LabelKeys } from "./labels.ts";

/** Dense ids of one key for every selected row, and the key value of each id. */
export interface KeyIds {
  /** Per selected position. */
  ids: Int32Array;
  /** Ids run from 0 to `size - 1`. */
  size: number;
  /** `size` entries: the key value of each id. */
  column: KeyColumn;
  /** `size` entries: how many rows have each id, where that came for free; see {@link countIds}. */
  counts: Float64Array | null;
}

/**
 * Maps every selected row to a dense id of `key`'s value. The result is
 * shared by later queries of the run over the same selection: read it, never
 * write to it.
 */
export function keyIds(ctx: Context, sel: Selection, key: GroupKey, offsetMs: number): KeyIds {
  const name = "bucket" in key ? `${key.bucket}@${key.bucket === "minute" || key.bucket === "5m" || key.bucket === "hour" ? 0 : offsetMs}` : dimKey(key);
  let cache = ctx.keyCache.get(sel);
  if (cache === undefined) ctx.keyCache.set(sel, (cache = new Map()));
  let found = cache.get(name);
  if (found === undefined) cache.set(name, (found = computeKeyIds(ctx, sel, key, offsetMs)));
  return found;
}

function computeKeyIds(ctx: Context, sel: Selection, key: GroupKey, offsetMs: number): KeyIds {
  const ids = ctx.arena.take("i32", sel.count);
  if ("bucket" in key) {
    const keys = new IntKeys();
    const tally: number[] = [];
    forBlocks(ctx, sel, (block, start, end) => bucketIds(key.bucket, offsetMs, block.ts, sel.rows, start, end, keys, ids, tally));
    const values = Float64Array.from(keys.keys, (k) => bucketStart(key.bucket, offsetMs, k));
    return { ids, size: keys.keys.length, column: { kind: "time", values }, counts: Float64Array.from(tally) };
  }
  const labels = new LabelKeys(ctx.dict);
  labelIds(ctx, sel, key, labels, ids);
  const size = labels.labels.length;
  return { ids, size, column: { kind: "label", values: labels.labels }, counts: null };
}

/** How many times each id in `0..size` occurs in `ids`. */
export function countIds(ids: Int32Array, size: number): Float64Array {
  // integer counters: a run of one id chains each increment to the last, and an int add is the short link
  const counts = new Int32Array(size);
  for (let j = 0; j < ids.length; j++) counts[ids[j]!]!++;
  return Float64Array.from(counts);
}

/**
 * Writes the label id of every selected row's `dim` value to `out`, absent
 * values included (as NONE_LABEL); `skipAbsent` writes -1 for those instead.
 */
export function labelIds(
  ctx: Context,
  sel: Selection,
  dim: Dim,
  labels: LabelKeys,
  out: Int32Array,
  skipAbsent = false,
): void {
  const types = new Int32Array(EVENT_TYPES.length).fill(-1);
  forBlocks(ctx, sel, (block, start, end) => {
    if ("field" in dim) {
      if (dim.field === "name") codeIds(block.name, sel.rows, start, end, labels, out, false);
      else typeIds(block.type, sel.rows, start, end, types, labels, out);
      return;
    }
    const col = block.props[dim.prop];
    if (col === undefined) out.fill(skipAbsent ? -1 : labels.ofCode(-1), start, end);
    else if (col.kind === "str") codeIds(col.codes, sel.rows, start, end, labels, out, skipAbsent);
    else numIds(col.values, sel.rows, start, end, labels, out, skipAbsent);
  });
}

// a type's label id is looked up once per type, not once per row
function typeIds(types: Uint8Array, rows: Int32Array, start: number, end: number, table: Int32Array, labels: LabelKeys, out: Int32Array): void {
  for (let j = start; j < end; j++) {
    const t = types[rows[j]!]!;
    let id = table[t]!;
    if (id < 0) id = table[t] = labels.ofLabel(EVENT_TYPES[t] ?? "");
    out[j] = id;
  }
}

function codeIds(codes: Int32Array, rows: Int32Array, start: number, end: number, labels: LabelKeys, out: Int32Array, skipAbsent: boolean): void {
  let j = start;
  while (j < end) {
    j = knownCodeIds(codes, rows, j, end, labels.codeIds, out);
    if (j === end) break;
    // a code not seen yet (or absent, when absent values are skipped)
    const c = codes[rows[j]!]!;
    out[j++] = skipAbsent && c < 0 ? -1 : labels.ofCode(c);
  }
}

// the common case as a small leaf loop of its own, which V8 keeps tight: codes already in the table
function knownCodeIds(codes: Int32Array, rows: Int32Array, j: number, end: number, table: Int32Array, out: Int32Array): number {
  for (; j < end; j++) {
    const id = table[codes[rows[j]!]! + 1]!;
    if (id < 0) break;
    out[j] = id;
  }
  return j;
}

function numIds(values: Float64Array, rows: Int32Array, start: number, end: number, labels: LabelKeys, out: Int32Array, skipAbsent: boolean): void {
  for (let j = start; j < end; j++) {
    const v = values[rows[j]!]!;
    out[j] = skipAbsent && v !== v ? -1 : labels.ofNumber(v);
  }
}

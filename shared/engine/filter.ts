/**
 * Filters, compiled once per query and evaluated block by block. Compiling
 * resolves filter values to dictionary codes (a value missing from the
 * dictionary simply matches nothing) and to the numbers they equal, so the
 * per-row work is an array read and a compare. Evaluation narrows a list of
 * positions filter by filter, one tight loop per filter and column kind.
 *
 * Semantics: `in` compares text (a number's text is String(n)), so "500"
 * matches both a numeric 500 and the text "500"; an event without the
 * prop never matches `in` and always matches `notIn` (the two are
 * complements). `present` tests for a value at all. A range is `min <= x < max` over numeric values (numeric
 * columns, and text that parses as a number); events without one never match.
 */
import { EVENT_TYPES } from "../event.ts";
import { propText, type ColumnBlock, type Dictionary } from "../columns.ts";
import type { Dim, Filter } from "../query.ts";
import type { Context } from "./context.ts";
import { numberWithText } from "./values.ts";

/** A filter resolved against the dictionary. */
export type CompiledFilter =
  | {
      kind: "set";
      dim: Dim;
      /** 1 for `notIn`: `codes` and `types` come flipped already; the test against `nums` flips at run time. */
      invert: number;
      /** Slot `code + 1` says whether a text code matches; slot 0 is for ABSENT. */
      codes: Uint8Array;
      /** Per EVENT_TYPES index. */
      types: Uint8Array;
      /** The numbers whose text is one of the values, for numeric columns. */
      nums: Float64Array;
    }
  | { kind: "range"; dim: Dim; min: number; max: number }
  /** `flip` 0 keeps rows with a value, 1 rows without. */
  | { kind: "present"; dim: Dim; flip: number };

/** Resolves a filter's values once, for evaluation over many blocks. */
export function compileFilter(filter: Filter, dict: Dictionary): CompiledFilter {
  if ("in" in filter || "notIn" in filter) {
    const values = "in" in filter ? filter.in : filter.notIn;
    const invert = "in" in filter ? 0 : 1;
    const texts = new Set(values.map(propText));
    const codes = new Uint8Array(dict.values.length + 1);
    for (const text of texts) {
      const code = dict.index.get(text);
      if (code !== undefined) codes[code + 1] = 1;
    }
    if (invert) for (let i = 0; i < codes.length; i++) codes[i]! ^= 1;
    const types = Uint8Array.from(EVENT_TYPES, (t) => (texts.has(t) ? 1 : 0) ^ invert);
    const nums = Float64Array.from([...texts].map(numberWithText).filter((n) => !Number.isNaN(n)));
    return { kind: "set", dim: filter.dim, invert, codes, types, nums };
  }
  if ("present" in filter) return { kind: "present", dim: filter.dim, flip: filter.present ? 0 : 1 };
  return { kind: "range", dim: filter.dim, min: filter.min ?? -Infinity, max: filter.max ?? Infinity };
}

/**
 * Copies to the front of `dst` those of the positions `src[0..n)` whose row
 * (`rows[pos]` of `block`) passes `filter`; returns how many. `dst` may be
 * `src`. Each loop writes every position and advances only past the kept
 * ones, and tests combine with `&` rather than `&&` (which V8 compiles to
 * branches), so it has no branch to mispredict whatever the selectivity.
 */
export function refine(ctx: Context, filter: CompiledFilter, block: ColumnBlock, rows: Int32Array, src: Int32Array, dst: Int32Array, n: number): number {
  const dim = filter.dim;
  if (filter.kind === "set") {
    if ("field" in dim) return dim.field === "name" ? codeSet(block.name, filter.codes, rows, src, dst, n) : typeSet(block.type, filter.types, rows, src, dst, n);
    const col = block.props[dim.prop];
    if (col === undefined) return filter.invert === 1 ? copy(src, dst, n) : 0; // absent everywhere
    if (col.kind === "str") return codeSet(col.codes, filter.codes, rows, src, dst, n);
    return numSet(col.values, filter.nums, filter.invert, rows, src, dst, n);
  }
  if (filter.kind === "present") {
    // every event has a name and a type; an absent prop has no column in the block, or ABSENT codes / NaN in it
    const col = "field" in dim ? undefined : block.props[dim.prop];
    if (col === undefined) return ("field" in dim ? 1 - filter.flip : filter.flip) === 1 ? copy(src, dst, n) : 0;
    return col.kind === "str" ? codePresent(col.codes, filter.flip, rows, src, dst, n) : numPresent(col.values, filter.flip, rows, src, dst, n);
  }
  if ("field" in dim) return dim.field === "name" ? codeRange(ctx, block.name, filter.min, filter.max, rows, src, dst, n) : 0; // a type is never a number
  const col = block.props[dim.prop];
  if (col === undefined) return 0;
  if (col.kind === "num") return numRange(col.values, filter.min, filter.max, rows, src, dst, n);
  return codeRange(ctx, col.codes, filter.min, filter.max, rows, src, dst, n);
}

function codeSet(codes: Int32Array, set: Uint8Array, rows: Int32Array, src: Int32Array, dst: Int32Array, n: number): number {
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const p = src[k]!;
    dst[kept] = p;
    kept += set[codes[rows[p]!]! + 1]!;
  }
  return kept;
}

function typeSet(types: Uint8Array, set: Uint8Array, rows: Int32Array, src: Int32Array, dst: Int32Array, n: number): number {
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const p = src[k]!;
    dst[kept] = p;
    kept += set[types[rows[p]!]!]!;
  }
  return kept;
}

function numSet(values: Float64Array, nums: Float64Array, invert: number, rows: Int32Array, src: Int32Array, dst: Int32Array, n: number): number {
  const m = nums.length;
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const p = src[k]!;
    const v = values[rows[p]!]!;
    let hit = 0;
    for (let i = 0; i < m; i++) {
      if (nums[i] === v) {
        hit = 1;
        break;
      }
    }
    dst[kept] = p;
    kept += hit ^ invert;
  }
  return kept;
}

function numRange(values: Float64Array, min: number, max: number, rows: Int32Array, src: Int32Array, dst: Int32Array, n: number): number {
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const p = src[k]!;
    const v = values[rows[p]!]!;
    dst[kept] = p;
    kept += +(v >= min) & +(v < max); // NaN (absent) fails
  }
  return kept;
}

function codeRange(ctx: Context, codes: Int32Array, min: number, max: number, rows: Int32Array, src: Int32Array, dst: Int32Array, n: number): number {
  const numbers = ctx.numbers;
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const p = src[k]!;
    const v = numbers.of(codes[rows[p]!]!);
    dst[kept] = p;
    kept += +(v >= min) & +(v < max);
  }
  return kept;
}

function codePresent(codes: Int32Array, flip: number, rows: Int32Array, src: Int32Array, dst: Int32Array, n: number): number {
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const p = src[k]!;
    dst[kept] = p;
    kept += +(codes[rows[p]!]! >= 0) ^ flip;
  }
  return kept;
}

function numPresent(values: Float64Array, flip: number, rows: Int32Array, src: Int32Array, dst: Int32Array, n: number): number {
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const p = src[k]!;
    const v = values[rows[p]!]!;
    dst[kept] = p;
    kept += +(v === v) ^ flip;
  }
  return kept;
}

function copy(src: Int32Array, dst: Int32Array, n: number): number {
  if (src !== dst) dst.set(src.subarray(0, n));
  return n;
}

/**
 * How a segment's columns are narrowed for storage and widened back. A cold
 * open reads every stored byte, so the stored form is as small as a lossless
 * fixed-width layout allows, while widening back is mostly native conversion:
 *
 * - dictionary codes (names, text props) as 8- or 16-bit signed integers
 *   whenever the segment's largest code fits, else Int32; ABSENT stays -1;
 * - integers (times, seqs, props such as status) and decimals of up to
 *   three places that round-trip exactly (latencies) as 8-, 16- or 32-bit
 *   unsigned values: as they are when small and non-negative, else as
 *   offsets from the segment's smallest value; with absent values present,
 *   the width's top value stands for NaN; any other number stays Float64.
 *
 * Stored typed arrays keep their type through IndexedDB's structured clone,
 * so the width is the array's own type and needs no tag.
 */
import type { PropColumn } from "../../../shared/columns.ts";

/** Dictionary codes as stored: the narrowest signed array holding them, so ABSENT (-1) stays -1. */
export type PackedCodes = Int8Array | Int16Array | Int32Array;

/**
 * Numbers as stored: Float64 as they are, or unsigned integers `data[i]`
 * standing for `(base + data[i]) / scale`, where `scale` is 1 for integers
 * and 10, 100 or 1000 for decimals that round-trip exactly (latencies such as
 * 12.3 ms); when `absent` is set, the type's top value stands for NaN.
 */
export type PackedNumbers = { base: number; scale: number; absent: boolean; data: Float64Array } | { base: number; scale: number; absent: boolean; data: Uint8Array | Uint16Array | Uint32Array };

export type PackedProp = { kind: "num"; values: PackedNumbers } | { kind: "str"; codes: PackedCodes };

// Widening goes through the typed-array constructors, which convert natively: a
// cold open widens ~10 million values before its first query, before any JS loop is hot.

/** Codes as stored in the smallest array that holds them. */
export function packCodes(codes: Int32Array): PackedCodes {
  let max = -1;
  for (let i = 0; i < codes.length; i++) if (codes[i]! > max) max = codes[i]!;
  return max <= 0x7f ? new Int8Array(codes) : max <= 0x7fff ? new Int16Array(codes) : codes.slice();
}

/** The codes back as Int32. */
export function unpackCodes(packed: PackedCodes): Int32Array {
  return packed instanceof Int32Array ? packed : new Int32Array(packed);
}

/** Numbers as stored in the smallest layout that gives every value back exactly. */
export function packNumbers(values: Float64Array): PackedNumbers {
  const raw = { base: 0, scale: 1, absent: false, data: values.slice() };
  const scale = exactScale(values);
  if (scale === 0) return raw;
  let min = Infinity;
  let max = -Infinity;
  let absent = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) {
      absent = true;
      continue;
    }
    const n = Math.round(v * scale);
    if (n < min) min = n;
    if (n > max) max = n;
  }
  if (min === Infinity) return { base: 0, scale: 1, absent: true, data: new Uint8Array(values.length).fill(0xff) };
  // small non-negative values need no base, so widening them is one native conversion
  const base = min >= 0 && max < 0xffffffff ? 0 : min;
  const span = max - base;
  // with absent values, the top value of each width stands for NaN, so the span must stay below it
  const top = absent ? 1 : 0;
  const data = span <= 0xff - top ? new Uint8Array(values.length) : span <= 0xffff - top ? new Uint16Array(values.length) : span <= 0xffffffff - top ? new Uint32Array(values.length) : null;
  if (data === null) return raw;
  const sentinel = topOf(data);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    data[i] = v !== v ? sentinel : Math.round(v * scale) - base;
  }
  return { base, scale, absent, data };
}

/** The numbers back as Float64 (absent as NaN). */
export function unpackNumbers(packed: PackedNumbers): Float64Array {
  const { base, scale, absent, data } = packed;
  if (data instanceof Float64Array) return data;
  const out = new Float64Array(data);
  if (scale !== 1) for (let i = 0; i < out.length; i++) out[i] = (out[i]! + base) / scale;
  else if (base !== 0) for (let i = 0; i < out.length; i++) out[i]! += base;
  if (absent) {
    const sentinel = topOf(data);
    for (let i = 0; i < data.length; i++) if (data[i] === sentinel) out[i] = NaN;
  }
  return out;
}

/**
 * The smallest of 1, 10, 100, 1000 that turns every present value into a
 * safe integer from which division gives the very same double back; 0 when
 * none does (or a value is -0, which an integer cannot carry).
 */
function exactScale(values: Float64Array): number {
  for (const scale of [1, 10, 100, 1000]) {
    let exact = true;
    for (let i = 0; i < values.length && exact; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      const n = Math.round(v * scale);
      exact = Number.isSafeInteger(n) && n / scale === v && !Object.is(v, -0);
    }
    if (exact) return scale;
  }
  return 0;
}

export function packProp(column: PropColumn): PackedProp {
  return column.kind === "num" ? { kind: "num", values: packNumbers(column.values) } : { kind: "str", codes: packCodes(column.codes) };
}

export function unpackProp(packed: PackedProp): PropColumn {
  return packed.kind === "num" ? { kind: "num", values: unpackNumbers(packed.values) } : { kind: "str", codes: unpackCodes(packed.codes) };
}

function topOf(data: Uint8Array | Uint16Array | Uint32Array): number {
  return data instanceof Uint8Array ? 0xff : data instanceof Uint16Array ? 0xffff : 0xffffffff;
}

/**
 * How prop values compare when a prop is numeric in one block and text in
 * another. Equality and labels go through text, where a number's text is
 * `String(n)`: that is exactly what encodeBlock stores for a number that lands
 * in a string column, so the same event compares the same in either kind of
 * block. Numeric operations (ranges, sums, percentiles) read text through one
 * parse rule, {@link numberOfText}.
 */
import type { Dictionary } from "../columns.ts";

/** The group label of events that lack the grouped prop. A real value "(none)" shares the group. */
export const NONE_LABEL = "(none)";

// plain decimal notation only: no blanks, hex, "Infinity" or empty text
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number a text denotes, or NaN. Only decimal notation counts ("42",
 * "-1.5", "2e3", "1e+21"), so "", " 7", "0x10" and "Infinity" are not numbers.
 */
export function numberOfText(text: string): number {
  if (!DECIMAL.test(text)) return NaN;
  const n = Number(text);
  return Number.isFinite(n) ? n : NaN;
}

/**
 * The number whose text is exactly `text` (`String(n) === text`), or NaN. A
 * filter value "500" matches a numeric 500 this way, and "500.0" does not,
 * just as it would not match the text "500" in a string column.
 */
export function numberWithText(text: string): number {
  const n = Number(text);
  return String(n) === text ? n : NaN;
}

/**
 * Numeric values of dictionary codes, parsed on first use. Only the codes a
 * query actually meets get parsed, so a large dictionary costs two zeroed
 * arrays and nothing more.
 */
export class DictNumbers {
  private readonly values: Float64Array;
  private readonly known: Uint8Array;

  constructor(private readonly dict: Dictionary) {
    this.values = new Float64Array(dict.values.length);
    this.known = new Uint8Array(dict.values.length);
  }

  /** The number of code `code`'s text, NaN when it is not a number or the code is ABSENT. */
  of(code: number): number {
    if (code < 0) return NaN;
    if (this.known[code] === 1) return this.values[code]!;
    const n = numberOfText(this.dict.values[code] ?? "");
    this.values[code] = n;
    this.known[code] = 1;
    return n;
  }
}

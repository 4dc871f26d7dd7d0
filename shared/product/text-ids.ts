/**
 * Dense ids for prop values read as text: the Product view compares users,
 * experiments and variants by their text, so the numeric 42 of one block and
 * the text "42" of another (String(n), as encodeBlock stores a number in a
 * string column) are one id. Ids are handed out in first-seen order, which
 * keeps per-id arrays as small as the values actually met.
 *
 * A dictionary holds each text once, so for string columns the code is the
 * text: ids go through an Int32Array table by code and no string is hashed
 * (a workspace has 100,000 users; hashing their texts on every run cost more
 * than the rest of the pass). Only numbers are turned into text, once each,
 * and looked up in the dictionary; a number whose text it lacks gets an id
 * of its own.
 */
import type { Dictionary, PropColumn } from "../columns.ts";

const UNSEEN = -2;

/** Dense ids of the texts met in one prop; see the file comment. */
export class TextIds {
  /** Slot `code + 1` → id; slot 0 (ABSENT) holds -1, codes not met yet {@link UNSEEN}. */
  private readonly codeIds: Int32Array;
  /** Id → dictionary code, or -1 for a text the dictionary lacks. */
  private readonly codeOf: number[] = [];
  private readonly extraText = new Map<number, string>();
  private readonly extraByText = new Map<string, number>();
  private readonly numIds = new Map<number, number>();

  constructor(private readonly dict: Dictionary) {
    this.codeIds = new Int32Array(dict.values.length + 1).fill(UNSEEN);
    this.codeIds[0] = -1;
  }

  /** Ids run from 0 to `size - 1`. */
  get size(): number {
    return this.codeOf.length;
  }

  /** The text of id `id`. */
  text(id: number): string {
    const code = this.codeOf[id]!;
    return code >= 0 ? this.dict.values[code]! : this.extraText.get(id)!;
  }

  /** The id of `text` when it has been met, else -1. */
  find(text: string): number {
    const code = this.dict.index.get(text);
    if (code !== undefined) return Math.max(-1, this.codeIds[code + 1]!);
    return this.extraByText.get(text) ?? -1;
  }

  /** The id of dictionary code `code` (not ABSENT), assigning the next one when new. */
  ofCode(code: number): number {
    const id = this.codeIds[code + 1]!;
    if (id !== UNSEEN) return id;
    this.codeOf.push(code);
    return (this.codeIds[code + 1] = this.codeOf.length - 1);
  }

  /** The id of a number's text, String(value); -1 for NaN (absent). */
  ofNumber(value: number): number {
    if (value !== value) return -1;
    let id = this.numIds.get(value);
    if (id === undefined) {
      const text = String(value);
      const code = this.dict.index.get(text);
      if (code !== undefined) id = this.ofCode(code);
      else {
        id = this.extraByText.get(text);
        if (id === undefined) {
          id = this.codeOf.length;
          this.codeOf.push(-1);
          this.extraText.set(id, text);
          this.extraByText.set(text, id);
        }
      }
      this.numIds.set(value, id);
    }
    return id;
  }

  /**
   * Writes the id of `col`'s value at row `rows[k]` to `out[k]` for `k` in
   * `0..n`; -1 where the row has no value (or the block no column).
   */
  read(col: PropColumn | undefined, rows: Int32Array, n: number, out: Int32Array): void {
    if (col === undefined) out.fill(-1, 0, n);
    else if (col.kind === "str") this.readCodes(col.codes, rows, n, out);
    else for (let k = 0; k < n; k++) out[k] = this.ofNumber(col.values[rows[k]!]!);
  }

  private readCodes(codes: Int32Array, rows: Int32Array, n: number, out: Int32Array): void {
    const table = this.codeIds;
    for (let k = 0; k < n; k++) {
      const c = codes[rows[k]!]!;
      const id = table[c + 1]!;
      out[k] = id !== UNSEEN ? id : this.ofCode(c);
    }
  }
}

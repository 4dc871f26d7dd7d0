/**
 * Label ids for name and prop values: dense, first-seen ids keyed by label
 * text, so that a numeric 500 in one block and the text "500" in another are
 * one key. Dictionary codes hit an Int32Array table and integers an offset
 * table, so the per-row cost is an array read; the text is only built the
 * first time a code or number is seen.
 */
import type { Dictionary } from "../columns.ts";
import { IntKeys } from "./int-keys.ts";
import { NONE_LABEL } from "./values.ts";

/** Dense ids for the labels of one dimension; see the file comment. */
export class LabelKeys {
  /** Dense id → label. */
  readonly labels: string[] = [];
  private readonly byLabel = new Map<string, number>();
  /** Slot `code + 1` → id, -1 when not seen yet; slot 0 is ABSENT. Read it directly in hot loops; {@link ofCode} fills it. */
  readonly codeIds: Int32Array;
  private readonly ints = new IntKeys();
  private readonly intIds: number[] = [];
  private floats: Map<number, number> | null = null;

  constructor(private readonly dict: Dictionary) {
    this.codeIds = new Int32Array(dict.values.length + 1).fill(-1);
  }

  /** The id of a dictionary code's text; ABSENT (-1) is {@link NONE_LABEL}. */
  ofCode(code: number): number {
    const id = this.codeIds[code + 1]!;
    return id >= 0 ? id : this.newCode(code);
  }

  /** The id of a number's text, `String(value)`; NaN (absent) is {@link NONE_LABEL}. */
  ofNumber(value: number): number {
    if ((value | 0) === value) {
      const k = this.ints.id(value);
      return k < this.intIds.length ? this.intIds[k]! : this.newInt(value);
    }
    if (value !== value) return this.ofCode(-1);
    let id = this.floats?.get(value);
    if (id === undefined) (this.floats ??= new Map()).set(value, (id = this.ofLabel(String(value))));
    return id;
  }

  /** The id of a label, assigning the next one when it is new. */
  ofLabel(label: string): number {
    let id = this.byLabel.get(label);
    if (id === undefined) {
      id = this.labels.length;
      this.labels.push(label);
      this.byLabel.set(label, id);
    }
    return id;
  }

  private newCode(code: number): number {
    const id = this.ofLabel(code < 0 ? NONE_LABEL : (this.dict.values[code] ?? ""));
    this.codeIds[code + 1] = id;
    return id;
  }

  // IntKeys hands out its ids in order, so the new one is always intIds.length
  private newInt(value: number): number {
    const id = this.ofLabel(String(value));
    this.intIds.push(id);
    return id;
  }
}

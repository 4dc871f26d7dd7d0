/**
 * What the stages of a query run share: the blocks, the dictionary, and
 * helpers built lazily from the dictionary at most once per run.
 */
import type { ColumnBlock, Dictionary } from "../columns.ts";
import type { Dim } from "../query.ts";
import type { Arena } from "./arena.ts";
import type { KeyIds } from "./keys.ts";
import type { BinnedScratch } from "./binned-quantiles.ts";
import type { QuantileScratch } from "./percentile.ts";
import type { ValueBins } from "./value-bins.ts";
import { DictNumbers } from "./values.ts";

/** The rows a query keeps: block after block, the matching row indices packed into one array. */
export interface Selection {
  /** Row index within its block, for positions `0..count`. */
  rows: Int32Array;
  /** Block `b`'s rows sit at positions `starts[b]` to `starts[b + 1]`. */
  starts: Int32Array;
  count: number;
}

/** The data a run reads, its work arrays, and helpers built lazily from the dictionary. */
export class Context {
  private dictNumbers: DictNumbers | null = null;
  /** Key ids per selection and key, so panels grouping alike share them. */
  readonly keyCache = new WeakMap<Selection, Map<string, KeyIds>>();
  /** Positions matching a rate's predicate, per selection and predicate. */
  readonly matchCache = new WeakMap<Selection, Map<string, Int32Array>>();
  /** Gathered, binned values per selection and dimension, for percentiles under any grouping. */
  readonly binCache = new WeakMap<Selection, Map<string, ValueBins>>();
  quantileScratch: QuantileScratch | null = null;
  binnedScratch: BinnedScratch | null = null;

  constructor(
    readonly blocks: readonly ColumnBlock[],
    readonly dict: Dictionary,
    /** Reset by the run before use. */
    readonly arena: Arena,
  ) {}

  /** Numeric values of dictionary codes, created on first use. */
  get numbers(): DictNumbers {
    return (this.dictNumbers ??= new DictNumbers(this.dict));
  }
}

/** A stable text for a dimension, to share work between measures on the same one. */
export function dimKey(dim: Dim): string {
  return "field" in dim ? `:${dim.field}` : `.${dim.prop}`;
}

/** Where a block keeps the numeric values of a dimension: numbers, or codes of text to parse; null when it has none. */
export type NumericColumn = { kind: "num"; values: Float64Array } | { kind: "code"; codes: Int32Array } | null;

/** The numeric values of `dim` in `block`. Names and string props count where their text is a number; types never do. */
export function numericColumn(block: ColumnBlock, dim: Dim): NumericColumn {
  if ("field" in dim) return dim.field === "name" ? { kind: "code", codes: block.name } : null;
  const col = block.props[dim.prop];
  if (col === undefined) return null;
  return col.kind === "num" ? col : { kind: "code", codes: col.codes };
}

/** Calls `fn` for each block with rows selected, with the block's positions `start..end`. */
export function forBlocks(ctx: Context, sel: Selection, fn: (block: ColumnBlock, start: number, end: number) => void): void {
  const { blocks } = ctx;
  for (let b = 0; b < blocks.length; b++) {
    const start = sel.starts[b]!;
    const end = sel.starts[b + 1]!;
    if (end > start) fn(blocks[b]!, start, end);
  }
}

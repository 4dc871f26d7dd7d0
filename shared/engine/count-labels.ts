/**
 * Groups of one dimension whose only measure is the count (the filter bar's
 * options, "errors by status"): counted straight off the dictionary codes,
 * one array increment per row, with the labels made only for the codes seen.
 * The general path first writes every row's label id and then counts them,
 * two passes where one does; nothing else in such a query needs the ids.
 */
import { EVENT_TYPES } from "../event.ts";
import type { Dim, Query } from "../query.ts";
import { forBlocks, type Context, type Selection } from "./context.ts";
import type { Groups } from "./group.ts";
import { LabelKeys } from "./labels.ts";

/** The dimension of a query grouped by it alone and measuring counts only; null for any other query. */
export function countOnlyDim(query: Query): Dim | null {
  const key = query.groupBy?.length === 1 ? query.groupBy[0]! : null;
  return key !== null && !("bucket" in key) && query.measures.every((m) => m.fn === "count") ? key : null;
}

/** The groups of `dim` over `sel` with their counts; `gid` is null, as no measure but the count reads it. */
export function countLabels(ctx: Context, sel: Selection, dim: Dim): Groups {
  const labels = new LabelKeys(ctx.dict);
  // slot `code + 1`, slot 0 for absent values; types by EVENT_TYPES index; numbers straight by label id
  const codes = new Int32Array(ctx.dict.values.length + 1);
  const types = new Int32Array(EVENT_TYPES.length);
  const byId: number[] = [];
  forBlocks(ctx, sel, (block, start, end) => {
    if ("field" in dim) {
      if (dim.field === "name") countCodes(block.name, sel.rows, start, end, codes);
      else countTypes(block.type, sel.rows, start, end, types);
      return;
    }
    const col = block.props[dim.prop];
    if (col === undefined) codes[0]! += end - start;
    else if (col.kind === "str") countCodes(col.codes, sel.rows, start, end, codes);
    else
      for (let j = start; j < end; j++) {
        const id = labels.ofNumber(col.values[sel.rows[j]!]!);
        byId[id] = (byId[id] ?? 0) + 1;
      }
  });
  const add = (id: number, n: number): void => void (byId[id] = (byId[id] ?? 0) + n);
  for (let slot = 0; slot < codes.length; slot++) if (codes[slot]! > 0) add(labels.ofCode(slot - 1), codes[slot]!);
  for (let t = 0; t < types.length; t++) if (types[t]! > 0) add(labels.ofLabel(EVENT_TYPES[t]!), types[t]!);
  const size = labels.labels.length;
  return { gid: null, size, keys: [{ kind: "label", values: labels.labels }], counts: Float64Array.from({ length: size }, (_, id) => byId[id] ?? 0) };
}

// ABSENT (-1) lands in slot 0
function countCodes(codes: Int32Array, rows: Int32Array, start: number, end: number, counts: Int32Array): void {
  for (let j = start; j < end; j++) counts[codes[rows[j]!]! + 1]!++;
}

function countTypes(types: Uint8Array, rows: Int32Array, start: number, end: number, counts: Int32Array): void {
  for (let j = start; j < end; j++) counts[types[rows[j]!]!]!++;
}

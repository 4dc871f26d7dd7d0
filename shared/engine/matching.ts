/**
 * The rows a selection (range, types, filters) matches, block by block: what
 * export needs. It reuses the engine's own selection pass, so a filter means
 * exactly what it means in every chart.
 */
import type { ColumnBlock, Dictionary } from "../columns.ts";
import type { Query } from "../query.ts";
import { Arena } from "./arena.ts";
import { Context } from "./context.ts";
import { selectRows } from "./select.ts";

/**
 * For each block, the indices of its rows that match, ascending (so in seq
 * order). The arrays are the caller's: a private arena keeps them apart from
 * the work arrays that later queries reuse.
 */
export function matchingRows(blocks: readonly ColumnBlock[], dict: Dictionary, selection: Pick<Query, "range" | "types" | "filters">): Int32Array[] {
  const ctx = new Context(blocks, dict, new Arena());
  const sel = selectRows(ctx, selection, selection.filters ?? []);
  return blocks.map((_, b) => sel.rows.slice(sel.starts[b]!, sel.starts[b + 1]!));
}

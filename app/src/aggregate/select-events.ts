/**
 * Which events a Selection matches, for export, as block and row positions in
 * seq order. The engine decides what a filter means (matchingRows), so an
 * export holds exactly the events its charts count.
 */
import type { ColumnBlock, Dictionary } from "../../../shared/columns.ts";
import { matchingRows } from "../../../shared/engine/index.ts";
import type { Selection } from "../data/api.ts";

/** Where a matching event sits: block index and row within the block. */
export interface RowRef {
  block: number;
  row: number;
}

/** The rows of `blocks` (in seq order, as stored) that `selection` matches, in seq order. */
export function selectEvents(blocks: readonly ColumnBlock[], dict: Dictionary, selection: Selection): RowRef[] {
  const refs: RowRef[] = [];
  matchingRows(blocks, dict, selection).forEach((rows, block) => {
    for (const row of rows) refs.push({ block, row });
  });
  return refs;
}

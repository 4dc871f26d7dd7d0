/**
 * Which events a Selection matches, for export. The engine is the only place
 * that decides what a filter means, and its public API answers in groups, not
 * rows; so each block gets one extra numeric column, its own seq array under a
 * key no real prop can have, and the query groups by it: every matching event
 * is then a group whose label is its seq. No event data is copied, and the
 * semantics are the engine's by construction.
 */
import type { ColumnBlock, Dictionary } from "../../../shared/columns.ts";
import { LIMITS } from "../../../shared/event.ts";
import { runQuery } from "../../../shared/engine/index.ts";
import type { Selection } from "../data/api.ts";

// longer than any prop key the edge accepts, so it never shadows a real prop
const SEQ_KEY = `\u0000seq${"\u0000".repeat(LIMITS.propKeyChars)}`;

/** Where a matching event sits: block index and row within the block, in seq order. */
export interface RowRef {
  block: number;
  row: number;
}

/** The rows of `blocks` (in seq order, as stored) that `selection` matches, in seq order. */
export function selectEvents(blocks: readonly ColumnBlock[], dict: Dictionary, selection: Selection): RowRef[] {
  const tagged = blocks.map((b): ColumnBlock => ({ ...b, props: { ...b.props, [SEQ_KEY]: { kind: "num", values: b.seq } } }));
  const result = runQuery(tagged, dict, { ...selection, groupBy: [{ prop: SEQ_KEY }], measures: [{ fn: "count" }] });
  const key = result.keys[0];
  if (!key || key.kind !== "label") return [];
  // labels sort as text; seqs are wanted in numeric order
  const seqs = Float64Array.from(key.values, Number).sort();
  const refs: RowRef[] = [];
  let b = 0;
  let row = 0;
  for (const seq of seqs) {
    if (Number.isNaN(seq)) continue;
    // both lists ascend, so one forward walk finds every row
    while (b < blocks.length && (blocks[b]!.length === 0 || blocks[b]!.seq[blocks[b]!.length - 1]! < seq)) {
      b++;
      row = 0;
    }
    const block = blocks[b];
    if (!block) break;
    while (row < block.length && block.seq[row]! < seq) row++;
    if (block.seq[row] === seq) refs.push({ block: b, row });
  }
  return refs;
}

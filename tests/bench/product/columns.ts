/**
 * The Product bench's events in one columnar shape, whatever made them (the
 * seeded generator or a hand-written case): whole columns for DuckDB, and the
 * same rows cut into the engine's ColumnBlocks.
 */
import { ABSENT, encode, typeCode, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";

/** Events per block: the app's sealed segment, what a million stored events are read as. */
export const BLOCK_SIZE = 65_536;

/** The `track` props the Product view reads, each a string column here. */
export const PROPS = ["user", "feature", "experiment", "variant", "converted"] as const;
export type ProductProp = (typeof PROPS)[number];

/** `track` events as columns: names and props are codes into a dictionary, ABSENT when an event lacks the prop. */
export interface ProductColumns extends Record<ProductProp, Int32Array> {
  ts: Float64Array;
  name: Int32Array;
}

/** One event as a hand-written case spells it. */
export interface ProductRow {
  ts: number;
  name: string;
  user?: string;
  feature?: string;
  experiment?: string;
  variant?: string;
  converted?: boolean;
}

export function emptyColumns(n: number): ProductColumns {
  const codes = () => new Int32Array(n).fill(ABSENT);
  return { ts: new Float64Array(n), name: new Int32Array(n), user: codes(), feature: codes(), experiment: codes(), variant: codes(), converted: codes() };
}

/** Encodes rows, in the given order, as columns over `dict`. */
export function rowsToColumns(rows: readonly ProductRow[], dict: Dictionary): ProductColumns {
  const c = emptyColumns(rows.length);
  rows.forEach((r, i) => {
    c.ts[i] = r.ts;
    c.name[i] = encode(dict, r.name);
    for (const p of PROPS) {
      const v = r[p];
      // booleans are stored as their text, as encodeBlock does
      if (v !== undefined) c[p][i] = encode(dict, String(v));
    }
  });
  return c;
}

/** The rows cut into blocks of `size`, every prop a string column as encodeBlock makes it. */
export function toBlocks(c: ProductColumns, size = BLOCK_SIZE): ColumnBlock[] {
  const n = c.ts.length;
  const track = typeCode("track");
  const blocks: ColumnBlock[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    const length = end - start;
    const ts = c.ts.slice(start, end);
    const props: ColumnBlock["props"] = {};
    for (const p of PROPS) {
      const codes = c[p].slice(start, end);
      // encodeBlock only makes a column for a prop some event of the block has
      if (codes.some((code) => code !== ABSENT)) props[p] = { kind: "str", codes };
    }
    blocks.push({
      length,
      seq: Float64Array.from({ length }, (_, i) => start + i + 1),
      ts,
      receivedAt: ts.map((t) => t + 50),
      type: new Uint8Array(length).fill(track),
      name: c.name.slice(start, end),
      // the engine never reads ids; a million unique strings would only cost memory
      ids: [],
      props,
    });
  }
  return blocks;
}

/**
 * A columnar block as the two stored rows of its segment (packed columns;
 * export-only details) and back. Blocks loaded for queries carry no seqs,
 * receive times or ids: the engine never reads them, and leaving them out is
 * most of what makes a cold open fast.
 */
import type { ColumnBlock, PropColumn } from "../../../shared/columns.ts";
import type { PackedSegmentRow, SegmentDetailsRow } from "./db.ts";
import { packCodes, packNumbers, packProp, unpackCodes, unpackNumbers, unpackProp, type PackedProp } from "./packing.ts";

/** Segment tiers: small segments are topped up and merged; sealed ones are never rewritten. */
export const SMALL = 0;
export const SEALED = 1;

/** The seq and receive-time columns of a block loaded without details. */
const NONE = new Float64Array(0);

/** A segment's export-only columns, unpacked: ids, seqs, receive times, and what text values were sent as. */
export interface SegmentDetails {
  ids: string[];
  seq: Float64Array;
  receivedAt: Float64Array;
  textKinds?: Record<string, Uint8Array>;
}

/** The stored rows of a complete block (every column, ids included). */
export function toRows(workspaceId: string, block: ColumnBlock, tier: number): { segment: PackedSegmentRow; details: SegmentDetailsRow } {
  const n = block.length;
  if (block.ids.length !== n || block.seq.length !== n || block.receivedAt.length !== n) throw new Error("a stored segment needs its ids, seqs and receive times");
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (const t of block.ts) {
    if (t < minTs) minTs = t;
    if (t > maxTs) maxTs = t;
  }
  const props: Record<string, PackedProp> = {};
  for (const key in block.props) props[key] = packProp(block.props[key]!);
  const firstSeq = block.seq[0]!;
  return {
    segment: { workspaceId, firstSeq, tier, lastSeq: block.seq[n - 1]!, count: n, minTs, maxTs, ts: packNumbers(block.ts), type: block.type, name: packCodes(block.name), props },
    details: {
      workspaceId,
      firstSeq,
      ids: block.ids,
      seq: packNumbers(block.seq),
      receivedAt: packNumbers(block.receivedAt),
      ...(block.textKinds !== undefined && { textKinds: block.textKinds }),
    },
  };
}

/** The block of a stored segment; without details its seq, receivedAt and ids are empty. */
export function toBlock(row: PackedSegmentRow, details?: SegmentDetails): ColumnBlock {
  const props: Record<string, PropColumn> = {};
  for (const key in row.props) props[key] = unpackProp(row.props[key]!);
  return {
    length: row.count,
    seq: details?.seq ?? NONE,
    ts: unpackNumbers(row.ts),
    receivedAt: details?.receivedAt ?? NONE,
    type: row.type,
    name: unpackCodes(row.name),
    ids: details?.ids ?? [],
    props,
    ...(details?.textKinds !== undefined && { textKinds: details.textKinds }),
  };
}

export function unpackDetails(row: SegmentDetailsRow): SegmentDetails {
  return { ids: row.ids, seq: unpackNumbers(row.seq), receivedAt: unpackNumbers(row.receivedAt), ...(row.textKinds !== undefined && { textKinds: row.textKinds }) };
}

/** Whether stored details belong to a segment of `count` events. */
export function detailsMatch(row: SegmentDetailsRow | undefined, count: number): row is SegmentDetailsRow {
  return row !== undefined && row.ids.length === count && row.seq.data.length === count && row.receivedAt.data.length === count;
}

/**
 * The upgrade from schema version 1 (4,096-event segments with full-width
 * columns, ids in a table of their own) to the packed, two-tier segments of
 * version 2. Runs inside the upgrade transaction, so a tab either sees every
 * event in the new layout or the old database untouched; stored events are
 * never dropped and nothing needs to be pulled again.
 */
import type { Table, Transaction } from "dexie";
import { concatBlocks, newDictionary, type ColumnBlock, type PropColumn } from "../../../shared/columns.ts";
import type { DictionaryChunkRow } from "./db.ts";
import { StoreCorruptError } from "./errors.ts";
import { SEALED, SMALL, toRows } from "./segment-rows.ts";

/** Small segments merged into one sealed segment (as segment-store.ts). */
const GROUP = 16;

/** A version-1 segment row, as it was stored. */
interface V1Segment {
  workspaceId: string;
  firstSeq: number;
  count: number;
  seq: Float64Array;
  ts: Float64Array;
  receivedAt: Float64Array;
  type: Uint8Array;
  name: Int32Array;
  props: Record<string, PropColumn>;
}

interface V1Ids {
  workspaceId: string;
  firstSeq: number;
  ids: string[];
}

type Key = [string, number];

export async function migrateV1Segments(tx: Transaction): Promise<void> {
  const oldSegments = tx.table<V1Segment, Key>("segments");
  const oldIds = tx.table<V1Ids, Key>("segmentIds");
  const keys = await oldSegments.toCollection().primaryKeys();
  const byWorkspace = new Map<string, Key[]>();
  for (const key of keys) {
    const list = byWorkspace.get(key[0]) ?? [];
    list.push(key);
    byWorkspace.set(key[0], list);
  }
  for (const [workspaceId, wsKeys] of byWorkspace) {
    wsKeys.sort((a, b) => a[1] - b[1]);
    await migrateWorkspace(tx, workspaceId, wsKeys, oldSegments, oldIds);
  }
  await oldSegments.clear();
  await oldIds.clear();
}

async function migrateWorkspace(tx: Transaction, workspaceId: string, keys: Key[], oldSegments: Table<V1Segment, Key>, oldIds: Table<V1Ids, Key>): Promise<void> {
  const dictionary = tx.table<DictionaryChunkRow, Key>("dictionary");
  const chunks = await dictionary.where("[workspaceId+start]").between([workspaceId, -Infinity], [workspaceId, Infinity], true, true).toArray();
  const dict = newDictionary(chunks.flatMap((c) => c.values));
  const known = dict.values.length;
  // as the store keeps them: every full group of GROUP sealed, and at most GROUP small ones after
  for (let at = 0; at < keys.length; ) {
    const sealed = keys.length - at > GROUP;
    const group = keys.slice(at, sealed ? at + GROUP : at + 1);
    const rows = await oldSegments.bulkGet(group);
    const ids = await oldIds.bulkGet(group);
    const blocks = rows.map((row, i): ColumnBlock => {
      const idRow = ids[i];
      if (!row || !idRow || idRow.ids.length !== row.count) throw new StoreCorruptError(`segment ${workspaceId}/${group[i]![1]} has no matching ids`);
      return { length: row.count, seq: row.seq, ts: row.ts, receivedAt: row.receivedAt, type: row.type, name: row.name, ids: idRow.ids, props: row.props };
    });
    const { segment, details } = toRows(workspaceId, blocks.length === 1 ? blocks[0]! : concatBlocks(blocks, dict), sealed ? SEALED : SMALL);
    await tx.table("packedSegments").put(segment);
    await tx.table("segmentDetails").put(details);
    at += group.length;
  }
  // joining a prop that was numeric in one segment and text in another adds its numbers' texts
  if (dict.values.length > known) await dictionary.add({ workspaceId, start: known, values: dict.values.slice(known) });
}

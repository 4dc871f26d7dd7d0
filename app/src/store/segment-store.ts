/**
 * A workspace's events as columnar segments in IndexedDB, with the workspace
 * dictionary and the sync cursor beside them. One pulled page is stored in one
 * transaction (dictionary entries, segments, their ids, the cursor), so the
 * cursor always says exactly which events are stored: a reload or a dropped
 * connection resumes from it, and nothing is stored twice.
 *
 * Segments hold up to SEGMENT_SIZE events. The last one is topped up by
 * rewriting it, so live trickles of a few events don't leave thousands of tiny
 * segments; full segments are never rewritten.
 */
import { concatBlocks, encodeBlock, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";
import type { StoredEvent } from "../../../shared/event.ts";
import { workspaceRange, type SegmentIdsRow, type SegmentRow, type TallyDb } from "./db.ts";
import { DictionaryCache, readDictionary } from "./dictionary-cache.ts";
import { StoreCorruptError, toStoreError } from "./errors.ts";

/** Events per segment: large enough that a million events are ~250 rows, small enough that a top-up rewrite is cheap. */
export const SEGMENT_SIZE = 4096;

/** Where a workspace's sync stands, as stored. */
export interface SyncState {
  /** Cursor: every event with `seq <= after` is stored. */
  after: number;
  syncedAt: number | null;
  /** Events stored. */
  events: number;
}

export interface AppendResult extends SyncState {
  /** Events of the page stored now. */
  stored: number;
  /** Events of the page dropped because their seq was already covered by the cursor. */
  skipped: number;
}

/** A stored segment, as loaded: its bounds and its events as a block. */
export interface LoadedSegment {
  firstSeq: number;
  lastSeq: number;
  count: number;
  minTs: number;
  maxTs: number;
  /** `block.ids` is empty unless loaded with `withIds`. */
  block: ColumnBlock;
}

export interface LoadOptions {
  /** Only segments whose firstSeq is at least this (a refresh passes its last segment's firstSeq). */
  sinceFirstSeq?: number;
  /** Only dictionary entries from this code on (a refresh passes the size of the dictionary it has). */
  dictionaryFrom?: number;
  /** Also read the event ids (export only: they are most of a segment's bytes). */
  withIds?: boolean;
}

export interface LoadedBlocks {
  segments: LoadedSegment[];
  /** Dictionary entries from `dictionaryFrom` on, in code order. */
  dictionary: string[];
  /** Entries stored in all; less than `dictionaryFrom` means the workspace was deleted meanwhile. */
  dictionarySize: number;
  state: SyncState;
}

const KEY = "[workspaceId+firstSeq]";
const DICT_KEY = "[workspaceId+start]";

export class SegmentStore {
  private readonly dicts: DictionaryCache;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly db: TallyDb,
    private readonly now: () => number = Date.now,
  ) {
    this.dicts = new DictionaryCache(db);
  }

  /** The workspace's cursor, sync time and event count (zeros when never synced). */
  async syncState(workspaceId: string): Promise<SyncState> {
    try {
      return toState(await this.db.syncState.get(workspaceId));
    } catch (err) {
      throw toStoreError(err, "reading the sync cursor");
    }
  }

  /**
   * Stores one pulled page and advances the cursor to `next`, all in one
   * transaction. Events whose seq the stored cursor already covers are dropped
   * (a page replayed after a crash stores nothing twice).
   *
   * @throws StoreFullError when the browser refuses the space; nothing of the page is stored.
   */
  appendPage(workspaceId: string, events: readonly StoredEvent[], next: number): Promise<AppendResult> {
    return this.serial(workspaceId, () => this.append(workspaceId, events, next));
  }

  private async append(workspaceId: string, events: readonly StoredEvent[], next: number): Promise<AppendResult> {
    const { db } = this;
    try {
      const result = await db.transaction("rw", [db.segments, db.segmentIds, db.dictionary, db.syncState], async () => {
        const state = toState(await db.syncState.get(workspaceId));
        const fresh = unseen(events, state.after);
        const { dict, stored } = await this.dicts.open(workspaceId);
        if (fresh.length > 0) {
          const blocks = await this.segmentsFor(workspaceId, fresh, dict);
          if (dict.values.length > stored) await db.dictionary.add({ workspaceId, start: stored, values: dict.values.slice(stored) });
          await db.segments.bulkPut(blocks.map((b) => toRow(workspaceId, b)));
          await db.segmentIds.bulkPut(blocks.map((b): SegmentIdsRow => ({ workspaceId, firstSeq: b.seq[0]!, ids: b.ids })));
        }
        // the cursor goes last: written only if everything above was
        const after = Math.max(state.after, next, fresh.at(-1)?.seq ?? 0);
        const saved = { after, syncedAt: this.now(), events: state.events + fresh.length };
        await db.syncState.put({ workspaceId, ...saved });
        return { ...saved, stored: fresh.length, skipped: events.length - fresh.length };
      });
      this.dicts.commit(workspaceId);
      return result;
    } catch (err) {
      // entries encoded for an aborted page were never stored: forget them
      this.dicts.rollback(workspaceId);
      throw toStoreError(err, "storing events");
    }
  }

  // the page as segment blocks: first topping up the last stored segment, then new ones
  private async segmentsFor(workspaceId: string, events: StoredEvent[], dict: Dictionary): Promise<ColumnBlock[]> {
    const blocks: ColumnBlock[] = [];
    let rest = events;
    const last = await this.db.segments.where(KEY).between(...workspaceRange(workspaceId), true, true).last();
    if (last && last.count < SEGMENT_SIZE) {
      const ids = await this.db.segmentIds.get([workspaceId, last.firstSeq]);
      if (!ids || ids.ids.length !== last.count) throw new StoreCorruptError(`segment ${workspaceId}/${last.firstSeq} has no matching ids`);
      const room = SEGMENT_SIZE - last.count;
      blocks.push(concatBlocks([toBlock(last, ids.ids), encodeBlock(rest.slice(0, room), dict)], dict));
      rest = rest.slice(room);
    }
    for (let i = 0; i < rest.length; i += SEGMENT_SIZE) blocks.push(encodeBlock(rest.slice(i, i + SEGMENT_SIZE), dict));
    return blocks;
  }

  /**
   * Loads segments (all, or from `sinceFirstSeq` on) with the dictionary and
   * the sync state, from one consistent snapshot.
   */
  async loadBlocks(workspaceId: string, options: LoadOptions = {}): Promise<LoadedBlocks> {
    const { db } = this;
    const since = options.sinceFirstSeq ?? -Infinity;
    const from = options.dictionaryFrom ?? 0;
    const tables = options.withIds ? [db.segments, db.dictionary, db.syncState, db.segmentIds] : [db.segments, db.dictionary, db.syncState];
    try {
      return await db.transaction("r", tables, async () => {
        const range = [[workspaceId, since], [workspaceId, Infinity]] as const;
        const rows = await db.segments.where(KEY).between(range[0], range[1], true, true).toArray();
        const idRows = options.withIds ? await db.segmentIds.where(KEY).between(range[0], range[1], true, true).toArray() : null;
        const dictionary = await readDictionary(db, workspaceId, from);
        const state = toState(await db.syncState.get(workspaceId));
        const segments = rows.map((row, i): LoadedSegment => {
          let ids: string[] = [];
          if (idRows) {
            const idRow = idRows[i];
            if (!idRow || idRow.firstSeq !== row.firstSeq || idRow.ids.length !== row.count) {
              throw new StoreCorruptError(`segment ${workspaceId}/${row.firstSeq} has no matching ids`);
            }
            ids = idRow.ids;
          }
          return { firstSeq: row.firstSeq, lastSeq: row.lastSeq, count: row.count, minTs: row.minTs, maxTs: row.maxTs, block: toBlock(row, ids) };
        });
        return { segments, dictionary: dictionary.values, dictionarySize: dictionary.size, state };
      });
    } catch (err) {
      throw toStoreError(err, "loading events");
    }
  }

  /** The event ids of the given segments (by firstSeq), for export. */
  async loadIds(workspaceId: string, firstSeqs: readonly number[]): Promise<Map<number, string[]>> {
    try {
      const rows = await this.db.segmentIds.bulkGet(firstSeqs.map((s): [string, number] => [workspaceId, s]));
      const out = new Map<number, string[]>();
      rows.forEach((row, i) => {
        if (!row) throw new StoreCorruptError(`segment ${workspaceId}/${firstSeqs[i]} has no ids`);
        out.set(row.firstSeq, row.ids);
      });
      return out;
    } catch (err) {
      throw toStoreError(err, "loading event ids");
    }
  }

  /** Deletes every stored event, the dictionary and the cursor of a workspace. */
  deleteWorkspace(workspaceId: string): Promise<void> {
    return this.serial(workspaceId, async () => {
      try {
        await deleteWorkspaceData(this.db, workspaceId);
      } catch (err) {
        throw toStoreError(err, "deleting a workspace");
      } finally {
        this.dicts.forget(workspaceId);
      }
    });
  }

  // one append or delete at a time per workspace, so a rolled-back dictionary is never seen by the next page
  private serial<T>(workspaceId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(workspaceId) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(workspaceId, tail);
    void tail.then(() => {
      if (this.queues.get(workspaceId) === tail) this.queues.delete(workspaceId);
    });
    return run;
  }
}

/**
 * Deletes a workspace's segments, ids, dictionary and cursor in one
 * transaction (or inside the caller's, when it spans these tables).
 */
export async function deleteWorkspaceData(db: TallyDb, workspaceId: string): Promise<void> {
  await db.transaction("rw", [db.segments, db.segmentIds, db.dictionary, db.syncState], async () => {
    const [lo, hi] = workspaceRange(workspaceId);
    await db.segments.where(KEY).between(lo, hi, true, true).delete();
    await db.segmentIds.where(KEY).between(lo, hi, true, true).delete();
    await db.dictionary.where(DICT_KEY).between(lo, hi, true, true).delete();
    await db.syncState.delete(workspaceId);
  });
}

// the page's events not yet stored, in seq order, each once
function unseen(events: readonly StoredEvent[], after: number): StoredEvent[] {
  let sorted = true;
  for (let i = 1; i < events.length && sorted; i++) sorted = events[i]!.seq > events[i - 1]!.seq;
  const ordered = sorted ? events : [...events].sort((a, b) => a.seq - b.seq);
  const out: StoredEvent[] = [];
  let last = after;
  for (const e of ordered) {
    if (e.seq > last) {
      out.push(e);
      last = e.seq;
    }
  }
  return out;
}

function toState(row: { after: number; syncedAt: number | null; events: number } | undefined): SyncState {
  return row ? { after: row.after, syncedAt: row.syncedAt, events: row.events } : { after: 0, syncedAt: null, events: 0 };
}

function toRow(workspaceId: string, block: ColumnBlock): SegmentRow {
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (const t of block.ts) {
    if (t < minTs) minTs = t;
    if (t > maxTs) maxTs = t;
  }
  const { seq, ts, receivedAt, type, name, props } = block;
  return { workspaceId, firstSeq: seq[0]!, lastSeq: seq[block.length - 1]!, count: block.length, minTs, maxTs, seq, ts, receivedAt, type, name, props };
}

function toBlock(row: SegmentRow, ids: string[]): ColumnBlock {
  const { count, seq, ts, receivedAt, type, name, props } = row;
  return { length: count, seq, ts, receivedAt, type, name, ids, props };
}

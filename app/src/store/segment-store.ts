/**
 * A workspace's events as columnar segments in IndexedDB, with the workspace
 * dictionary and the sync cursor beside them. One pulled page is stored in one
 * transaction (dictionary entries, segments, their details, the cursor), so
 * the cursor always says exactly which events are stored: a reload or a
 * dropped connection resumes from it, and nothing is stored twice.
 *
 * Segments come in two tiers. New events go to small segments of up to
 * SEGMENT_SIZE events; the last one is topped up by rewriting it, so live
 * trickles of a few events don't leave thousands of tiny segments. Once more
 * than SEALED_SEGMENTS small ones exist, the oldest SEALED_SEGMENTS are merged
 * into one sealed segment (65,536 events), never rewritten again. A million
 * events are then ~16 large rows, which IndexedDB reads far faster than
 * hundreds of small ones, while a live append still rewrites at most one
 * small segment. Retention (retention.ts) is the only other writer: it may
 * shrink or delete segments of either tier, never merge them.
 *
 * Pulled pages, live messages and retention all go through one queue per
 * workspace, so none of them ever races another on the cursor.
 */
import { concatBlocks, encodeBlock, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";
import type { RetentionCutoffs } from "../../../shared/config.ts";
import type { StoredEvent } from "../../../shared/event.ts";
import { workspaceRange, type PackedSegmentRow, type SyncStateRow, type TallyDb } from "./db.ts";
import { DictionaryCache, readDictionary } from "./dictionary-cache.ts";
import { StoreCorruptError, toStoreError } from "./errors.ts";
import { anyExpired, dropExpired, type RetentionResult } from "./retention.ts";
import { loadSegmentDetails } from "./segment-details.ts";
import { detailsMatch, SEALED, SMALL, toBlock, toRows, unpackDetails, type SegmentDetails } from "./segment-rows.ts";

/** Events per small segment: a top-up rewrite of one stays cheap. */
export const SEGMENT_SIZE = 4096;
/** Small segments merged into one sealed segment. */
export const SEALED_SEGMENTS = 16;

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
  /** Set when the page was refused because the cursor had not reached `follows`: nothing was stored. */
  gap?: true;
}

export interface AppendOptions {
  /**
   * The page holds every event after this seq (a live message's `prev_seq`):
   * it is stored only if the cursor has reached it, checked in the same
   * transaction, or events between the two would be skipped for good.
   */
  follows?: number;
}

/** A stored segment, as loaded: its bounds and its events as a block. */
export interface LoadedSegment {
  firstSeq: number;
  lastSeq: number;
  count: number;
  minTs: number;
  maxTs: number;
  /** Sealed segments are never rewritten; small ones may be topped up or merged. */
  sealed: boolean;
  /** `block.seq`, `block.receivedAt` and `block.ids` are empty unless loaded with `withDetails`. */
  block: ColumnBlock;
}

export interface LoadOptions {
  /** Only segments whose firstSeq is at least this (a refresh passes its last segment's firstSeq). */
  sinceFirstSeq?: number;
  /** Only dictionary entries from this code on (a refresh passes the size of the dictionary it has). */
  dictionaryFrom?: number;
  /** Also read the event ids, seqs and receive times (export only: they are most of a segment's bytes). */
  withDetails?: boolean;
  /**
   * First seqs of small segments from `sinceFirstSeq` on that the caller
   * holds as they are. When every one of them is still stored, they are not
   * read again (`kept` is set). Only the last small segment is ever topped
   * up; sealing merges small segments, deleting all but the first, so their
   * keys alone tell whether they stayed as they were.
   */
  unchanged?: readonly number[];
}

export interface LoadedBlocks {
  segments: LoadedSegment[];
  /** Dictionary entries from `dictionaryFrom` on, in code order. */
  dictionary: string[];
  /** Entries stored in all; less than `dictionaryFrom` means the workspace was deleted meanwhile. */
  dictionarySize: number;
  state: SyncState;
  /** Grows whenever retention dropped stored events: a holder of older segments reloads them all. */
  generation: number;
  /** The `unchanged` segments were all still stored and were left out of `segments`. */
  kept: boolean;
}

const KEY = "[workspaceId+firstSeq]";
const TIER_KEY = "[workspaceId+tier+firstSeq]";
const DICT_KEY = "[workspaceId+start]";

/** The tables holding a workspace's events, for transactions that span them all. */
export function eventTables(db: TallyDb) {
  return [db.packedSegments, db.segmentDetails, db.dictionary, db.syncState];
}

/**
 * What this store's last append left: the last small segment with every
 * column, how many small segments there are, and the dictionary. While the
 * cursor row still holds its `appendId`, nothing was written since, so the
 * next append (a live batch, a pulled page) reads only the cursor row.
 */
interface Tail {
  /** The `appendId` written with it: still in the cursor row means nothing was written since. */
  appendId: string;
  generation: number;
  block: ColumnBlock;
  small: { count: number; last: number | undefined };
  dict: { dict: Dictionary; stored: number };
}

export class SegmentStore {
  private readonly dicts: DictionaryCache;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly tails = new Map<string, Tail>();
  private appends = 0;
  private readonly instance = Math.random().toString(36).slice(2);

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
  appendPage(workspaceId: string, events: readonly StoredEvent[], next: number, options: AppendOptions = {}): Promise<AppendResult> {
    return this.serial(workspaceId, () => this.append(workspaceId, events, next, options.follows ?? -Infinity));
  }

  /**
   * Drops stored events older than their type's cutoff (retention.ts), in
   * one transaction and in turn with appends, so the cursor and the event
   * count stay exact.
   */
  applyRetention(workspaceId: string, cutoffs: RetentionCutoffs): Promise<RetentionResult> {
    return this.serial(workspaceId, async () => {
      try {
        return await this.db.transaction("rw", eventTables(this.db), () => dropExpired(this.db, workspaceId, cutoffs));
      } catch (err) {
        throw toStoreError(err, "dropping expired events");
      }
    });
  }

  private async append(workspaceId: string, events: readonly StoredEvent[], next: number, follows: number): Promise<AppendResult> {
    const { db } = this;
    try {
      const result = await db.transaction("rw", eventTables(db), async (): Promise<{ result: AppendResult; tail?: Omit<Tail, "dict"> | undefined }> => {
        const row = await db.syncState.get(workspaceId);
        const state = toState(row);
        if (state.after < follows) return { result: { ...state, stored: 0, skipped: events.length, gap: true } };
        // nothing written since this store's last append: its dictionary, small segments and last segment are as it left them
        const held = this.heldTail(workspaceId, row);
        // otherwise both reads at once: each would wait a round trip to the browser's store
        const [{ dict, stored }, small] = held
          ? [held.dict, held.small]
          : await Promise.all([
              this.dicts.open(workspaceId),
              db.packedSegments
                .where(TIER_KEY)
                .between([workspaceId, SMALL, -Infinity], [workspaceId, SMALL, Infinity], true, true)
                .primaryKeys()
                .then((keys) => ({ count: keys.length, last: keys.at(-1)?.[1] })),
            ]);
        const fresh = unseen(events, state.after);
        const writes: Promise<unknown>[] = [];
        const appendId = `${this.instance}.${++this.appends}`;
        let tail: Omit<Tail, "appendId" | "generation" | "dict"> | undefined;
        if (fresh.length > 0) {
          // small segments are the newest, so the last of them is the last segment
          const last = held ? held.block : small.last === undefined ? undefined : await this.readBack(workspaceId, small.last);
          const topped = last !== undefined && last.length < SEGMENT_SIZE;
          const blocks = this.smallSegmentsFor(fresh, dict, topped ? last : undefined);
          writes.push(this.put(workspaceId, blocks, SMALL));
          // the small segments now: those there before, the topped-up one among them, then the new ones
          const smallNow = small.count + blocks.length - (topped ? 1 : 0);
          const block = blocks.at(-1)!;
          tail = { block, small: { count: smallNow, last: block.seq[0]! } };
          if (smallNow > SEALED_SEGMENTS) {
            await Promise.all(writes.splice(0));
            await this.seal(workspaceId, dict);
            // which small segments remain is the store's to say next time
            tail = undefined;
          }
          // last: encoding, topping up and sealing may each have added entries
          if (dict.values.length > stored) writes.push(db.dictionary.add({ workspaceId, start: stored, values: dict.values.slice(stored) }));
        }
        const after = Math.max(state.after, next, fresh.at(-1)?.seq ?? 0);
        const saved = { after, syncedAt: this.now(), events: state.events + fresh.length };
        // keeps retention's bookkeeping, and marks it due when old events came in
        const due = anyExpired(fresh, row?.retention) ? { retentionDue: true } : {};
        // the cursor is written with the rest: the transaction stores all of it or none
        writes.push(db.syncState.put({ ...row, workspaceId, ...saved, ...due, appendId }));
        await Promise.all(writes);
        // an append that stored nothing keeps the tail as it was, under its own appendId
        const kept = tail ?? (held && fresh.length === 0 ? { block: held.block, small: held.small } : undefined);
        return { result: { ...saved, stored: fresh.length, skipped: events.length - fresh.length }, tail: kept && { ...kept, appendId, generation: row?.generation ?? 0 } };
      });
      this.dicts.commit(workspaceId);
      const entry = this.dicts.held(workspaceId);
      if (result.tail && entry) this.tails.set(workspaceId, { ...result.tail, dict: entry });
      else this.tails.delete(workspaceId);
      return result.result;
    } catch (err) {
      // entries encoded for an aborted page were never stored: forget them
      this.dicts.rollback(workspaceId);
      this.tails.delete(workspaceId);
      throw toStoreError(err, "storing events");
    }
  }

  // what this store's last append left, if the cursor row shows nothing written since (another tab, retention, a removal)
  private heldTail(workspaceId: string, row: SyncStateRow | undefined): Tail | undefined {
    const held = this.tails.get(workspaceId);
    return held && row?.appendId === held.appendId && (row.generation ?? 0) === held.generation ? held : undefined;
  }

  // a stored small segment with every column, for topping it up
  private async readBack(workspaceId: string, firstSeq: number): Promise<ColumnBlock> {
    const stored = await this.db.packedSegments.get([workspaceId, firstSeq]);
    if (!stored) throw new StoreCorruptError(`segment ${workspaceId}/${firstSeq} vanished while appending`);
    return this.fullBlock(stored);
  }

  // the page as small segment blocks: first topping up `last` (the last small segment, not full), then new ones
  private smallSegmentsFor(events: StoredEvent[], dict: Dictionary, last: ColumnBlock | undefined): ColumnBlock[] {
    const blocks: ColumnBlock[] = [];
    let rest = events;
    if (last) {
      const room = SEGMENT_SIZE - last.length;
      blocks.push(concatBlocks([last, encodeBlock(rest.slice(0, room), dict)], dict));
      rest = rest.slice(room);
    }
    for (let i = 0; i < rest.length; i += SEGMENT_SIZE) blocks.push(encodeBlock(rest.slice(i, i + SEGMENT_SIZE), dict));
    return blocks;
  }

  // while more than SEALED_SEGMENTS small segments exist, merges the oldest of them into one sealed segment
  private async seal(workspaceId: string, dict: Dictionary): Promise<void> {
    const { db } = this;
    let small = await db.packedSegments.where(TIER_KEY).between([workspaceId, SMALL, -Infinity], [workspaceId, SMALL, Infinity], true, true).primaryKeys();
    while (small.length > SEALED_SEGMENTS) {
      const keys = small.slice(0, SEALED_SEGMENTS);
      const rows = await db.packedSegments.bulkGet(keys);
      const blocks = await Promise.all(rows.map((row, i) => (row ? this.fullBlock(row) : Promise.reject(new StoreCorruptError(`segment ${keys[i]!.join("/")} vanished while sealing`)))));
      await db.packedSegments.bulkDelete(keys);
      await db.segmentDetails.bulkDelete(keys);
      await this.put(workspaceId, [concatBlocks(blocks, dict)], SEALED);
      small = small.slice(SEALED_SEGMENTS);
    }
  }

  private async put(workspaceId: string, blocks: readonly ColumnBlock[], tier: number): Promise<void> {
    const rows = blocks.map((b) => toRows(workspaceId, b, tier));
    await Promise.all([this.db.packedSegments.bulkPut(rows.map((r) => r.segment)), this.db.segmentDetails.bulkPut(rows.map((r) => r.details))]);
  }

  // a stored segment with every column, for rewriting it
  private async fullBlock(row: PackedSegmentRow): Promise<ColumnBlock> {
    const details = await this.db.segmentDetails.get([row.workspaceId, row.firstSeq]);
    if (!detailsMatch(details, row.count)) throw new StoreCorruptError(`segment ${row.workspaceId}/${row.firstSeq} has no matching details`);
    return toBlock(row, unpackDetails(details));
  }

  /**
   * Loads segments (all, or from `sinceFirstSeq` on) with the dictionary and
   * the sync state, from one consistent snapshot.
   */
  async loadBlocks(workspaceId: string, options: LoadOptions = {}): Promise<LoadedBlocks> {
    const { db } = this;
    const since = options.sinceFirstSeq ?? -Infinity;
    const from = options.dictionaryFrom ?? 0;
    const tables = options.withDetails ? eventTables(db) : [db.packedSegments, db.dictionary, db.syncState];
    try {
      return await db.transaction("r", tables, async () => {
        const lo: [string, number] = [workspaceId, since];
        const hi: [string, number] = [workspaceId, Infinity];
        const all = await db.packedSegments.where(KEY).between(lo, hi, true, true).primaryKeys();
        const stored = new Set(all.map((k) => k[1]));
        const kept = options.unchanged !== undefined && options.unchanged.length > 0 && options.unchanged.every((seq) => stored.has(seq));
        const skip = new Set(kept ? options.unchanged : []);
        const keys = kept ? all.filter((k) => !skip.has(k[1])) : all;
        // one request per segment, each widened as it arrives: widening overlaps the reads still in flight
        const segments = await Promise.all(
          keys.map(async (key): Promise<LoadedSegment> => {
            const [row, d] = await Promise.all([db.packedSegments.get(key), options.withDetails ? db.segmentDetails.get(key) : undefined]);
            if (!row) throw new StoreCorruptError(`segment ${key.join("/")} vanished while loading`);
            if (options.withDetails && !detailsMatch(d, row.count)) throw new StoreCorruptError(`segment ${workspaceId}/${row.firstSeq} has no matching details`);
            const { firstSeq, lastSeq, count, minTs, maxTs } = row;
            return { firstSeq, lastSeq, count, minTs, maxTs, sealed: row.tier === SEALED, block: toBlock(row, d && unpackDetails(d)) };
          }),
        );
        const dictionary = await readDictionary(db, workspaceId, from);
        const row = await db.syncState.get(workspaceId);
        return { segments, dictionary: dictionary.values, dictionarySize: dictionary.size, state: toState(row), generation: row?.generation ?? 0, kept };
      });
    } catch (err) {
      throw toStoreError(err, "loading events");
    }
  }

  /** The ids, seqs and receive times of segments loaded earlier (segment-details.ts). */
  loadDetails(workspaceId: string, firstSeqs: readonly number[]): Promise<Map<number, SegmentDetails>> {
    return loadSegmentDetails(this.db, workspaceId, firstSeqs);
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
        this.tails.delete(workspaceId);
      }
    });
  }

  // one append, retention run or delete at a time per workspace, so a rolled-back dictionary is never seen by the next page
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
  await db.transaction("rw", eventTables(db), async () => {
    const [lo, hi] = workspaceRange(workspaceId);
    await db.packedSegments.where(KEY).between(lo, hi, true, true).delete();
    await db.segmentDetails.where(KEY).between(lo, hi, true, true).delete();
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

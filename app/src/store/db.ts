/**
 * The one IndexedDB database, `tally`, through Dexie. Versions are append-only:
 * a schema change adds `this.version(n + 1)`, never edits an earlier one.
 *
 * Events live as columnar segments (see segment-store.ts) with narrow typed
 * arrays (packing.ts): they store natively and clone fast. What only an
 * export needs (ids, seqs, receive times) sits in a table of its own, so
 * opening a workspace never reads it.
 *
 * Version 1 kept 4,096-event segments with full-width columns; version 2
 * rewrites them into the packed layout (migrate-v1.ts) and version 3 drops the
 * old tables.
 */
import Dexie, { type EntityTable, type Table } from "dexie";
import type { RetentionCutoffs } from "../../../shared/config.ts";
import type { KnownWorkspace } from "../data/api.ts";
import { migrateV1Segments } from "./migrate-v1.ts";
import type { PackedCodes, PackedNumbers, PackedProp } from "./packing.ts";

/** One segment of a workspace's events: its bounds and its columns, packed, except what only export reads. */
export interface PackedSegmentRow {
  workspaceId: string;
  /** Seq of its first event; with workspaceId the key, so segments sort in seq order. */
  firstSeq: number;
  /** SMALL or SEALED (segment-rows.ts); indexed so the small tail is found from keys alone. */
  tier: number;
  lastSeq: number;
  count: number;
  /** Earliest and latest event time, epoch ms. */
  minTs: number;
  maxTs: number;
  ts: PackedNumbers;
  type: Uint8Array;
  name: PackedCodes;
  props: Record<string, PackedProp>;
}

/** What export alone needs of a segment, same key as the segment. */
export interface SegmentDetailsRow {
  workspaceId: string;
  firstSeq: number;
  ids: string[];
  seq: PackedNumbers;
  receivedAt: PackedNumbers;
  /** ColumnBlock.textKinds: what values of string columns were sent as; absent in segments stored before it was kept. */
  textKinds?: Record<string, Uint8Array>;
}

/** A run of the workspace dictionary: codes `start .. start + values.length - 1`. Never rewritten. */
export interface DictionaryChunkRow {
  workspaceId: string;
  start: number;
  values: string[];
}

/** Where a workspace's pull stands. Written in the same transaction as the events it covers. */
export interface SyncStateRow {
  workspaceId: string;
  /** Cursor: every event with `seq <= after` is stored. */
  after: number;
  /** When a page was last stored, epoch ms. */
  syncedAt: number | null;
  /** Events stored. */
  events: number;
  /** Bumped whenever retention dropped stored events: a reader holding segments must reload them all. Absent: 0. */
  generation?: number;
  /** The (rounded) retention cutoffs applied last (retention.ts). */
  retention?: RetentionCutoffs;
  /** Events below those cutoffs were stored since: retention has work even if the cutoffs stay. */
  retentionDue?: boolean;
  /**
   * Set by each append: the tab that wrote it still holds the last small
   * segment as written, and tops it up next time without reading it back.
   * Any other write (another tab's append, retention, a removal) changes or
   * drops it.
   */
  appendId?: string;
}

/** Why the database was closed under this tab. */
export type ClosedReason = "upgrade" | "delete";

/** Where to open the database; tests pass fake-indexeddb's classes and a fresh name. */
export interface TallyDbOptions {
  name?: string;
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export class TallyDb extends Dexie {
  workspaces!: EntityTable<KnownWorkspace, "id">;
  packedSegments!: Table<PackedSegmentRow, [string, number]>;
  segmentDetails!: Table<SegmentDetailsRow, [string, number]>;
  dictionary!: Table<DictionaryChunkRow, [string, number]>;
  syncState!: EntityTable<SyncStateRow, "workspaceId">;

  /** Set once another connection upgraded or deleted the database; this one is then closed for good. */
  closedBecause: ClosedReason | null = null;
  private readonly closedListeners = new Set<(reason: ClosedReason) => void>();

  constructor(options: TallyDbOptions = {}) {
    const deps = options.indexedDB && options.IDBKeyRange ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange } : {};
    super(options.name ?? "tally", deps);
    this.version(1).stores({
      workspaces: "id, lastOpenedAt",
      segments: "[workspaceId+firstSeq]",
      segmentIds: "[workspaceId+firstSeq]",
      dictionary: "[workspaceId+start]",
      syncState: "workspaceId",
    });
    this.version(2)
      .stores({
        packedSegments: "[workspaceId+firstSeq], [workspaceId+tier+firstSeq]",
        segmentDetails: "[workspaceId+firstSeq]",
      })
      .upgrade((tx) => migrateV1Segments(tx));
    this.version(3).stores({ segments: null, segmentIds: null });
    // Another tab opened a newer schema (or deletes the database). Dexie's default closes and
    // would reopen on the next call, with the old schema; closing for good lets the upgrade
    // through and tells the UI to ask for a reload.
    this.on("versionchange", (event: IDBVersionChangeEvent) => {
      const reason: ClosedReason = event.newVersion ? "upgrade" : "delete";
      this.closedBecause = reason;
      this.close({ disableAutoOpen: true });
      for (const listener of this.closedListeners) listener(reason);
      // later subscribers run first; false keeps Dexie's default (close and allow reopening) from running
      return false;
    });
  }

  /**
   * Calls `listener` when another tab upgrades or deletes the database; this
   * connection is then closed and the UI should say "Tally was updated in
   * another tab; reload". Fires at once if that already happened. Returns an
   * unsubscribe function.
   */
  onClosedElsewhere(listener: (reason: ClosedReason) => void): () => void {
    if (this.closedBecause !== null) queueMicrotask(() => listener(this.closedBecause!));
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }
}

/** The app's database. Opens on first use. */
export const db = new TallyDb();

/** The key range covering every row of one workspace in the compound-key tables. */
export function workspaceRange(workspaceId: string): [[string, number], [string, number]] {
  return [
    [workspaceId, -Infinity],
    [workspaceId, Infinity],
  ];
}

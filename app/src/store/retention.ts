/**
 * Retention in the browser: the edge tells each pull how far back every event
 * type is kept (`PullResponse.retention`), and stored events older than that
 * are dropped here, rewriting only the segments that hold some. This is the
 * one place a sealed segment is rewritten: it may shrink (or go) but is never
 * merged with another, so the two tiers stay as segment-store.ts keeps them.
 *
 * Cutoffs are rounded down to the hour, as coarse as the edge's hourly
 * cleanup: a sync every 30 s then rewrites the oldest segment at most once an
 * hour, not every time, and nothing the edge still serves is dropped early.
 */
import { EVENT_TYPES } from "../../../shared/event.ts";
import type { RetentionCutoffs } from "../../../shared/config.ts";
import { pickTextKinds, type ColumnBlock, type PropColumn } from "../../../shared/columns.ts";
import type { StoredEvent } from "../../../shared/event.ts";
import { workspaceRange, type PackedSegmentRow, type SyncStateRow, type TallyDb } from "./db.ts";
import { StoreCorruptError } from "./errors.ts";
import { unpackNumbers } from "./packing.ts";
import { detailsMatch, toBlock, toRows, unpackDetails } from "./segment-rows.ts";

const HOUR_MS = 3_600_000;
const KEY = "[workspaceId+firstSeq]";

/** What one application of retention did. */
export interface RetentionResult {
  /** Events dropped. */
  dropped: number;
  /** Segments rewritten or deleted. */
  segments: number;
  /** The workspace's generation afterwards: it grows whenever stored events were dropped. */
  generation: number;
}

/** The cutoffs rounded down to the hour, per type (a type without one keeps everything). */
export function roundCutoffs(cutoffs: RetentionCutoffs): RetentionCutoffs {
  const out: RetentionCutoffs = {};
  for (const type of EVENT_TYPES) {
    const c = cutoffs[type];
    if (c !== undefined && Number.isFinite(c)) out[type] = Math.floor(c / HOUR_MS) * HOUR_MS;
  }
  return out;
}

export function sameCutoffs(a: RetentionCutoffs | undefined, b: RetentionCutoffs | undefined): boolean {
  if (!a || !b) return a === b;
  return EVENT_TYPES.every((t) => a[t] === b[t]);
}

/** Whether any of `events` falls below its type's cutoff: appending it makes retention due again. */
export function anyExpired(events: readonly StoredEvent[], cutoffs: RetentionCutoffs | undefined): boolean {
  if (!cutoffs) return false;
  return events.some((e) => {
    const c = cutoffs[e.type];
    return c !== undefined && e.ts < c;
  });
}

// per type code, the cutoff (or -Infinity: kept forever)
function cutoffByCode(cutoffs: RetentionCutoffs): Float64Array {
  return Float64Array.from(EVENT_TYPES, (t) => cutoffs[t] ?? -Infinity);
}

/** The rows of `block` at `rows` (ascending), as a new block with every column. */
export function pickRows(block: ColumnBlock, rows: readonly number[]): ColumnBlock {
  const n = rows.length;
  const numbers = (from: Float64Array) => Float64Array.from(rows, (r) => from[r]!);
  const props: Record<string, PropColumn> = {};
  const textKinds = pickTextKinds(block.textKinds, (kinds) => Uint8Array.from(rows, (r) => kinds[r]!));
  for (const key in block.props) {
    const col = block.props[key]!;
    props[key] = col.kind === "num" ? { kind: "num", values: numbers(col.values) } : { kind: "str", codes: Int32Array.from(rows, (r) => col.codes[r]!) };
  }
  return {
    length: n,
    seq: numbers(block.seq),
    ts: numbers(block.ts),
    receivedAt: numbers(block.receivedAt),
    type: Uint8Array.from(rows, (r) => block.type[r]!),
    name: Int32Array.from(rows, (r) => block.name[r]!),
    ids: rows.map((r) => block.ids[r]!),
    props,
    ...(textKinds !== undefined && { textKinds }),
  };
}

/**
 * Drops the workspace's stored events below their type's cutoff, in the
 * caller's transaction over the event tables; no-op when the (rounded)
 * cutoffs are those applied last and nothing below them was stored since.
 * Dictionary entries stay: codes never change meaning.
 */
export async function dropExpired(db: TallyDb, workspaceId: string, cutoffs: RetentionCutoffs): Promise<RetentionResult> {
  const rounded = roundCutoffs(cutoffs);
  const row = await db.syncState.get(workspaceId);
  const generation = row?.generation ?? 0;
  if (!row) return { dropped: 0, segments: 0, generation };
  if (sameCutoffs(rounded, row.retention) && !row.retentionDue) return { dropped: 0, segments: 0, generation };

  const byCode = cutoffByCode(rounded);
  const latest = Math.max(...byCode);
  let dropped = 0;
  let segments = 0;
  if (latest > -Infinity) {
    // only segments starting before the latest cutoff can hold anything to drop; minTs is not
    // indexed, so this reads the workspace's rows once, at most about once an hour (see above)
    const candidates = await db.packedSegments
      .where(KEY)
      .between(...workspaceRange(workspaceId), true, true)
      .filter((s) => s.minTs < latest)
      .toArray();
    for (const segment of candidates) {
      const keep = keptRows(segment, byCode);
      if (keep === null) continue;
      segments++;
      dropped += segment.count - keep.length;
      await rewrite(db, segment, keep);
    }
  }
  const next: SyncStateRow = { ...row, retention: rounded, retentionDue: false, events: row.events - dropped, generation: dropped > 0 ? generation + 1 : generation };
  await db.syncState.put(next);
  return { dropped, segments, generation: next.generation ?? 0 };
}

// the rows of a segment to keep, or null when it keeps them all
function keptRows(segment: PackedSegmentRow, byCode: Float64Array): number[] | null {
  const ts = unpackNumbers(segment.ts);
  const { type } = segment;
  const keep: number[] = [];
  for (let i = 0; i < segment.count; i++) if (!(ts[i]! < byCode[type[i]!]!)) keep.push(i);
  return keep.length === segment.count ? null : keep;
}

// the segment with only `keep`, under its new first seq, in the same tier; deleted when nothing is kept
async function rewrite(db: TallyDb, segment: PackedSegmentRow, keep: number[]): Promise<void> {
  const key: [string, number] = [segment.workspaceId, segment.firstSeq];
  const details = await db.segmentDetails.get(key);
  if (!detailsMatch(details, segment.count)) throw new StoreCorruptError(`segment ${key.join("/")} has no matching details`);
  await db.packedSegments.delete(key);
  await db.segmentDetails.delete(key);
  if (keep.length === 0) return;
  const rows = toRows(segment.workspaceId, pickRows(toBlock(segment, unpackDetails(details)), keep), segment.tier);
  await db.packedSegments.put(rows.segment);
  await db.segmentDetails.put(rows.details);
}

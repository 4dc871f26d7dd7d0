/**
 * A stored workspace as bundle lines (shared/bundle.ts), read from IndexedDB
 * one segment at a time: only one segment's events are ever decoded into
 * objects, so a million-event workspace exports in flat memory. Each step
 * reads the segment holding the first event after the last one written, by
 * seq, so segments topped up or sealed by a sync running meanwhile neither
 * repeat nor lose events.
 */
import { decodeRow, newDictionary, type Dictionary } from "../../../shared/columns.ts";
import { endLine, eventLine, headerLine, type BundleWorkspace } from "../../../shared/bundle.ts";
import type { WorkspaceConfig } from "../../../shared/config.ts";
import type { KnownWorkspace } from "../data/api.ts";
import { workspaceRange, type TallyDb } from "./db.ts";
import { readDictionary } from "./dictionary-cache.ts";
import { StoreCorruptError, toStoreError } from "./errors.ts";
import { detailsMatch, toBlock, unpackDetails } from "./segment-rows.ts";

const KEY = "[workspaceId+firstSeq]";

export interface ExportSource {
  /** Where the events are stored. */
  workspaceId: string;
  /** What the header names as the source (an imported copy names its original). */
  workspace: BundleWorkspace;
  config: WorkspaceConfig;
  /** Epoch ms the export started. */
  now: number;
}

/**
 * The bundle as text chunks: the header line, then one chunk of event lines
 * per stored segment, then the end line; every line ends in a newline.
 * `onProgress` gets the number of events written so far.
 */
export async function* bundleChunks(db: TallyDb, source: ExportSource, onProgress?: (events: number) => void): AsyncGenerator<string> {
  yield headerLine({ exported_at: new Date(source.now).toISOString(), workspace: source.workspace, config: source.config }) + "\n";
  const dict = newDictionary();
  let after = -Infinity;
  let events = 0;
  for (;;) {
    const next = await segmentAfter(db, source.workspaceId, after, dict);
    if (next === null) break;
    after = next.lastSeq;
    events += next.lines.length;
    onProgress?.(events);
    if (next.lines.length > 0) yield next.lines.join("\n") + "\n";
  }
  yield endLine(events) + "\n";
}

/** The stored segment holding events after seq `after`, those events as lines; null when there are none. */
async function segmentAfter(db: TallyDb, workspaceId: string, after: number, dict: Dictionary): Promise<{ lines: string[]; lastSeq: number } | null> {
  try {
    return await db.transaction("r", [db.packedSegments, db.segmentDetails, db.dictionary], async () => {
      const [lo, hi] = workspaceRange(workspaceId);
      // the last segment starting at or before `after` may have grown past it (topped up or sealed); else the first after it
      const before = await db.packedSegments.where(KEY).between(lo, [workspaceId, after], true, true).last();
      const row = before && before.lastSeq > after ? before : await db.packedSegments.where(KEY).between([workspaceId, after], hi, false, true).first();
      if (!row) return null;
      const details = await db.segmentDetails.get([workspaceId, row.firstSeq]);
      if (!detailsMatch(details, row.count)) throw new StoreCorruptError(`segment ${workspaceId}/${row.firstSeq} has no matching details`);
      // codes only grow: read the entries added since the last segment
      const more = await readDictionary(db, workspaceId, dict.values.length);
      for (const value of more.values) dict.values.push(value);
      const block = toBlock(row, unpackDetails(details));
      const lines: string[] = [];
      for (let i = 0; i < block.length; i++) {
        if (block.seq[i]! <= after) continue;
        lines.push(eventLine(decodeRow(block, i, dict)));
      }
      return { lines, lastSeq: row.lastSeq };
    });
  } catch (err) {
    throw toStoreError(err, "reading events to export");
  }
}

/** What an export of a known workspace says about itself; an imported copy names the workspace it was imported from. */
export function exportSource(workspace: KnownWorkspace, config: WorkspaceConfig, now: number): ExportSource {
  return { workspaceId: workspace.id, workspace: { id: workspace.imported?.sourceId ?? workspace.id, name: workspace.name, demo: workspace.demo }, config, now };
}

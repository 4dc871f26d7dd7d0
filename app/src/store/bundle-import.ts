/**
 * A workspace bundle (shared/bundle.ts) into this browser, as a local
 * workspace `bundle-<source id>` that is never synced. The file is read
 * twice: first checked whole, so a bad file leaves the stored data untouched,
 * then stored in pages through the segment store, each page one transaction
 * with new seqs after the stored cursor. Events whose id is stored already
 * are skipped, so importing the same bundle again, or an overlapping one,
 * adds only what is new; an import cut short resumes the same way.
 */
import { importedWorkspaceId, type BundleHeader } from "../../../shared/bundle.ts";
import { BundleReader, type BundleIssue } from "../../../shared/bundle-parse.ts";
import type { StoredEvent } from "../../../shared/event.ts";
import type { KnownWorkspace } from "../data/api.ts";
import { workspaceRange, type TallyDb } from "./db.ts";
import { toStoreError } from "./errors.ts";
import type { SegmentStore } from "./segment-store.ts";

/** A bundle that can be read from the start more than once (a File is). */
export type BundleLines = () => AsyncIterable<string>;

export type ImportProgress = { phase: "checking"; lines: number } | { phase: "storing"; done: number; total: number };

export type ImportOutcome =
  /** `warnings`: config keys of the bundle skipped because they no longer fit today's schema. */
  | { ok: true; workspace: KnownWorkspace; events: number; stored: number; already: number; warnings: BundleIssue[] }
  /** The bundle was refused; nothing was stored. `more` counts problems past the listed ones. */
  | { ok: false; issues: BundleIssue[]; more: number };

export interface ImportOptions {
  onProgress?(progress: ImportProgress): void;
  now?: number;
  /** Events stored per transaction. */
  pageSize?: number;
}

/** Four small segments' worth: few transactions, each small enough to stay quick. */
const PAGE = 16_384;
/** Progress is reported every this many lines while checking. */
const CHECK_STEP = 10_000;

export async function importBundle(db: TallyDb, store: SegmentStore, lines: BundleLines, options: ImportOptions = {}): Promise<ImportOutcome> {
  const checked = await check(lines, options);
  if (!checked.ok) return checked;
  const { header, events } = checked;
  const id = importedWorkspaceId(header.workspace.id);

  // one import at a time per copy: the stored ids and the cursor are read inside the lock, so two
  // overlapping imports neither store an event twice nor number two events alike
  return withImportLock(id, async () => {
    const now = options.now ?? Date.now();
    const known = await storedIds(db, id);
    const state = await store.syncState(id);
    let seq = state.after;
    let stored = 0;
    let already = 0;
    let done = 0;
    let page: StoredEvent[] = [];
    const flush = async () => {
      if (page.length === 0) return;
      const result = await store.appendPage(id, page, seq);
      stored += result.stored;
      page = [];
      options.onProgress?.({ phase: "storing", done, total: events });
    };
    // the copy is listed (flagged incomplete) before its first page: a cut-short import leaves no hidden data
    await saveImported(db, id, header, now, true);
    try {
      const reader = new BundleReader();
      for await (const line of lines()) {
        const item = reader.line(line);
        if (item.kind !== "event") continue;
        done++;
        // a bundle may repeat an id (a retry in its source): the first one counts, as at the edge
        if (known.has(item.event.id)) {
          already++;
          continue;
        }
        known.add(item.event.id);
        page.push({ ...item.event, seq: ++seq });
        if (page.length >= (options.pageSize ?? PAGE)) await flush();
      }
      await flush();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`${why}. ${stored} of the bundle's ${events} events were stored; import the same bundle again to resume (what is stored is not stored twice)`, { cause: err });
    }
    const workspace = await saveImported(db, id, header, now, false);
    return { ok: true, workspace, events, stored, already, warnings: checked.warnings };
  });
}

/** Imports per copy waiting on each other where the Web Locks API is missing (within this page only). */
const importChains = new Map<string, Promise<unknown>>();

/**
 * Runs `task` holding the import lock of one copy: across tabs with
 * navigator.locks when the browser has it, else within this page through a
 * promise chain.
 */
export function withImportLock<T>(workspaceId: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (locks && typeof locks.request === "function") return locks.request(`tally-bundle:${workspaceId}`, task) as Promise<T>;
  const before = importChains.get(workspaceId) ?? Promise.resolve();
  const run = before.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  importChains.set(workspaceId, tail);
  void tail.then(() => {
    if (importChains.get(workspaceId) === tail) importChains.delete(workspaceId);
  });
  return run;
}

async function check(lines: BundleLines, options: ImportOptions): Promise<{ ok: true; header: BundleHeader; events: number; warnings: BundleIssue[] } | Extract<ImportOutcome, { ok: false }>> {
  const reader = new BundleReader();
  let count = 0;
  for await (const line of lines()) {
    reader.line(line);
    if (reader.notABundle) break;
    if (++count % CHECK_STEP === 0) options.onProgress?.({ phase: "checking", lines: count });
  }
  const issues = reader.finish();
  if (reader.ok && reader.header) return { ok: true, header: reader.header, events: reader.events, warnings: reader.warnings };
  return { ok: false, issues, more: reader.issueCount - issues.length };
}

/** Every event id stored for the workspace: what a re-import must not store again. */
async function storedIds(db: TallyDb, workspaceId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  try {
    await db.segmentDetails
      .where("[workspaceId+firstSeq]")
      .between(...workspaceRange(workspaceId), true, true)
      .each((row) => {
        for (const id of row.ids) ids.add(id);
      });
  } catch (err) {
    throw toStoreError(err, "reading stored event ids");
  }
  return ids;
}

/** Adds the imported workspace to the known ones, or updates it: name, demo flag and config follow the latest bundle. */
async function saveImported(db: TallyDb, id: string, header: BundleHeader, now: number, incomplete: boolean): Promise<KnownWorkspace> {
  const imported = { sourceId: header.workspace.id, exportedAt: header.exported_at, importedAt: now, config: header.config };
  try {
    return await db.transaction("rw", db.workspaces, async () => {
      const known = await db.workspaces.get(id);
      const ws: KnownWorkspace = {
        id,
        name: header.workspace.name || header.workspace.id,
        demo: header.workspace.demo,
        apiBase: "",
        key: "",
        addedAt: known?.addedAt ?? now,
        lastOpenedAt: now,
        imported,
        ...(incomplete ? { importIncomplete: true } : {}),
      };
      await db.workspaces.put(ws);
      return ws;
    });
  } catch (err) {
    throw toStoreError(err, "saving an imported workspace");
  }
}

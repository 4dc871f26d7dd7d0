/**
 * One sync of a workspace: pull pages by cursor until the edge has no more,
 * committing each page before asking for the next, so a reload or a dropped
 * connection resumes from the stored cursor. Failures become a SyncStatus the
 * UI shows; stored events are never dropped because a sync failed.
 */
import type { StoredEvent } from "../../../shared/event.ts";
import { LIMITS } from "../../../shared/event.ts";
import type { WorkspaceInfo } from "../../../shared/wire.ts";
import type { SyncStatus } from "../data/api.ts";
import { StoreError, StoreFullError } from "../store/errors.ts";
import type { AppendOptions, AppendResult, SyncState } from "../store/segment-store.ts";
import type { RetentionResult } from "../store/retention.ts";
import type { RetentionCutoffs } from "../../../shared/config.ts";
import { errorBody, pullResponse, workspaceResponse } from "./responses.ts";
import { SyncDeniedError, SyncError, SyncOfflineError, SyncProtocolError, SyncServerError, isAbortError } from "./errors.ts";

/** What a sync needs of the store (SegmentStore has it; tests pass fakes). */
export interface SyncStore {
  syncState(workspaceId: string): Promise<SyncState>;
  appendPage(workspaceId: string, events: readonly StoredEvent[], next: number, options?: AppendOptions): Promise<AppendResult>;
  /** Optional so fakes may leave it out: without it, retention cutoffs are ignored. */
  applyRetention?(workspaceId: string, cutoffs: RetentionCutoffs): Promise<RetentionResult>;
}

/** A schema's parse, as zod/mini gives it. */
interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

export interface SyncOptions {
  store: SyncStore;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Origin of the edge, e.g. `http://localhost:8787`. */
  apiBase: string;
  workspaceId: string;
  /** The read (or admin) token. */
  key: string;
  /** Aborting ends the sync quietly: pages already stored stay stored. */
  signal?: AbortSignal;
  /** Every status change: syncing with progress, then how it ended. */
  onStatus?: (status: SyncStatus) => void;
  /** After each page that stored events, e.g. to refresh the aggregator. */
  onStored?: (result: AppendResult) => void;
  /** After retention dropped stored events: the aggregator must reload. */
  onDropped?: (result: RetentionResult) => void;
  /** Also ask the edge for the workspace's name and demo flag (one request, before the pages). Default true. */
  fetchInfo?: boolean;
  /** Defaults to `navigator.onLine`. */
  isOnline?: () => boolean;
  /** Events per page; default and maximum 5,000. */
  pageSize?: number;
}

export interface SyncOutcome {
  /** How the sync ended (also the last status passed to `onStatus`). */
  status: SyncStatus;
  /** The workspace info, when asked for and received. */
  info: WorkspaceInfo | null;
  /** Events stored by this sync. */
  pulled: number;
  /** Ended by the signal; `status` is then idle. */
  aborted: boolean;
}

/** Pulls every event after the stored cursor; resolves with how it ended, never rejects. */
export async function syncWorkspace(options: SyncOptions): Promise<SyncOutcome> {
  const { store, workspaceId, signal } = options;
  const emit = (status: SyncStatus): SyncStatus => (options.onStatus?.(status), status);
  const online = options.isOnline ?? (() => typeof navigator === "undefined" || navigator.onLine !== false);
  let info: WorkspaceInfo | null = null;
  let pulled = 0;
  let state: SyncState = { after: 0, syncedAt: null, events: 0 };
  const end = (status: SyncStatus, aborted = false): SyncOutcome => ({ status: emit(status), info, pulled, aborted });

  try {
    state = await store.syncState(workspaceId);
    if (signal?.aborted) return end(idle(state), true);
    if (!online()) return end({ state: "offline", syncedAt: state.syncedAt, events: state.events });
    emit({ state: "syncing", events: state.events, pulled });

    const base = `${options.apiBase.replace(/\/+$/, "")}/api/v1/workspaces/${encodeURIComponent(workspaceId)}`;
    const limit = Math.min(options.pageSize ?? LIMITS.pageSize, LIMITS.pageSize);
    if (options.fetchInfo ?? true) info = (await getJson(options, base, workspaceResponse)).workspace;
    let retention: RetentionCutoffs | undefined;
    for (;;) {
      const page = await getJson(options, `${base}/events?after=${state.after}&limit=${limit}`, pullResponse);
      retention = page.retention ?? retention;
      const before = state.after;
      const result = await store.appendPage(workspaceId, page.events, page.next);
      state = result;
      pulled += result.stored;
      if (result.stored > 0) options.onStored?.(result);
      if (!page.more) break;
      // a page that says "more" but moves nothing would loop for ever
      if (state.after <= before) throw new SyncProtocolError(`the edge answered more=true without advancing past seq ${before}`);
      if (signal?.aborted) return end(idle(state), true);
      emit({ state: "syncing", events: state.events, pulled });
    }
    // once the pages are in, so events they carried from before the cutoff go too
    if (retention && store.applyRetention) {
      const dropped = await store.applyRetention(workspaceId, retention);
      if (dropped.dropped > 0) {
        state = { ...state, events: state.events - dropped.dropped };
        options.onDropped?.(dropped);
      }
    }
    return end(idle(state));
  } catch (err) {
    if (isAbortError(err) || signal?.aborted) return end(idle(state), true);
    return end(failedStatus(err, state));
  }
}

function idle(state: SyncState): SyncStatus {
  return { state: "idle", syncedAt: state.syncedAt, events: state.events };
}

function failedStatus(err: unknown, state: SyncState): SyncStatus {
  const events = state.events;
  if (err instanceof SyncDeniedError) return { state: "denied", code: err.code, message: err.message, events };
  if (err instanceof SyncOfflineError) return { state: "offline", syncedAt: state.syncedAt, events };
  if (err instanceof StoreFullError) return { state: "quota", message: err.message, events };
  if (err instanceof SyncError || err instanceof StoreError) return { state: "error", message: err.message, events };
  // not a failure we know: still a status, so the loop keeps its schedule, but loud
  console.error("sync failed unexpectedly", err);
  return { state: "error", message: err instanceof Error ? err.message : String(err), events };
}

// one authenticated GET, its failures named, its body checked
async function getJson<T>(options: SyncOptions, url: string, schema: Schema<T>): Promise<T> {
  const fetchFn = options.fetch ?? globalThis.fetch; // called detached: a window's fetch must not get another `this`
  const init: RequestInit = { headers: { Authorization: `Bearer ${options.key}`, Accept: "application/json" } };
  if (options.signal) init.signal = options.signal;
  let response: Response;
  let text: string;
  try {
    response = await fetchFn(url, init);
    text = await response.text();
  } catch (err) {
    // fetch rejects with a TypeError for every network failure, by design giving no detail
    if (err instanceof TypeError) throw new SyncOfflineError(`could not reach ${url}: ${err.message}`, { cause: err });
    throw err;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const envelope = errorBody.safeParse(body);
    const code = envelope.success ? envelope.data.error.code : `http_${response.status}`;
    const message = envelope.success ? envelope.data.error.message : `${response.status} ${response.statusText}`.trim();
    if (response.status === 401 || response.status === 403) throw new SyncDeniedError(response.status, code, message);
    throw new SyncServerError(response.status, code, message);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new SyncProtocolError(`unexpected answer from ${url}: ${body === undefined ? "not JSON" : parsed.error.message}`);
  return parsed.data;
}

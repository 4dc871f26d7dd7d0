/**
 * Keeps one workspace in sync while it is open: a sync at start, when the
 * browser comes back online, and every ~30 s while the page is visible, with
 * jittered exponential backoff after errors. A hidden page does not poll. One
 * sync at a time per workspace: a trigger during a sync runs one more after it.
 */
import type { WorkspaceInfo } from "../../../shared/wire.ts";
import type { KnownWorkspace, SyncStatus } from "../data/api.ts";
import type { AppendResult } from "../store/segment-store.ts";
import type { RetentionResult } from "../store/retention.ts";
import { syncWorkspace, type SyncOutcome, type SyncStore } from "./pull.ts";

/** The browser signals the loop follows; tests pass a fake. */
export interface SyncEnv {
  online(): boolean;
  visible(): boolean;
  /** Calls `listener` when the browser comes online or the page becomes visible; returns an unsubscribe. */
  subscribe(listener: (event: "online" | "visible") => void): () => void;
}

export interface SyncLoopOptions {
  store: SyncStore;
  workspace: Pick<KnownWorkspace, "id" | "apiBase" | "key">;
  fetch?: typeof fetch;
  /** Every status change, starting with the first sync's. */
  onStatus?: (status: SyncStatus) => void;
  /** The edge's name and demo flag, once per loop: store them with updateWorkspaceInfo. */
  onInfo?: (info: WorkspaceInfo) => void;
  /** After each page that stored events: refresh the aggregator. */
  onStored?: (result: AppendResult) => void;
  /** After retention dropped stored events: reload the aggregator. */
  onDropped?: (result: RetentionResult) => void;
  /** Between syncs while visible; default 30 s. */
  intervalMs?: number;
  env?: SyncEnv;
  /** For jitter; default Math.random. */
  random?: () => number;
}

export interface SyncLoop {
  /** The latest status. */
  readonly status: SyncStatus;
  /** Syncs now (or once more after the running sync) and resolves with how it ended. Also retries after denied/quota. */
  syncNow(): Promise<SyncStatus>;
  /** Aborts a running sync and stops every timer and listener. */
  stop(): void;
}

export const SYNC_INTERVAL_MS = 30_000;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

/** Delay before retry `failures` (1, 2, …): doubling from 2 s up to 5 min, times a jitter of 0.5–1.5 so tabs don't retry in step. */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
  return Math.round(base * (0.5 + random()));
}

/** `online` events and page visibility, from window and document. */
export function browserEnv(): SyncEnv {
  return {
    online: () => navigator.onLine !== false,
    visible: () => document.visibilityState !== "hidden",
    subscribe(listener) {
      const onOnline = (): void => listener("online");
      const onVisibility = (): void => {
        if (document.visibilityState === "visible") listener("visible");
      };
      window.addEventListener("online", onOnline);
      document.addEventListener("visibilitychange", onVisibility);
      return () => {
        window.removeEventListener("online", onOnline);
        document.removeEventListener("visibilitychange", onVisibility);
      };
    },
  };
}

// the sync in flight per workspace, shared by every loop of this page
const inFlight = new Map<string, Promise<unknown>>();

function exclusive<T>(workspaceId: string, task: () => Promise<T>): Promise<T> {
  const run = (inFlight.get(workspaceId) ?? Promise.resolve()).then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  inFlight.set(workspaceId, tail);
  void tail.then(() => {
    if (inFlight.get(workspaceId) === tail) inFlight.delete(workspaceId);
  });
  return run;
}

/** Starts syncing `workspace` at once and keeps it in sync until `stop()`. */
export function startSyncLoop(options: SyncLoopOptions): SyncLoop {
  const env = options.env ?? browserEnv();
  const interval = options.intervalMs ?? SYNC_INTERVAL_MS;
  const random = options.random ?? Math.random;
  const controller = new AbortController();
  let status: SyncStatus = { state: "idle", syncedAt: null, events: 0 };
  let running: Promise<SyncStatus> | null = null;
  let again = false;
  let failures = 0;
  let infoKnown = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // a timer fired while the page was hidden: sync as soon as it is visible
  let due = false;

  const setStatus = (next: SyncStatus): void => {
    status = next;
    if (!stopped) options.onStatus?.(next);
  };

  const once = (): Promise<SyncOutcome> =>
    exclusive(options.workspace.id, () =>
      syncWorkspace({
        store: options.store,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        apiBase: options.workspace.apiBase,
        workspaceId: options.workspace.id,
        key: options.workspace.key,
        signal: controller.signal,
        onStatus: setStatus,
        ...(options.onStored ? { onStored: options.onStored } : {}),
        ...(options.onDropped ? { onDropped: options.onDropped } : {}),
        fetchInfo: !infoKnown,
        isOnline: env.online,
      }),
    );

  const run = async (): Promise<SyncStatus> => {
    clearTimeout(timer);
    due = false;
    let outcome: SyncOutcome;
    do {
      again = false;
      outcome = await once();
      if (outcome.info && !stopped) {
        infoKnown = true;
        options.onInfo?.(outcome.info);
      }
    } while (again && !stopped && outcome.status.state === "idle");
    running = null;
    schedule(outcome.status);
    return outcome.status;
  };

  const schedule = (last: SyncStatus): void => {
    if (stopped) return;
    let delay: number;
    if (last.state === "idle") {
      failures = 0;
      delay = interval;
    } else if (last.state === "offline" || last.state === "error") {
      // offline retries too: navigator.onLine and `online` events are hints, not facts
      delay = backoffDelay(++failures, random);
    } else {
      // denied and quota need the user (a new link, free space): only syncNow retries
      return;
    }
    timer = setTimeout(() => {
      if (env.visible()) void syncNow();
      else due = true;
    }, delay);
  };

  const syncNow = (): Promise<SyncStatus> => {
    if (stopped) return Promise.resolve(status);
    if (running) {
      again = true;
      return running;
    }
    running = run();
    return running;
  };

  const unsubscribe = env.subscribe((event) => {
    if (event === "online" && (status.state === "offline" || status.state === "error" || status.state === "idle")) {
      failures = 0;
      void syncNow();
    } else if (event === "visible" && due) {
      void syncNow();
    }
  });
  void syncNow();

  return {
    get status() {
      return status;
    },
    syncNow,
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      controller.abort();
    },
  };
}

/**
 * Applies live messages to the store, one at a time in arrival order: each
 * is planned (live-plan.ts) against the stored cursor, then stored through
 * the store's per-workspace queue, the same one pulled pages go through, so
 * a live append and a pull never race on the cursor. The append re-checks
 * `prev_seq` against the cursor inside its transaction; a gap, seen either
 * way, becomes a pull and the messages after it wait for that pull, so they
 * are mostly duplicates by the time they are planned. Nothing is lost: the
 * pull fetches everything after the cursor.
 */
import type { AlertHistoryEntry, LiveMessage } from "../../../shared/wire.ts";
import type { AppendResult } from "../store/segment-store.ts";
import type { SyncStore } from "../sync/pull.ts";
import { planLive } from "./live-plan.ts";

export interface LiveApplyOptions {
  store: Pick<SyncStore, "syncState" | "appendPage">;
  workspaceId: string;
  /** Pulls from the stored cursor (the sync loop's syncNow); resolves when done, never rejects. */
  pull(): Promise<unknown>;
  /** After a message stored events: refresh the aggregator. */
  onStored?(result: AppendResult): void;
  onAlert?(alert: AlertHistoryEntry): void;
}

export interface LiveApplier {
  /** Queues a message; resolves once it (and every message before it) has been handled. */
  push(message: LiveMessage): Promise<void>;
  /** Messages queued later are dropped (the page closed). */
  stop(): void;
}

export function createLiveApplier(options: LiveApplyOptions): LiveApplier {
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;
  // the cursor as this applier's last append left it, so a steady stream of batches skips reading it
  // each time: only an append is decided on it, and the append checks the cursor again in its transaction
  let lastAfter: number | undefined;

  const plan = async (message: LiveMessage) => {
    const quick = lastAfter === undefined ? undefined : planLive(message, lastAfter, options.workspaceId);
    if (quick?.kind === "append") return quick;
    const { after } = await options.store.syncState(options.workspaceId);
    return planLive(message, after, options.workspaceId);
  };

  const handle = async (message: LiveMessage): Promise<void> => {
    if (stopped) return;
    if (message.type === "events") {
      // User Timing, for DevTools and the bench: a live batch's apply-and-redraw starts here
      // (the latest only: one per batch would pile up in a dashboard left open)
      performance.clearMarks("tally:live-received");
      performance.mark("tally:live-received", { detail: { lastSeq: message.last_seq } });
    }
    const planned = await plan(message);
    switch (planned.kind) {
      case "ignore":
        return;
      case "alert":
        return options.onAlert?.(planned.alert);
      case "pull":
        lastAfter = undefined;
        await options.pull();
        return;
      case "append": {
        lastAfter = undefined;
        const result = await options.store.appendPage(options.workspaceId, planned.events, planned.next, { follows: planned.follows });
        // the cursor moved back under us (the workspace's events were deleted): pull, never skip
        if (!result.gap) lastAfter = result.after;
        if (result.gap) await options.pull();
        else if (result.stored > 0 && !stopped) options.onStored?.(result);
      }
    }
  };

  return {
    push(message) {
      // alerts do not touch the store: no reason to wait behind a pull
      if (message.type === "alert") {
        if (!stopped && message.workspace === options.workspaceId) options.onAlert?.(message.alert);
        return queue;
      }
      // a failed append (storage full, database closed) is the pull's to report: it runs into the same failure and shows it
      queue = queue
        .then(() => handle(message))
        .catch(async (err: unknown) => {
          console.warn("Tally: a live update could not be stored; pulling instead", err);
          if (!stopped) await options.pull();
        })
        .catch(() => undefined);
      return queue;
    },
    stop() {
      stopped = true;
    },
  };
}

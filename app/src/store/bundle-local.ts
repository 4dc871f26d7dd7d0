/**
 * Stand-ins for sync and the live connection of a workspace imported from a
 * bundle: it has no edge and no token, so nothing is pulled or connected.
 * The page still gets a status (its stored event count, never synced) and a
 * live state, so it renders as for any other workspace.
 */
import type { KnownWorkspace, SyncStatus } from "../data/api.ts";
import type { LiveState } from "../live/live-connection.ts";
import type { SegmentStore } from "./segment-store.ts";

/** Whether the workspace is a local copy imported from a bundle (never synced). */
export function isImportedCopy(workspace: Pick<KnownWorkspace, "imported">): boolean {
  return workspace.imported !== undefined;
}

/** A sync handle that only reports what is stored. */
export function localCopySync(store: Pick<SegmentStore, "syncState">, workspaceId: string, onStatus: (status: SyncStatus) => void): { syncNow(): Promise<SyncStatus>; stop(): void } {
  let stopped = false;
  const report = async (): Promise<SyncStatus> => {
    const state = await store.syncState(workspaceId).catch(() => ({ events: 0 }));
    const status: SyncStatus = { state: "idle", syncedAt: null, events: state.events };
    if (!stopped) onStatus(status);
    return status;
  };
  void report();
  return {
    syncNow: report,
    stop: () => void (stopped = true),
  };
}

/** A live handle that never connects: the copy shows as offline. */
export function localCopyLive(onState: (state: LiveState) => void): { revoke(): void; stop(): void } {
  queueMicrotask(() => onState("offline"));
  return { revoke: () => undefined, stop: () => undefined };
}

/**
 * Live updates for one open workspace: the socket (live-connection.ts) feeding
 * the applier (live-apply.ts). The composition root builds this for the
 * workspace page; stopping it closes the socket and drops what is queued.
 */
import type { AlertHistoryEntry } from "../../../shared/wire.ts";
import type { KnownWorkspace } from "../data/api.ts";
import type { AppendResult } from "../store/segment-store.ts";
import { createLiveApplier, type LiveApplyOptions } from "./live-apply.ts";
import { startLiveConnection, type LiveEnv, type LiveState } from "./live-connection.ts";

export interface LiveOptions {
  store: LiveApplyOptions["store"];
  workspace: Pick<KnownWorkspace, "id" | "apiBase" | "key">;
  /** The sync loop's syncNow: catches up after a gap or a reconnect. */
  pull(): Promise<unknown>;
  onState?(state: LiveState): void;
  onStored?(result: AppendResult): void;
  onAlert?(alert: AlertHistoryEntry): void;
  env?: LiveEnv;
  random?: () => number;
}

export interface LiveHandle {
  /** The link was refused (the pull got 401/403): stop, showing it revoked. */
  revoke(): void;
  stop(): void;
}

export function startLive(options: LiveOptions): LiveHandle {
  const applier = createLiveApplier({
    store: options.store,
    workspaceId: options.workspace.id,
    pull: options.pull,
    ...(options.onStored ? { onStored: options.onStored } : {}),
    ...(options.onAlert ? { onAlert: options.onAlert } : {}),
  });
  const connection = startLiveConnection({
    workspace: options.workspace,
    onMessage: (message) => void applier.push(message),
    ...(options.onState ? { onState: options.onState } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  return {
    revoke: () => connection.revoke(),
    stop() {
      connection.stop();
      applier.stop();
    },
  };
}

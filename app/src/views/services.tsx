/**
 * What the views need from the data layer, in one object provided through
 * context: the aggregator, the known-workspaces list, sync and storage.
 * main.tsx builds it from store/, sync/ and aggregate/; views never import
 * those modules, so the seam stays in one place (and a test can pass fakes).
 */
import { createContext, useContext } from "solid-js";
import type { AlertHistoryEntry, WorkspaceInfo } from "../../../shared/wire.ts";
import type { LiveState } from "../live/live-connection.ts";
import type { Aggregator, KnownWorkspace, SyncStatus } from "../data/api.ts";
import type { StorageInfo } from "../components/storage-notice.tsx";
import type { WorkspaceConfig } from "../../../shared/config.ts";
import type { ImportOutcome, ImportProgress } from "../store/bundle-import.ts";

/** A running sync of one workspace. */
export interface SyncHandle {
  syncNow(): Promise<SyncStatus>;
  stop(): void;
}

export interface SyncHandlers {
  onStatus(status: SyncStatus): void;
  /** After a page of events was stored, or retention dropped some: time to refresh the aggregator. */
  onStored(): void;
  onInfo(info: WorkspaceInfo): void;
}

/** The live connection of one workspace. */
export interface LiveHandle {
  /** The link was refused: close and show it revoked. */
  revoke(): void;
  stop(): void;
}

export interface LiveHandlers {
  /** Pulls from the stored cursor (the workspace's SyncHandle.syncNow). */
  pull(): Promise<unknown>;
  onState(state: LiveState): void;
  /** After a live message stored events. */
  onStored(): void;
  onAlert(alert: AlertHistoryEntry): void;
}

export interface Services {
  aggregator: Aggregator;
  workspaces: {
    list(): Promise<KnownWorkspace[]>;
    get(id: string): Promise<KnownWorkspace | undefined>;
    /** Remembers a share link (adds the workspace or updates its key). */
    save(link: { id: string; apiBase: string; key: string }): Promise<KnownWorkspace>;
    touch(id: string): Promise<void>;
    setInfo(info: Pick<WorkspaceInfo, "id" | "name" | "demo">): Promise<void>;
    /** Stored events and last successful sync, for the list of workspaces. */
    syncState(id: string): Promise<{ events: number; syncedAt: number | null }>;
    /** Forgets a workspace and deletes its stored events. */
    remove(id: string): Promise<void>;
  };
  startSync(workspace: KnownWorkspace, handlers: SyncHandlers): SyncHandle;
  /** Connects the workspace's live updates while the page is open and the browser online. */
  startLive(workspace: KnownWorkspace, handlers: LiveHandlers): LiveHandle;
  /** Workspace bundles (shared/bundle.ts), both offline. */
  bundles: {
    /** Checks a bundle file whole, then adds its events to the local copy `bundle-<source id>`; a bad file stores nothing. */
    importFile(file: Blob, onProgress: (progress: ImportProgress) => void): Promise<ImportOutcome>;
    /** The stored workspace and `config` as a bundle file, gzip-compressed where the browser can. */
    exportFile(workspace: KnownWorkspace, config: WorkspaceConfig, onProgress: (events: number) => void): Promise<{ blob: Blob; gzip: boolean }>;
  };
  storage: {
    /** Asks the browser to keep stored data (once per page load). */
    persist(): Promise<boolean>;
    report(): Promise<StorageInfo>;
  };
  /** Calls back when another tab upgraded or deleted the database; returns an unsubscribe. */
  onClosedElsewhere(listener: () => void): () => void;
}

const ServicesContext = createContext<Services>();

export const ServicesProvider = ServicesContext.Provider;

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}

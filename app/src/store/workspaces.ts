/**
 * The workspaces this browser knows: added (or updated) when a share link is
 * opened, most recently opened first, removed together with their events.
 */
import type { KnownWorkspace } from "../data/api.ts";
import type { WorkspaceInfo } from "../../../shared/wire.ts";
import type { TallyDb } from "./db.ts";
import { deleteWorkspaceData, eventTables } from "./segment-store.ts";
import { toStoreError } from "./errors.ts";

/** What a share link names: the edge, the workspace and its read token. */
export interface ShareLinkTarget {
  id: string;
  apiBase: string;
  key: string;
}

/**
 * Adds the workspace a share link opens, or updates its token and edge when
 * it is known already (a new link for the same workspace keeps its events).
 * Either way it becomes the most recently opened.
 */
export async function saveWorkspace(db: TallyDb, link: ShareLinkTarget, now: number = Date.now()): Promise<KnownWorkspace> {
  try {
    return await db.transaction("rw", db.workspaces, async () => {
      const known = await db.workspaces.get(link.id);
      const ws: KnownWorkspace = known
        ? { ...known, apiBase: link.apiBase, key: link.key, lastOpenedAt: now }
        : { id: link.id, name: link.id, demo: false, apiBase: link.apiBase, key: link.key, addedAt: now, lastOpenedAt: now };
      await db.workspaces.put(ws);
      return ws;
    });
  } catch (err) {
    throw toStoreError(err, "saving a workspace");
  }
}

/** Every known workspace, most recently opened first. */
export async function listWorkspaces(db: TallyDb): Promise<KnownWorkspace[]> {
  try {
    return await db.workspaces.orderBy("lastOpenedAt").reverse().toArray();
  } catch (err) {
    throw toStoreError(err, "listing workspaces");
  }
}

export async function getWorkspace(db: TallyDb, id: string): Promise<KnownWorkspace | undefined> {
  try {
    return await db.workspaces.get(id);
  } catch (err) {
    throw toStoreError(err, "reading a workspace");
  }
}

/** Marks a workspace as opened now. */
export async function touchWorkspace(db: TallyDb, id: string, now: number = Date.now()): Promise<void> {
  try {
    await db.workspaces.update(id, { lastOpenedAt: now });
  } catch (err) {
    throw toStoreError(err, "updating a workspace");
  }
}

/** Records the name and demo flag the edge reports (see sync's `onInfo`). */
export async function updateWorkspaceInfo(db: TallyDb, info: Pick<WorkspaceInfo, "id" | "name" | "demo">): Promise<void> {
  try {
    await db.workspaces.update(info.id, { name: info.name, demo: info.demo });
  } catch (err) {
    throw toStoreError(err, "updating a workspace");
  }
}

/**
 * Forgets a workspace and deletes its events, in one transaction. Stop its
 * sync loop first, or a page in flight would store events again.
 */
export async function removeWorkspace(db: TallyDb, id: string): Promise<void> {
  try {
    await db.transaction("rw", [db.workspaces, ...eventTables(db)], async () => {
      await deleteWorkspaceData(db, id);
      await db.workspaces.delete(id);
    });
  } catch (err) {
    throw toStoreError(err, "removing a workspace");
  }
}

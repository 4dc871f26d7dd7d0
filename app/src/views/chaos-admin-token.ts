/**
 * The workspace's admin token, for editing alert rules: kept only in this
 * tab's sessionStorage (gone when the tab closes), never in the URL, the
 * known-workspaces list or IndexedDB, and forgotten on request.
 */
import { TOKEN_PREFIX } from "../../../shared/wire.ts";

const KEY_PREFIX = "tally:admin-token:";

/** sessionStorage, or nothing where the browser refuses it (a sandboxed frame). */
function storage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** Whether `text` looks like an admin token (the edge is the judge of whether it is one). */
export function isAdminToken(text: string): boolean {
  return text.startsWith(TOKEN_PREFIX.admin) && text.length > TOKEN_PREFIX.admin.length && !/\s/.test(text);
}

export function loadAdminToken(workspaceId: string, store: Storage | null = storage()): string | null {
  try {
    return store?.getItem(KEY_PREFIX + workspaceId) ?? null;
  } catch {
    return null;
  }
}

/** Keeps the token for this tab; false when it was not kept (still usable for this page). */
export function saveAdminToken(workspaceId: string, token: string, store: Storage | null = storage()): boolean {
  try {
    store?.setItem(KEY_PREFIX + workspaceId, token);
    return store !== null;
  } catch {
    return false;
  }
}

export function forgetAdminToken(workspaceId: string, store: Storage | null = storage()): void {
  try {
    store?.removeItem(KEY_PREFIX + workspaceId);
  } catch {
    // nothing was kept
  }
}

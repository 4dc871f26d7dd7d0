/**
 * What the views keep of a workspace outside IndexedDB: the alert and
 * coverage config copies for offline use (localStorage, `tally:<what>:<id>`)
 * and the admin token (sessionStorage). Forgetting a workspace removes them
 * with its events, so nothing of it, webhook URLs and catalogs included,
 * outlives it in this browser.
 */

function storages(): Storage[] {
  const out: Storage[] = [];
  for (const get of [() => localStorage, () => sessionStorage]) {
    try {
      const s = get();
      if (s) out.push(s);
    } catch {
      // refused (a sandboxed frame): nothing kept there
    }
  }
  return out;
}

/** Removes every `tally:…:<workspaceId>` entry of `stores`. */
export function forgetKeptCopies(workspaceId: string, stores: Storage[] = typeof window === "undefined" ? [] : storages()): void {
  for (const store of stores) {
    try {
      const keys: string[] = [];
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        if (key !== null && key.startsWith("tally:") && key.endsWith(`:${workspaceId}`)) keys.push(key);
      }
      for (const key of keys) store.removeItem(key);
    } catch {
      // a storage that fails now kept nothing we could remove
    }
  }
}

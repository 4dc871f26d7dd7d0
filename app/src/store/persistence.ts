/**
 * Durable storage. Browsers may evict IndexedDB under storage pressure unless
 * the origin is granted persistent storage; Tally asks once and reports what
 * it got, and how much space it uses, for the UI to show.
 */

/** What the UI shows about local storage. `null` where the browser does not say. */
export interface StorageReport {
  /** Whether the browser promised not to evict Tally's data. */
  persisted: boolean;
  /** Bytes used by this origin. */
  usage: number | null;
  /** Bytes this origin may use. */
  quota: number | null;
}

/** The parts of `navigator.storage` used here; tests pass a fake. */
export type StorageLike = Pick<StorageManager, "persist" | "persisted" | "estimate">;

let asked: Promise<boolean> | null = null;

function defaultStorage(): StorageLike | undefined {
  return typeof navigator === "undefined" ? undefined : navigator.storage;
}

/**
 * Asks for persistent storage, once per page load (later calls return the
 * first answer). Resolves false when the browser refuses or has no such API.
 */
export function requestPersistence(storage: StorageLike | undefined = defaultStorage()): Promise<boolean> {
  asked ??= (async () => {
    if (!storage?.persist) return false;
    try {
      return (await storage.persisted()) || (await storage.persist());
    } catch {
      // some browsers throw in private mode instead of answering false
      return false;
    }
  })();
  return asked;
}

/** Whether storage is persistent, and the usage and quota estimate. */
export async function storageReport(storage: StorageLike | undefined = defaultStorage()): Promise<StorageReport> {
  if (!storage) return { persisted: false, usage: null, quota: null };
  const [persisted, estimate] = await Promise.all([
    storage.persisted ? storage.persisted().catch(() => false) : Promise.resolve(false),
    storage.estimate ? storage.estimate().catch(() => null) : Promise.resolve(null),
  ]);
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

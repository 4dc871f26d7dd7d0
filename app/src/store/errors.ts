/**
 * Named failures of the local store, Dexie style: callers branch on the class
 * (or `name`), never on message text. `toStoreError` maps what Dexie and
 * IndexedDB throw onto these.
 */

/** Base class of every store failure; also wraps failures with no better name. */
export class StoreError extends Error {
  override name = "StoreError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The browser refused to store more. The transaction was aborted: nothing of it was stored. */
export class StoreFullError extends StoreError {
  override name = "StoreFullError";
}

/**
 * The database cannot be used: IndexedDB is missing (some private modes), it
 * failed to open, or it was closed because another tab upgraded or deleted it.
 */
export class StoreUnavailableError extends StoreError {
  override name = "StoreUnavailableError";
}

/** Stored data contradicts itself (a gap in the dictionary, ids missing for a segment). */
export class StoreCorruptError extends StoreError {
  override name = "StoreCorruptError";
}

const UNAVAILABLE = new Set(["DatabaseClosedError", "MissingAPIError", "OpenFailedError", "VersionError", "InvalidStateError"]);

// Dexie wraps the native error in `inner`; a failed commit surfaces as an AbortError whose cause is the quota
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, depth = 0; e != null && depth < 5; depth++) {
    out.push(e);
    const next: unknown = (e as { inner?: unknown }).inner ?? (e as { cause?: unknown }).cause;
    if (next === e) break;
    e = next;
  }
  return out;
}

function errorName(e: unknown): string {
  return typeof e === "object" && e !== null && typeof (e as { name?: unknown }).name === "string" ? (e as { name: string }).name : "";
}

/** Whether `err`, or an error it wraps, is the browser's quota refusal. */
export function isQuotaError(err: unknown): boolean {
  // legacy code 22 is what some browsers still report instead of the name
  return chain(err).some((e) => errorName(e) === "QuotaExceededError" || (e as { code?: unknown }).code === 22);
}

/** Maps a Dexie/IndexedDB failure to a store error; store errors pass through unchanged. */
export function toStoreError(err: unknown, doing: string): StoreError {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isQuotaError(err)) return new StoreFullError(`storage is full while ${doing}: ${message}`, { cause: err });
  if (UNAVAILABLE.has(errorName(err))) return new StoreUnavailableError(`local database unavailable while ${doing}: ${message}`, { cause: err });
  return new StoreError(`${doing} failed: ${message}`, { cause: err });
}

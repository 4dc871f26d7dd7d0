/**
 * Named failures of a sync pull; pull.ts maps each onto a SyncStatus. An
 * aborted pull is not among them: AbortError is how a sync is stopped.
 */

/** Base class of every sync failure. */
export class SyncError extends Error {
  override name = "SyncError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The edge refused the token (401/403): revoked, expired, unknown or for another workspace. Retrying will not help. */
export class SyncDeniedError extends SyncError {
  override name = "SyncDeniedError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The edge could not be reached: the browser is offline or the network failed. */
export class SyncOfflineError extends SyncError {
  override name = "SyncOfflineError";
}

/** The edge answered with an error worth retrying later (5xx, 429, or another refusal). */
export class SyncServerError extends SyncError {
  override name = "SyncServerError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The edge answered with something that is not the API's shape (a proxy page, a bad deploy), or a cursor that does not advance. */
export class SyncProtocolError extends SyncError {
  override name = "SyncProtocolError";
}

/** Whether `err` is the abort of a fetch or of our own signal: a normal way for a sync to end. */
export function isAbortError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "AbortError";
}

/**
 * The one error type handlers throw, and the one place that renders the error
 * envelope `{ error: { code, message, details } }`.
 */
import type { ErrorBody } from "../../shared/wire.ts";

/** A failure the client caused or must know about; anything else is a 500. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * Renders any thrown value as the error envelope; unknown errors are logged and
 * hidden. `details` is always present (null when there are none), so every error
 * has the same shape.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof ApiError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message, details: err.details ?? null } };
    return Response.json(body, { status: err.status, headers: err.status === 401 ? { "WWW-Authenticate": "Bearer" } : {} });
  }
  console.error("unhandled error", err);
  const body: ErrorBody = { error: { code: "internal", message: "internal error; the request may be retried", details: null } };
  return Response.json(body, { status: 500 });
}

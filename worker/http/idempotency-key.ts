/**
 * The `Idempotency-Key` header every event-posting route reads: events sent
 * without an id get one derived from it (DESIGN.md, Events), so a retried
 * batch is stored once.
 */
import { LIMITS } from "../../shared/event.ts";
import { ApiError } from "./api-error.ts";

/** The header's value, trimmed; undefined when absent or blank. */
export function idempotencyKey(request: Request): string | undefined {
  const key = request.headers.get("Idempotency-Key")?.trim();
  if (key === undefined || key === "") return undefined;
  if (key.length > LIMITS.idempotencyKeyChars) {
    throw new ApiError(400, "invalid_header", `Idempotency-Key is limited to ${LIMITS.idempotencyKeyChars} characters`);
  }
  return key;
}

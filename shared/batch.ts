/**
 * Batch bodies as text: a `{ events, sent_at }` object, a bare array, or NDJSON.
 * Used by the edge to read posted bodies and by `tally post` to read files, so
 * both accept exactly the same inputs.
 */
import { LIMITS } from "./event.ts";
import { batchEnvelope, fromSchema, type Validated } from "./validate.ts";

/** How a batch body is written. */
export type BatchFormat = "json" | "ndjson";

/** A batch whose events are not yet validated one by one. */
export interface RawBatch {
  events: unknown[];
  sent_at?: string | number;
}

/** Parses a batch body. Issues name the line (NDJSON) or the field at fault. */
export function parseBatch(text: string, format: BatchFormat): Validated<RawBatch> {
  return format === "ndjson" ? parseNdjson(text) : parseJson(text);
}

function parseJson(text: string): Validated<RawBatch> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [{ path: "", message: `body is not valid JSON: ${(e as Error).message}` }] };
  }
  if (Array.isArray(body)) return { ok: true, value: { events: body } };
  if (body === null || typeof body !== "object") {
    return { ok: false, issues: [{ path: "", message: "body must be an array of events or an object with an `events` array" }] };
  }
  return fromSchema(batchEnvelope.safeParse(body));
}

function parseNdjson(text: string): Validated<RawBatch> {
  const events: unknown[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    try {
      events.push(JSON.parse(line));
    } catch (e) {
      return { ok: false, issues: [{ path: `line ${i + 1}`, message: `not valid JSON: ${(e as Error).message}` }] };
    }
  }
  return { ok: true, value: { events } };
}

/** Whether a batch exceeds the per-batch event limit. */
export function tooManyEvents(batch: RawBatch): boolean {
  return batch.events.length > LIMITS.eventsPerBatch;
}

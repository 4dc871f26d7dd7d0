/**
 * Splits a file's events into request bodies the edge accepts: at most
 * LIMITS.eventsPerBatch events and BATCH_BYTES of JSON each, in file order.
 * Each batch remembers which file index each of its events came from, so the
 * edge's batch positions can be reported as places in the file.
 */
import { LIMITS } from "../../shared/event.ts";

/** Below LIMITS.bodyBytes, leaving room for a proxy's or a future field's overhead. */
export const BATCH_BYTES = 900_000;

/** `sent_at` is always `new Date().toISOString()`: 24 characters. */
const ENVELOPE_BYTES = Buffer.byteLength(JSON.stringify({ events: [], sent_at: "2000-01-01T00:00:00.000Z" }));

export interface Batch {
  /** Each event's JSON text, serialised once. */
  texts: string[];
  /** File index of each event, in the same order. */
  indexes: number[];
  /** Size of the body this batch makes, in UTF-8 bytes. */
  bytes: number;
}

/** An event too large for any request body: it is reported, not sent. */
export interface Unsendable {
  index: number;
  bytes: number;
}

export interface Plan {
  batches: Batch[];
  unsendable: Unsendable[];
}

export interface PlanLimits {
  maxEvents: number;
  maxBytes: number;
}

/** The request body of a batch, stamped with the time it is sent. */
export function batchBody(batch: Batch, sentAt: string): string {
  return `{"events":[${batch.texts.join(",")}],"sent_at":${JSON.stringify(sentAt)}}`;
}

/**
 * Packs events greedily in order. An event over LIMITS.eventBytes is still
 * packed where it falls, so the edge rejects it with its own message and the
 * rest of the batch is stored; one too large for even a body of its own could
 * only get the whole request refused, so it is left out and listed instead.
 */
export function planBatches(events: unknown[], limits: PlanLimits = { maxEvents: LIMITS.eventsPerBatch, maxBytes: BATCH_BYTES }): Plan {
  const plan: Plan = { batches: [], unsendable: [] };
  let current: Batch | undefined;
  events.forEach((event, index) => {
    // undefined cannot come from a parsed file; null keeps the array's length if it ever does
    const text = JSON.stringify(event) ?? "null";
    const size = Buffer.byteLength(text);
    if (ENVELOPE_BYTES + size > LIMITS.bodyBytes) {
      plan.unsendable.push({ index, bytes: size });
      return;
    }
    const grown = current ? current.bytes + 1 + size : Infinity;
    if (!current || current.texts.length >= limits.maxEvents || grown > limits.maxBytes) {
      current = { texts: [], indexes: [], bytes: ENVELOPE_BYTES - 1 };
      plan.batches.push(current);
    }
    current.texts.push(text);
    current.indexes.push(index);
    current.bytes += 1 + size;
  });
  return plan;
}

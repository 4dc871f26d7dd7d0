/**
 * Turns a raw batch into the rows the edge stores: validates each event,
 * assigns ids where senders gave none, converts times to epoch milliseconds and
 * corrects client clock skew. Pure: receive time and the id source come in.
 */
import { LIMITS, type EventType, type Props } from "./event.ts";
import { validateEvent } from "./validate.ts";
import type { IngestWarning, Rejection } from "./wire.ts";
import type { RawBatch } from "./batch.ts";

/** An event ready to store. */
export interface NormalizedEvent {
  id: string;
  ts: number;
  type: EventType;
  name: string;
  props: Props;
}

export interface IngestContext {
  /** Edge receive time, epoch ms. */
  receivedAt: number;
  /** The request's `Idempotency-Key`, if any: ids are derived from it. */
  idempotencyKey?: string;
  /** Source of fresh ids for events that have neither id nor idempotency key. */
  newId: () => string;
}

export interface NormalizedBatch {
  events: NormalizedEvent[];
  rejections: Rejection[];
  warnings: IngestWarning[];
}

/** Epoch milliseconds of a validated timestamp. */
export function toEpochMs(ts: string | number): number {
  return typeof ts === "number" ? ts : Date.parse(ts);
}

/**
 * Validates and normalises every event of a batch; invalid events become
 * rejections and do not stop the others.
 */
export function normalizeBatch(batch: RawBatch, ctx: IngestContext): NormalizedBatch {
  // a sender whose clock runs ahead stamps both ts and sent_at ahead: shift by the difference
  const skew = batch.sent_at === undefined ? 0 : ctx.receivedAt - toEpochMs(batch.sent_at);
  const latest = ctx.receivedAt + LIMITS.futureToleranceMs;
  const out: NormalizedBatch = { events: [], rejections: [], warnings: [] };

  batch.events.forEach((raw, index) => {
    const size = jsonBytes(raw);
    if (size > LIMITS.eventBytes) {
      out.rejections.push({ index, ...idOf(raw), path: "", message: `event is ${size} bytes; the limit is ${LIMITS.eventBytes}` });
      return;
    }
    const checked = validateEvent(raw);
    if (!checked.ok) {
      for (const issue of checked.issues) out.rejections.push({ index, ...idOf(raw), ...issue });
      return;
    }
    const e = checked.value;
    let ts = e.ts === undefined ? ctx.receivedAt : toEpochMs(e.ts) + skew;
    if (ts > latest) {
      out.warnings.push({
        index,
        code: "ts_clamped",
        message: `ts ${showTime(ts)} is more than 23 h ahead of receive time; stored as receive time`,
      });
      ts = ctx.receivedAt;
    }
    const id = e.id ?? (ctx.idempotencyKey === undefined ? ctx.newId() : `${ctx.idempotencyKey}:${index}`);
    out.events.push({ id, ts, type: e.type, name: e.name, props: e.props ?? {} });
  });
  return out;
}

/** ISO text where Date can represent the time; skew can push a valid ts past that range. */
function showTime(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`;
}

function idOf(raw: unknown): { id?: string } {
  const id = raw !== null && typeof raw === "object" ? (raw as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 && id.length <= LIMITS.idChars ? { id } : {};
}

/** UTF-8 size of a value's JSON text; the exact count is only computed near the limit. */
function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) ?? "";
  if (text.length * 3 <= LIMITS.eventBytes) return text.length;
  return utf8Length(text);
}

/** UTF-8 byte length of a string, without TextEncoder (shared code has no DOM). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

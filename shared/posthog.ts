/**
 * PostHog events, as PostHog's SDKs and capture API send them, turned into
 * Tally `track` events, then validated and normalised by the same rules as any
 * batch (normalizeBatch), so limits and rejections are Tally's own.
 *
 * Mapping, one PostHog event to one `track` event:
 * - `event` → `name`; `uuid` → `id` (absent: the edge's usual id rule, by the
 *   event's index in the posted batch).
 * - `distinct_id` (else `properties.distinct_id`, `properties.$distinct_id`) → `props.user`.
 * - `timestamp` → `ts`, shifted by `received_at - sent_at` when the event or its
 *   batch carries `sent_at` (the skew rule of DESIGN.md, as PostHog applies it;
 *   a true `$ignore_sent_at` property turns it off); without a timestamp,
 *   `offset` (ms before sending) counts back from receive time.
 * - properties: string, number and boolean values keep their names; null,
 *   objects and arrays are dropped, not flattened. `$`-prefixed properties are
 *   SDK bookkeeping and are dropped, except `$pathname` (else the path of
 *   `$current_url`) → `path`, `$feature_flag` → `feature`,
 *   `$feature_flag_response` → `variant`, `$session_id` → `session`; a
 *   property the sender set itself wins over a mapped one. `token`, `api_key`
 *   and `distinct_id` are never stored: the first two are the write token.
 */
import type { Props, PropValue } from "./event.ts";
import { normalizeBatch, toEpochMs, type IngestContext, type NormalizedBatch } from "./ingest.ts";
import { timestamp } from "./validate.ts";
import type { IngestWarning, Rejection } from "./wire.ts";

/** Properties renamed to Tally's well-known props, in order of preference per target. */
const MAPPED: readonly [source: string, target: string][] = [
  ["$pathname", "path"],
  ["$current_url", "path"],
  ["$feature_flag", "feature"],
  ["$feature_flag_response", "variant"],
  ["$session_id", "session"],
];

/** Never stored: the write token (where SDKs repeat it) and the identity, which becomes `user`. */
const NEVER_STORED = new Set(["token", "api_key", "distinct_id"]);

/** A PostHog batch as the edge decoded it: events not yet checked one by one. */
export interface PosthogBatch {
  events: unknown[];
  /** The batch's `sent_at` (or posthog-js's `_` query parameter): ISO text or epoch ms. */
  sent_at?: string | number;
}

type Mapped = { ok: true; event: Record<string, unknown> } | { ok: false; rejection: Rejection };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isScalar(value: unknown): value is PropValue {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

/** The path of a URL, without DOM's URL class: `https://a.b/c/d?x#y` → `/c/d`. */
export function urlPath(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  if (!match) return url.startsWith("/") ? url.split(/[?#]/)[0] : undefined;
  return match[1] || "/";
}

/** Epoch ms of a valid ISO or epoch-ms time, else undefined. */
function timeMs(value: unknown): number | undefined {
  const checked = timestamp.safeParse(value);
  return checked.success ? toEpochMs(checked.data) : undefined;
}

/** The props of a PostHog event's properties, by the mapping above. */
export function posthogProps(properties: Record<string, unknown>, distinctId: string | undefined): Props {
  const props: Props = {};
  for (const [key, value] of Object.entries(properties)) {
    if (key.startsWith("$") || NEVER_STORED.has(key) || !isScalar(value)) continue;
    props[key] = value;
  }
  for (const [source, target] of MAPPED) {
    const value = properties[source];
    if (target in props || !isScalar(value)) continue;
    const mapped = source === "$current_url" && typeof value === "string" ? urlPath(value) : value;
    if (mapped !== undefined && mapped !== "") props[target] = mapped;
  }
  if (distinctId !== undefined) props["user"] = distinctId;
  return props;
}

function identity(event: Record<string, unknown>, properties: Record<string, unknown>): string | undefined {
  for (const candidate of [event["distinct_id"], properties["distinct_id"], properties["$distinct_id"]]) {
    if (typeof candidate === "string" && candidate !== "") return candidate;
    if (typeof candidate === "number" && Number.isFinite(candidate)) return String(candidate);
  }
  return undefined;
}

/**
 * The event time as Tally will store it (before clamping), or the raw value
 * when it is not a valid time, so that validation names what was wrong.
 */
function eventTime(event: Record<string, unknown>, properties: Record<string, unknown>, batchSentAt: number | undefined, receivedAt: number): unknown {
  const raw = event["timestamp"];
  if (raw === undefined || raw === null) {
    const offset = event["offset"];
    return typeof offset === "number" && Number.isFinite(offset) && offset >= 0 ? Math.round(receivedAt - offset) : undefined;
  }
  const ms = timeMs(raw);
  if (ms === undefined) return raw;
  const sentAt = event["sent_at"] !== undefined ? timeMs(event["sent_at"]) : batchSentAt;
  if (sentAt === undefined || properties["$ignore_sent_at"] === true) return ms;
  return ms + (receivedAt - sentAt);
}

/** One PostHog event as a Tally wire event, or why it cannot be one. */
export function mapPosthogEvent(raw: unknown, index: number, batchSentAt: number | undefined, receivedAt: number): Mapped {
  if (!isObject(raw)) return { ok: false, rejection: { index, path: "", message: "each event must be an object with at least `event` and `distinct_id`" } };
  const uuid = raw["uuid"];
  const id = typeof uuid === "string" && uuid !== "" ? { id: uuid } : {};
  const properties = raw["properties"] ?? {};
  if (!isObject(properties)) return { ok: false, rejection: { index, ...id, path: "properties", message: "must be an object" } };
  if (raw["sent_at"] !== undefined && timeMs(raw["sent_at"]) === undefined) {
    return { ok: false, rejection: { index, ...id, path: "sent_at", message: "must be ISO-8601 text or epoch milliseconds" } };
  }
  const ts = eventTime(raw, properties, batchSentAt, receivedAt);
  const event: Record<string, unknown> = { ...id, type: "track", name: raw["event"], props: posthogProps(properties, identity(raw, properties)) };
  if (ts !== undefined) event["ts"] = ts;
  return { ok: true, event };
}

/** Tally's field path of a rejection, in PostHog's words: `props.user` → `distinct_id`. */
export function posthogPath(path: string): string {
  if (path === "name") return "event";
  if (path === "id") return "uuid";
  if (path === "ts") return "timestamp";
  if (path === "props.user") return "distinct_id";
  if (path === "props") return "properties";
  if (path.startsWith("props.") || path.startsWith("props[")) return `properties${path.slice("props".length)}`;
  return path;
}

/**
 * Validates a batch's `sent_at`: epoch ms when valid or absent, or the message
 * for a 400 when it is not a time.
 */
export function posthogSentAt(value: unknown): { ok: true; ms?: number } | { ok: false; message: string } {
  if (value === undefined || value === null) return { ok: true };
  const ms = timeMs(value);
  return ms === undefined ? { ok: false, message: "sent_at must be ISO-8601 text or epoch milliseconds" } : { ok: true, ms };
}

/**
 * Maps and normalises a PostHog batch: every event either becomes a stored
 * `track` event or a rejection naming its index (in the posted batch) and the
 * PostHog field at fault. `batch.sent_at` must already be valid (see
 * {@link posthogSentAt}); an invalid one is ignored here.
 */
export function normalizePosthogBatch(batch: PosthogBatch, ctx: IngestContext): NormalizedBatch {
  const batchSentAt = batch.sent_at === undefined ? undefined : timeMs(batch.sent_at);
  const rejections: Rejection[] = [];
  const mapped: Record<string, unknown>[] = [];
  // index in the mapped list → index in the posted batch
  const origin: number[] = [];
  batch.events.forEach((raw, index) => {
    const m = mapPosthogEvent(raw, index, batchSentAt, ctx.receivedAt);
    if (!m.ok) rejections.push(m.rejection);
    else {
      // derived here, not by normalizeBatch, so the index is the one the sender posted
      if (m.event["id"] === undefined && ctx.idempotencyKey !== undefined) m.event["id"] = `${ctx.idempotencyKey}:${index}`;
      mapped.push(m.event);
      origin.push(index);
    }
  });
  // times are already skew-corrected per event, so the batch carries no sent_at
  const out = normalizeBatch({ events: mapped }, { receivedAt: ctx.receivedAt, newId: ctx.newId });
  for (const r of out.rejections) rejections.push({ ...r, index: origin[r.index]!, path: posthogPath(r.path) });
  const warnings: IngestWarning[] = out.warnings.map((w) => ({ ...w, index: origin[w.index]! }));
  rejections.sort((a, b) => a.index - b.index);
  return { events: out.events, rejections, warnings };
}

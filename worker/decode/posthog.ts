/**
 * Request bodies as PostHog's SDKs and capture API send them, decoded to a
 * list of raw PostHog events, the API key and the batch's `sent_at`:
 * `{ api_key, batch, sent_at }` (posthog-node, /batch), one event
 * `{ api_key, event, distinct_id, ... }`, an array of events, `{ data }` or
 * form-encoded `data=` holding JSON or base64 of it (older posthog-js), gzip by
 * Content-Encoding or by `?compression=gzip-js`, and the key as `api_key`,
 * `token`, or an event's `properties.token`.
 */
import { ApiError } from "../http/api-error.ts";
import { readBodyBytes, utf8Text } from "./body.ts";

/** What a PostHog request carries, events not yet checked one by one. */
export interface PosthogPayload {
  /** The key the body (or, failing that, the Authorization header) names; absent when none. */
  apiKey?: string;
  events: unknown[];
  sentAt?: unknown;
}

const WHAT = "PostHog events (`{ api_key, batch }` or one event)";

/** `compression` values whose bodies this edge can read: gzip is recognised by its bytes. */
const READABLE = new Set(["gzip-js", "gzip", "base64"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkCompression(value: string | null): void {
  if (value === null || value === "" || READABLE.has(value.toLowerCase())) return;
  throw new ApiError(415, "unsupported_compression", `compression "${value.slice(0, 40)}" is not supported; send gzip (compression=gzip-js) or no compression`, {
    accepted: [...READABLE],
  });
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "invalid_json", `${where} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Base64 (standard or URL-safe; spaces are `+` lost to form decoding) to bytes. */
function base64Bytes(text: string): Uint8Array | undefined {
  const standard = text.replace(/\s/g, (c) => (c === " " ? "+" : "")).replace(/-/g, "+").replace(/_/g, "/");
  try {
    return Uint8Array.from(atob(standard), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** A `data` field: JSON as text, or base64 of JSON (gzipped or not). */
async function decodeData(data: string): Promise<unknown> {
  const trimmed = data.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return parseJson(trimmed, "`data`");
  const bytes = base64Bytes(trimmed);
  if (!bytes || bytes.byteLength === 0) throw new ApiError(400, "invalid_body", "`data` is neither JSON nor base64-encoded JSON");
  // through the body reader again: gzip inside base64 gets the same size limits as a gzip body
  const inner = await readBodyBytes(new Request("http://posthog.data/", { method: "POST", body: bytes }), "`data`");
  return parseJson(utf8Text(inner), "`data` (base64-decoded)");
}

function isForm(request: Request, text: string): boolean {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded" || (type !== "application/json" && text.startsWith("data="));
}

/**
 * The JSON value a body holds, undoing form encoding and `data` wrappers; the
 * wrapper is kept, since it may carry the key.
 */
async function bodyValue(request: Request, text: string): Promise<{ value: unknown; wrapper?: Record<string, unknown> }> {
  if (isForm(request, text)) {
    const form = new URLSearchParams(text);
    checkCompression(form.get("compression"));
    const data = form.get("data");
    if (data === null) throw new ApiError(400, "invalid_body", "a form-encoded body must carry the events in its `data` field");
    return { value: await decodeData(data) };
  }
  const value = parseJson(text.replace(/^\uFEFF/, ""), "body");
  if (isObject(value) && "data" in value && !("batch" in value) && !("event" in value)) {
    const data = value["data"];
    if (typeof data === "string") return { value: await decodeData(data), wrapper: value };
    if (Array.isArray(data) || isObject(data)) return { value: data, wrapper: value };
    throw new ApiError(400, "invalid_body", "`data` must hold an event, an array of events or a batch");
  }
  return { value };
}

function keyOf(holder: Record<string, unknown>): string | undefined {
  for (const candidate of [holder["api_key"], holder["token"]]) if (typeof candidate === "string" && candidate !== "") return candidate;
  return undefined;
}

/**
 * The one API key a payload names. PostHog repeats it per event in some SDKs;
 * two different keys in one request are refused rather than guessed between.
 */
function apiKeyOf(request: Request, holders: (Record<string, unknown> | undefined)[], events: unknown[]): string | undefined {
  const keys = new Set<string>();
  for (const holder of holders) {
    const key = holder && keyOf(holder);
    if (key) keys.add(key);
  }
  for (const e of events) {
    if (!isObject(e)) continue;
    const own = keyOf(e) ?? (isObject(e["properties"]) ? keyOf({ token: e["properties"]["token"] }) : undefined);
    if (own) keys.add(own);
  }
  if (keys.size > 1) throw new ApiError(400, "multiple_api_keys", "the request names more than one API key; send one batch per key");
  const [key] = keys;
  if (key !== undefined) return key;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("Authorization") ?? "");
  return bearer?.[1];
}

/** Reads and decodes a PostHog capture request. */
export async function readPosthogBody(request: Request): Promise<PosthogPayload> {
  const url = new URL(request.url);
  checkCompression(url.searchParams.get("compression"));
  const text = utf8Text(await readBodyBytes(request, WHAT));
  const { value, wrapper } = await bodyValue(request, text);

  let events: unknown[];
  let top: Record<string, unknown> | undefined;
  let sentAt: unknown;
  if (Array.isArray(value)) events = value;
  else if (isObject(value) && "batch" in value) {
    if (!Array.isArray(value["batch"])) throw new ApiError(400, "invalid_body", "`batch` must be an array of events");
    events = value["batch"];
    top = value;
    sentAt = value["sent_at"];
  } else if (isObject(value)) {
    // one event: its own sent_at is read with the event
    events = [value];
    top = value;
  } else {
    throw new ApiError(400, "invalid_body", `the body must be ${WHAT} or an array of events`);
  }
  // posthog-js sends its clock as `_` (epoch ms) when the body has no sent_at
  const underscore = url.searchParams.get("_");
  if (sentAt === undefined && underscore !== null && /^\d{1,15}$/.test(underscore)) sentAt = Number(underscore);
  const apiKey = apiKeyOf(request, [wrapper, top], events);
  return { ...(apiKey === undefined ? {} : { apiKey }), events, ...(sentAt === undefined ? {} : { sentAt }) };
}

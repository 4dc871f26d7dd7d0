/**
 * Requests to the edge: bearer auth, the error envelope turned into one failure
 * shape, and retries with exponential backoff and full jitter for what is worth
 * retrying (429, 5xx, network errors). Other 4xx are the caller's mistake and
 * would fail the same way again, so they are never retried.
 */
import type { ErrorBody } from "../shared/wire.ts";

/** Backoff before retry n (0-based) is random in [0, min(CAP, BASE * 2^n)). */
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 8_000;
/** A server asking for a longer pause than this is retried after this long anyway. */
export const RETRY_AFTER_CAP_MS = 30_000;
export const DEFAULT_RETRIES = 5;
/** A request with no answer by then is treated like a network error. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** Why a request failed for good; `status` is null when no response came. */
export interface ApiFailure {
  status: number | null;
  code: string;
  message: string;
  details?: unknown;
}

export type ApiResult<T> = { ok: true; status: number; body: T; attempts: number } | { ok: false; error: ApiFailure; attempts: number };

/** A request body with the headers that describe it. */
export interface Payload {
  data: string | Uint8Array;
  headers: Record<string, string>;
}

export interface Call {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path under the base URL, e.g. `/api/v1/workspaces`. */
  path: string;
  token: string;
  /** Overrides the client's retries; 0 for requests that must not be repeated. */
  retries?: number;
  /** Built anew for each attempt, so a body can carry its own send time. */
  body?: () => Payload | Promise<Payload>;
  /** Names the request in retry notes, e.g. `batch 2 of 3 of a.ndjson`. */
  label?: string;
}

export interface ApiOptions {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  retries: number;
  /** Where retry notes go (stderr): a CI log should show why a step was slow. */
  log: (text: string) => void;
  timeoutMs?: number;
}

/** Full-jitter backoff (AWS architecture blog): spreads retrying clients out. */
export function backoffMs(retry: number, random: () => number): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isRetryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

type Attempt<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; error: ApiFailure; retryAfterMs?: number };

export class Api {
  constructor(readonly options: ApiOptions) {}

  /** Sends a request, retrying what is retryable, and returns the body or the final failure. */
  async call<T>(call: Call): Promise<ApiResult<T>> {
    const retries = call.retries ?? this.options.retries;
    for (let attempt = 1; ; attempt++) {
      const result = await this.once<T>(call);
      if (result.ok) return { ...result, attempts: attempt };
      if (attempt > retries || !isRetryable(result.error.status)) return { ok: false, error: result.error, attempts: attempt };
      const delay =
        result.retryAfterMs === undefined ? backoffMs(attempt - 1, this.options.random) : Math.min(result.retryAfterMs, RETRY_AFTER_CAP_MS);
      this.options.log(
        `tally: ${call.label ?? `${call.method} ${call.path}`}: ${describeFailure(result.error)}; ` +
          `retrying in ${(delay / 1000).toFixed(1)} s (retry ${attempt} of ${retries})`,
      );
      await this.options.sleep(delay);
    }
  }

  private async once<T>(call: Call): Promise<Attempt<T>> {
    // the User-Agent lets the edge's logs tell this CLI from curl and SDKs
    const headers: Record<string, string> = { Authorization: `Bearer ${call.token}`, Accept: "application/json", "User-Agent": "tally-cli" };
    let body: string | Uint8Array | undefined;
    if (call.body) {
      const payload = await call.body();
      Object.assign(headers, payload.headers);
      body = payload.data;
    }
    const timeoutMs = this.options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    let response: Response;
    try {
      response = await this.options.fetch(this.options.baseUrl + call.path, {
        method: call.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      return { ok: false, error: { status: null, code: "network_error", message: networkMessage(e, this.options.baseUrl, timeoutMs) } };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (e) {
      // the connection broke mid-answer: as unknown as no answer at all
      return { ok: false, error: { status: null, code: "network_error", message: networkMessage(e, this.options.baseUrl, timeoutMs) } };
    }
    const parsed = parseJson(text);
    if (response.ok) {
      if (parsed === undefined) {
        return { ok: false, error: { status: response.status, code: "bad_response", message: `the answer is not JSON: ${snippet(text)}` } };
      }
      return { ok: true, status: response.status, body: parsed as T };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get("Retry-After"), Date.now());
    return { ok: false, error: toFailure(response, parsed, text), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
}

function toFailure(response: Response, parsed: unknown, text: string): ApiFailure {
  const envelope = (parsed as Partial<ErrorBody> | undefined)?.error;
  if (envelope && typeof envelope.code === "string" && typeof envelope.message === "string") {
    return { status: response.status, code: envelope.code, message: envelope.message, details: envelope.details ?? undefined };
  }
  // not the edge's envelope: a proxy, a load balancer, or the wrong URL
  const reason = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  return { status: response.status, code: `http_${response.status}`, message: text.trim() ? `${reason}: ${snippet(text)}` : reason };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function networkMessage(e: unknown, baseUrl: string, timeoutMs: number): string {
  const err = e as Error & { cause?: unknown };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return `no answer from ${baseUrl} within ${timeoutMs / 1000} s`;
  // undici says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, ...)
  const cause = err?.cause instanceof Error ? err.cause.message : undefined;
  return `could not reach ${baseUrl}: ${cause ?? err?.message ?? String(e)}`;
}

/** One line: status, code, message. */
export function describeFailure(error: ApiFailure): string {
  if (error.status === null) return error.message;
  if (error.code === `http_${error.status}`) return error.message;
  return `HTTP ${error.status} ${error.code}: ${error.message}`;
}

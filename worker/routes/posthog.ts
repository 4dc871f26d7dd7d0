/**
 * PostHog-compatible capture at the root (`/batch/`, `/capture/`, `/e/`,
 * `/i/v0/e/`), so PostHog's SDKs post to Tally unchanged: the write token is
 * the API key and names the workspace; events become `track` events
 * (shared/posthog.ts). Answers carry PostHog's `status: 1` beside Tally's
 * counts, and errors PostHog's `type`/`code`/`detail` beside Tally's envelope.
 */
import type { IRequest } from "itty-router";
import { LIMITS } from "../../shared/event.ts";
import { normalizePosthogBatch, posthogSentAt } from "../../shared/posthog.ts";
import type { PosthogCaptureResponse, PosthogErrorBody } from "../../shared/wire.ts";
import { requireToken, sha256Hex, tokenKindOf } from "../auth.ts";
import { readPosthogBody } from "../decode/posthog.ts";
import { insertEvents } from "../db/events.ts";
import { findTokenByHash } from "../db/tokens.ts";
import { ApiError } from "../http/api-error.ts";
import { idempotencyKey } from "../http/idempotency-key.ts";
import { finish } from "../http/headers.ts";
import { publishInserted } from "../live-hub.ts";

/** The paths PostHog's SDKs post events to, with and without the trailing slash. */
export const POSTHOG_PATHS = ["/batch", "/batch/", "/capture", "/capture/", "/e", "/e/", "/i/v0/e", "/i/v0/e/"] as const;

/**
 * CORS for capture: any page may post, as with PostHog's own endpoints. The
 * key travels in the body, never in cookies, and answers reveal nothing.
 */
function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get("Origin");
  return origin ? { "Access-Control-Allow-Origin": origin } : {};
}

/** Answers a CORS preflight for a capture path; undefined for any other request. */
export function posthogPreflight(request: Request, env: Env): Response | undefined {
  if (request.method !== "OPTIONS" || !(POSTHOG_PATHS as readonly string[]).includes(new URL(request.url).pathname)) return undefined;
  const headers = new Headers(corsHeaders(request));
  if (headers.has("Access-Control-Allow-Origin")) {
    headers.set("Access-Control-Allow-Methods", "POST, OPTIONS");
    headers.set("Access-Control-Allow-Headers", "Content-Type, Content-Encoding, Authorization");
    headers.set("Access-Control-Max-Age", "86400");
  }
  return finish(new Response(null, { status: 204, headers }), request, env);
}

function errorType(status: number): PosthogErrorBody["type"] {
  if (status === 401 || status === 403) return "authentication_error";
  return status >= 500 ? "server_error" : "validation_error";
}

function posthogError(request: Request, err: ApiError): Response {
  const body: PosthogErrorBody = {
    type: errorType(err.status),
    code: err.code,
    detail: err.message,
    error: { code: err.code, message: err.message, details: err.details ?? null },
  };
  const headers: Record<string, string> = { ...corsHeaders(request), ...(err.status === 401 ? { "WWW-Authenticate": "Bearer" } : {}) };
  return Response.json(body, { status: err.status, headers });
}

/**
 * The workspace a key belongs to. requireToken then checks it like any bearer
 * token (kind, revocation, expiry) by the one set of rules in auth.ts.
 */
async function keyWorkspace(db: D1Database, key: string | undefined): Promise<string> {
  if (key === undefined) {
    throw new ApiError(401, "missing_api_key", "no API key: send a Tally write token as `api_key` (or `token`) in the body, as PostHog's SDKs do");
  }
  if (!tokenKindOf(key)) {
    throw new ApiError(401, "invalid_api_key", "the API key is not a Tally token: use a write token (tly_w_ followed by 32 letters and digits)");
  }
  const row = await findTokenByHash(db, await sha256Hex(key));
  if (!row) throw new ApiError(401, "invalid_api_key", "unknown API key");
  return row.workspace_id;
}

async function capture(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const receivedAt = Date.now();
  const key = idempotencyKey(request);
  const payload = await readPosthogBody(request);
  const workspaceId = await keyWorkspace(env.DB, payload.apiKey);
  // a PostHog key is public by design (it ships in browser code): only a write token may be one
  await requireToken(request, env, workspaceId, ["write"], receivedAt, payload.apiKey);

  const sentAt = posthogSentAt(payload.sentAt);
  if (!sentAt.ok) throw new ApiError(400, "invalid_body", sentAt.message, { issues: [{ path: "sent_at", message: sentAt.message }] });
  if (payload.events.length > LIMITS.eventsPerBatch) {
    throw new ApiError(413, "batch_too_large", `a batch holds at most ${LIMITS.eventsPerBatch} events; this one has ${payload.events.length}`, {
      limit: LIMITS.eventsPerBatch,
    });
  }
  if (payload.events.length === 0) throw new ApiError(400, "empty_batch", "the batch holds no events");

  const batch = normalizePosthogBatch(
    { events: payload.events, ...(sentAt.ms === undefined ? {} : { sent_at: sentAt.ms }) },
    { receivedAt, newId: () => crypto.randomUUID(), ...(key === undefined ? {} : { idempotencyKey: key }) },
  );
  const inserted = await insertEvents(env.DB, workspaceId, receivedAt, batch.events);
  // committed: live clients hear of it without the sender waiting on them
  if (inserted.events.length > 0) ctx.waitUntil(publishInserted(env, workspaceId, inserted));
  const accepted = inserted.events.length;
  const rejected = payload.events.length - batch.events.length;
  const counts = { accepted, duplicates: batch.events.length - accepted, rejected, rejections: batch.rejections, warnings: batch.warnings };
  if (batch.events.length === 0) throw new ApiError(400, "invalid_events", `all ${rejected} events were rejected; nothing was stored`, counts);
  const response: PosthogCaptureResponse = { status: 1, ...counts };
  return Response.json(response, { headers: corsHeaders(request) });
}

/** `POST` to any of {@link POSTHOG_PATHS}. */
export async function capturePosthog(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  try {
    return await capture(request, env, ctx);
  } catch (e) {
    if (e instanceof ApiError) return posthogError(request, e);
    throw e;
  }
}

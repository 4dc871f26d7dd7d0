/**
 * The event log of a workspace: ingestion of batches and the sync pull by
 * cursor. Handlers parse, call the pure batch code in shared/, and write.
 */
import type { IRequest } from "itty-router";
import { LIMITS } from "../../shared/event.ts";
import { parseBatch, tooManyEvents } from "../../shared/batch.ts";
import { normalizeBatch } from "../../shared/ingest.ts";
import type { IngestResponse, PullResponse } from "../../shared/wire.ts";
import { requireToken } from "../auth.ts";
import { readBatchBody } from "../decode/body.ts";
import { eventsAfter, insertEvents } from "../db/events.ts";
import { ApiError } from "../http/api-error.ts";
import { idempotencyKey } from "../http/idempotency-key.ts";
import { publishInserted } from "../live-hub.ts";
import { retentionCutoffs } from "../../shared/config.ts";
import { readRetention } from "../db/config.ts";

export async function postEvents(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const workspaceId = request.params["id"]!;
  const receivedAt = Date.now();
  await requireToken(request, env, workspaceId, ["write", "admin"], receivedAt);
  const key = idempotencyKey(request);
  const body = await readBatchBody(request);

  const parsed = parseBatch(body.text, body.format);
  if (!parsed.ok) throw new ApiError(400, "invalid_body", parsed.issues[0]!.message, { issues: parsed.issues });
  if (tooManyEvents(parsed.value)) {
    throw new ApiError(413, "batch_too_large", `a batch holds at most ${LIMITS.eventsPerBatch} events; this one has ${parsed.value.events.length}`, {
      limit: LIMITS.eventsPerBatch,
    });
  }
  if (parsed.value.events.length === 0) throw new ApiError(400, "empty_batch", "the batch holds no events");

  const batch = normalizeBatch(parsed.value, { receivedAt, idempotencyKey: key, newId: () => crypto.randomUUID() });
  const inserted = await insertEvents(env.DB, workspaceId, receivedAt, batch.events);
  // committed: live clients hear of it without the sender waiting on them
  if (inserted.events.length > 0) ctx.waitUntil(publishInserted(env, workspaceId, inserted));
  const accepted = inserted.events.length;
  const rejected = parsed.value.events.length - batch.events.length;
  const response: IngestResponse = {
    accepted,
    duplicates: batch.events.length - accepted,
    rejected,
    rejections: batch.rejections,
    warnings: batch.warnings,
  };
  if (batch.events.length === 0) {
    throw new ApiError(400, "invalid_events", `all ${rejected} events were rejected; nothing was stored`, response);
  }
  return Response.json(response);
}

function cursorParam(url: URL, name: string, fallback: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(400, "invalid_cursor", `${name} must be a non-negative integer, got "${raw.slice(0, 40)}"`);
  return Math.min(Number(raw), max);
}

export async function pullEvents(request: IRequest, env: Env): Promise<Response> {
  const workspaceId = request.params["id"]!;
  const now = Date.now();
  await requireToken(request, env, workspaceId, ["read", "admin"], now);
  const url = new URL(request.url);
  const after = cursorParam(url, "after", 0, Number.MAX_SAFE_INTEGER);
  const limit = cursorParam(url, "limit", LIMITS.pageSize, LIMITS.pageSize);
  if (limit === 0) throw new ApiError(400, "invalid_cursor", "limit must be at least 1");

  // one extra row tells whether more remain without a second query
  const [rows, days] = await Promise.all([eventsAfter(env.DB, workspaceId, after, limit + 1), readRetention(env.DB, workspaceId)]);
  const more = rows.length > limit;
  const events = more ? rows.slice(0, limit) : rows;
  const response: PullResponse = { events, next: events.at(-1)?.seq ?? after, more };
  // absent when everything is kept, so such answers keep the shape they always had
  if (days) response.retention = retentionCutoffs(days, now);
  return Response.json(response);
}

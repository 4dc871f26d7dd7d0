/**
 * Schemas for what the edge answers to a sync: the app validates at its edge
 * too, so a proxy's HTML error page or a half-deployed edge becomes a clear
 * protocol error, never events with missing fields in the store.
 * zod/mini keeps the bundle small; the checks are the wire types' shapes.
 */
import * as z from "zod/mini";
import { EVENT_TYPES } from "../../../shared/event.ts";
import type { ErrorBody, PullResponse, WorkspaceInfo } from "../../../shared/wire.ts";

/** One event as `GET events` and live `events` messages carry it. */
export const storedEvent = z.object({
  seq: z.number(),
  id: z.string(),
  ts: z.number(),
  received_at: z.number(),
  type: z.enum(EVENT_TYPES),
  name: z.string(),
  props: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

/** One alert transition as `GET …/alerts` lists it and a live `alert` message carries it. */
export const alertHistoryEntry = z.object({
  id: z.number(),
  rule_id: z.string(),
  name: z.string(),
  kind: z.enum(["firing", "resolved"]),
  at: z.number(),
  value: z.nullable(z.number()),
  threshold: z.number(),
  // the values of shared/alerts/rule.ts ALERT_SEVERITIES, whose module would bring full zod into the page
  severity: z.enum(["info", "warning", "critical"]),
  detail: z.string(),
});

/** `GET /api/v1/workspaces/:id/events` */
export const pullResponse: z.ZodMiniType<PullResponse> = z.object({
  events: z.array(storedEvent),
  next: z.number(),
  more: z.boolean(),
  // per type, the earliest time still kept; absent when the workspace keeps everything
  retention: z.optional(z.partialRecord(z.enum(EVENT_TYPES), z.number())),
});

/** `GET /api/v1/workspaces/:id` */
export const workspaceResponse: z.ZodMiniType<{ workspace: WorkspaceInfo }> = z.object({
  workspace: z.object({ id: z.string(), name: z.string(), demo: z.boolean(), created_at: z.string() }),
});

/** The error envelope of every failing response. */
export const errorBody: z.ZodMiniType<ErrorBody> = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});

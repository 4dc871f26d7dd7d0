/**
 * The Chaos & alerts view's calls to the edge: active alerts and history
 * (`GET …/alerts`, read token), the alert rules (`GET …/config`) and writing
 * them (`PATCH …/config`, admin token only). Answers are checked at this edge
 * of the app, and every failure is a named error the view can word.
 */
import * as z from "zod/mini";
import { alertRules, type AlertRule } from "../../../shared/alerts/rule.ts";
import type { AlertsResponse, ConfigPatchRequest, ConfigPatchResponse, ConfigResponse } from "../../../shared/wire.ts";
import { callEdge, EdgeError, workspaceUrl, type EdgeWorkspace, type Fetch } from "../data/edge-call.ts";
import { alertHistoryEntry } from "../sync/responses.ts";


const alertState = z.object({
  rule_id: z.string(),
  name: z.string(),
  status: z.enum(["firing", "ok"]),
  since: z.number(),
  evaluated_at: z.number(),
  value: z.nullable(z.number()),
  threshold: z.number(),
  severity: z.enum(["info", "warning", "critical"]),
  detail: z.string(),
});

/** `GET /api/v1/workspaces/:id/alerts` */
export const alertsResponse: z.ZodMiniType<AlertsResponse> = z.object({
  states: z.array(alertState),
  history: z.array(alertHistoryEntry),
  next_before: z.nullable(z.number()),
});

/** Active alerts and the newest page of history (or the page before `before`), with the workspace's read token. */
export async function fetchAlerts(ws: EdgeWorkspace, fetchFn: Fetch = fetch, before?: number): Promise<AlertsResponse> {
  const body = await callEdge(fetchFn, `${workspaceUrl(ws)}/alerts${before === undefined ? "" : `?before=${before}`}`, ws.key);
  const parsed = alertsResponse.safeParse(body);
  if (!parsed.success) throw new EdgeError(200, "bad_response", `the alerts answer is not the API's shape: ${parsed.error.message}`);
  return parsed.data;
}

/** The rules as stored, and the version of `alert_rules` they were read at. */
export interface StoredRules {
  rules: AlertRule[];
  version: number;
}

function readRules(body: unknown): StoredRules {
  const config = body as Partial<ConfigResponse> | null;
  const version = config?.versions?.alert_rules;
  if (typeof version !== "number") throw new EdgeError(200, "bad_response", "the config answer has no alert_rules version");
  const parsed = alertRules.safeParse(config?.config?.alert_rules ?? []);
  if (!parsed.success) throw new EdgeError(200, "bad_response", "the stored alert rules do not pass the schema");
  return { rules: parsed.data, version };
}

/** The alert rules from the workspace config; `token` is the read token, or the admin's. */
export async function fetchRules(ws: EdgeWorkspace, token: string = ws.key, fetchFn: Fetch = fetch): Promise<StoredRules> {
  return readRules(await callEdge(fetchFn, `${workspaceUrl(ws)}/config`, token));
}

/** How a write of the rules ended. */
export type SaveOutcome =
  | { kind: "saved"; stored: StoredRules }
  /** Another admin changed the rules since they were read: nothing was written (or, in a race, their change was replaced). */
  | { kind: "conflict"; stored: StoredRules | null; written: boolean };

/**
 * Writes `alert_rules` whole, based on `baseVersion`. The edge lets the last
 * writer win, so the version is checked first (a fresh read) and the answer's
 * `overwritten` catches the race between the two; a 409 from an edge that
 * refuses stale writes itself counts the same.
 */
export async function saveRules(ws: EdgeWorkspace, adminToken: string, rules: AlertRule[], baseVersion: number, fetchFn: Fetch = fetch): Promise<SaveOutcome> {
  const current = await fetchRules(ws, adminToken, fetchFn);
  if (current.version !== baseVersion) return { kind: "conflict", stored: current, written: false };
  const body: ConfigPatchRequest = { set: { alert_rules: rules }, base_versions: { alert_rules: baseVersion } };
  let answer: unknown;
  try {
    answer = await callEdge(fetchFn, `${workspaceUrl(ws)}/config`, adminToken, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    if (err instanceof EdgeError && err.status === 409) return { kind: "conflict", stored: null, written: false };
    throw err;
  }
  const stored = readRules(answer);
  const overwritten = (answer as Partial<ConfigPatchResponse>).overwritten?.some((o) => o.key === "alert_rules") ?? false;
  return overwritten ? { kind: "conflict", stored, written: true } : { kind: "saved", stored };
}

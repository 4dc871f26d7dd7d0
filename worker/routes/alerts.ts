/**
 * `GET /api/v1/workspaces/:id/alerts`: the rules' current states as the edge
 * last evaluated them, and the alert history newest first, paged by id.
 */
import type { IRequest } from "itty-router";
import type { AlertsResponse } from "../../shared/wire.ts";
import { requireToken } from "../auth.ts";
import { alertHistoryPage, readAlertStates } from "../db/alerts.ts";
import { ApiError } from "../http/api-error.ts";

/** History entries per page: by default, and at most. */
export const ALERTS_PAGE = { default: 50, max: 200 } as const;

/** A whole number parameter from 1 to `max`, or null when absent; a bad one is a 400 that names it. */
function positiveParam(url: URL, name: string, max: number): number | null {
  const raw = url.searchParams.get(name);
  if (raw === null) return null;
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new ApiError(400, "invalid_cursor", `${name} must be a whole number from 1 to ${max}, got "${raw.slice(0, 40)}"`, { parameter: name });
  }
  return Number(raw);
}

export async function getAlerts(request: IRequest, env: Env): Promise<Response> {
  const workspaceId = request.params["id"]!;
  await requireToken(request, env, workspaceId, ["read", "admin"], Date.now());
  const url = new URL(request.url);
  const before = positiveParam(url, "before", Number.MAX_SAFE_INTEGER);
  const limit = positiveParam(url, "limit", ALERTS_PAGE.max) ?? ALERTS_PAGE.default;

  // one extra entry tells whether an older page exists
  const [states, rows] = await Promise.all([readAlertStates(env.DB, workspaceId), alertHistoryPage(env.DB, workspaceId, before, limit + 1)]);
  const history = rows.slice(0, limit);
  const response: AlertsResponse = { states, history, next_before: rows.length > limit ? history.at(-1)!.id : null };
  return Response.json(response);
}

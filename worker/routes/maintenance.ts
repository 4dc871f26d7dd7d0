/**
 * `POST /api/v1/maintenance`: runs the hourly job (worker/scheduled.ts) now,
 * for the instance admin. `wrangler dev` cannot fire Cron Triggers for a
 * Worker that also serves static assets (its trigger URL reaches the assets
 * router, which has no scheduled handler), so local runs use this; operators
 * may too, to catch up after raising a retention.
 */
import type { IRequest } from "itty-router";
import type { MaintenanceResponse } from "../../shared/wire.ts";
import { requireInstanceAdmin } from "../auth.ts";
import { runMaintenance } from "../scheduled.ts";

export async function runMaintenanceNow(request: IRequest, env: Env): Promise<Response> {
  await requireInstanceAdmin(request, env);
  const response: MaintenanceResponse = await runMaintenance(env.DB, Date.now());
  return Response.json(response);
}

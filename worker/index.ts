/**
 * The Tally edge Worker: routes the versioned API, renders every error as the
 * one envelope, and puts security and CORS headers on every response.
 */
import { Router, type IRequest } from "itty-router";
import { ApiError, errorResponse } from "./http/api-error.ts";
import { finish, preflight } from "./http/headers.ts";
import { createWorkspace, getWorkspace } from "./routes/workspaces.ts";
import { createToken, listWorkspaceTokens, revokeWorkspaceToken } from "./routes/tokens.ts";
import { postEvents, pullEvents } from "./routes/events.ts";
import { postJunit } from "./routes/junit.ts";
import { openLive } from "./routes/live.ts";
import { getConfig, patchConfig } from "./routes/config.ts";
import { getMetrics } from "./routes/metrics.ts";
import { getAlerts } from "./routes/alerts.ts";
import { runMaintenanceNow } from "./routes/maintenance.ts";
import { capturePosthog, posthogPreflight } from "./routes/posthog.ts";
import { scheduled } from "./scheduled.ts";

export { LiveHub } from "./live-hub.ts";

type Args = [Env, ExecutionContext];

const router = Router<IRequest, Args>({ catch: errorResponse })
  .post("/api/v1/workspaces", createWorkspace)
  .get("/api/v1/workspaces/:id", getWorkspace)
  .post("/api/v1/workspaces/:id/tokens", createToken)
  .get("/api/v1/workspaces/:id/tokens", listWorkspaceTokens)
  .delete("/api/v1/workspaces/:id/tokens/:tokenId", revokeWorkspaceToken)
  .post("/api/v1/workspaces/:id/events", postEvents)
  .get("/api/v1/workspaces/:id/events", pullEvents)
  .post("/api/v1/workspaces/:id/junit", postJunit)
  .get("/api/v1/workspaces/:id/live", openLive)
  .get("/api/v1/workspaces/:id/config", getConfig)
  .patch("/api/v1/workspaces/:id/config", patchConfig)
  .get("/api/v1/workspaces/:id/metrics", getMetrics)
  .get("/api/v1/workspaces/:id/alerts", getAlerts)
  .post("/api/v1/maintenance", runMaintenanceNow)
  // PostHog-compatible capture at the root, where PostHog's SDKs post (a trailing slash matches too)
  .post("/batch", capturePosthog)
  .post("/capture", capturePosthog)
  .post("/e", capturePosthog)
  .post("/i/v0/e", capturePosthog)
  .all("/api/*", (request) => {
    throw new ApiError(404, "not_found", `no route for ${request.method} ${new URL(request.url).pathname}`);
  });

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const early = posthogPreflight(request, env) ?? preflight(request, env);
    if (early) return early;
    const response = (await router.fetch(request, env, ctx)) ?? errorResponse(new ApiError(404, "not_found", "not found"));
    return finish(response, request, env);
  },
  scheduled,
} satisfies ExportedHandler<Env>;

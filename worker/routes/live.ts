/**
 * Live updates: authenticates a WebSocket upgrade with a read or admin token,
 * then hands the connection to the workspace's hub, which sends every batch
 * committed from then on.
 */
import type { IRequest } from "itty-router";
import { LIVE_PROTOCOL } from "../../shared/wire.ts";
import { requireToken, socketToken } from "../auth.ts";
import { ApiError, errorResponse } from "../http/api-error.ts";
import { GRANT_HEADER, liveHub, type LiveGrant } from "../live-hub.ts";

function offers(request: Request, protocol: string): boolean {
  return (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").some((p) => p.trim() === protocol);
}

export async function openLive(request: IRequest, env: Env): Promise<Response> {
  const workspaceId = request.params["id"]!;
  const token = await requireToken(request, env, workspaceId, ["read", "admin"], Date.now(), socketToken(request));
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    const response = errorResponse(new ApiError(426, "upgrade_required", "live updates come over a WebSocket: send `Upgrade: websocket`"));
    response.headers.set("Upgrade", "websocket");
    return response;
  }
  const grant: LiveGrant = {
    workspace: workspaceId,
    tokenId: token.id,
    kind: token.kind,
    expiresAt: token.expires_at,
    protocol: offers(request, LIVE_PROTOCOL) ? LIVE_PROTOCOL : null,
  };
  // a fresh request: the token itself (query or subprotocol) stays at the edge
  return liveHub(env, workspaceId).fetch("https://live-hub.internal/connect", {
    headers: { Upgrade: "websocket", [GRANT_HEADER]: JSON.stringify(grant) },
  });
}

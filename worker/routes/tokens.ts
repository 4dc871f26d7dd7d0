/** Token management for a workspace's admins: create, list, revoke. */
import type { IRequest } from "itty-router";
import type { CreateTokenResponse, RevokeTokenResponse, TokenListResponse } from "../../shared/wire.ts";
import { createTokenRequest } from "../../shared/requests.ts";
import { toEpochMs } from "../../shared/ingest.ts";
import { mintToken, requireToken } from "../auth.ts";
import { readJsonBody } from "../decode/json-body.ts";
import { findToken, insertToken, listTokens, revokeToken } from "../db/tokens.ts";
import { toTokenInfo } from "../db/rows.ts";
import { ApiError } from "../http/api-error.ts";
import { liveHub } from "../live-hub.ts";

export async function createToken(request: IRequest, env: Env): Promise<Response> {
  const workspaceId = request.params["id"]!;
  const now = Date.now();
  await requireToken(request, env, workspaceId, ["admin"], now);
  const body = await readJsonBody(request, createTokenRequest);
  const expiresAt = body.expires_at === undefined ? null : toEpochMs(body.expires_at);
  if (expiresAt !== null && expiresAt <= now) {
    throw new ApiError(400, "invalid_body", "the request body is invalid", { issues: [{ path: "expires_at", message: "must lie in the future" }] });
  }
  const { row, issued } = await mintToken(workspaceId, body.kind, body.label, now, expiresAt);
  await insertToken(env.DB, row);
  const response: CreateTokenResponse = { token: issued };
  return Response.json(response, { status: 201 });
}

export async function listWorkspaceTokens(request: IRequest, env: Env): Promise<Response> {
  const workspaceId = request.params["id"]!;
  await requireToken(request, env, workspaceId, ["admin"], Date.now());
  const response: TokenListResponse = { tokens: (await listTokens(env.DB, workspaceId)).map(toTokenInfo) };
  return Response.json(response);
}

export async function revokeWorkspaceToken(request: IRequest, env: Env): Promise<Response> {
  const workspaceId = request.params["id"]!;
  const tokenId = request.params["tokenId"]!;
  const now = Date.now();
  await requireToken(request, env, workspaceId, ["admin"], now);
  if (!(await revokeToken(env.DB, workspaceId, tokenId, now))) {
    if (!(await findToken(env.DB, workspaceId, tokenId))) throw new ApiError(404, "not_found", `no token ${tokenId} in this workspace`);
    throw new ApiError(409, "last_admin_token", "this is the workspace's last active admin token; create another admin token first");
  }
  const revoked = await findToken(env.DB, workspaceId, tokenId);
  // its live sockets close before this answers (write tokens have none); a socket
  // opening meanwhile rechecks the token itself
  if (revoked!.kind !== "write") {
    try {
      await liveHub(env, workspaceId).revoke(tokenId);
    } catch (e) {
      console.error("live: closing a revoked token's sockets failed", e);
    }
  }
  const response: RevokeTokenResponse = { token: toTokenInfo(revoked!) };
  return Response.json(response);
}

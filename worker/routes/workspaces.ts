/** Workspaces: creation with the instance admin secret, and reading one's info. */
import type { IRequest } from "itty-router";
import type { CreateWorkspaceResponse, IssuedToken, TokenKind } from "../../shared/wire.ts";
import { TOKEN_KINDS } from "../../shared/wire.ts";
import { createWorkspaceRequest } from "../../shared/requests.ts";
import { mintToken, randomId, requireInstanceAdmin, requireToken } from "../auth.ts";
import { readJsonBody } from "../decode/json-body.ts";
import { findWorkspace, insertWorkspace } from "../db/workspaces.ts";
import { toWorkspaceInfo, type WorkspaceRow } from "../db/rows.ts";
import { ApiError } from "../http/api-error.ts";

export async function createWorkspace(request: IRequest, env: Env): Promise<Response> {
  await requireInstanceAdmin(request, env);
  const body = await readJsonBody(request, createWorkspaceRequest);
  const now = Date.now();
  const ws: WorkspaceRow = { id: randomId("ws_"), name: body.name ?? "Untitled workspace", demo: body.demo ? 1 : 0, created_at: now };
  const minted = await Promise.all(TOKEN_KINDS.map((kind) => mintToken(ws.id, kind, `first ${kind} token`, now)));
  await insertWorkspace(env.DB, ws, minted.map((m) => m.row));
  const tokens = Object.fromEntries(minted.map((m) => [m.row.kind, m.issued])) as Record<TokenKind, IssuedToken>;
  const response: CreateWorkspaceResponse = { workspace: toWorkspaceInfo(ws), tokens };
  return Response.json(response, { status: 201 });
}

export async function getWorkspace(request: IRequest, env: Env): Promise<Response> {
  const id = request.params["id"]!;
  await requireToken(request, env, id, TOKEN_KINDS, Date.now());
  const ws = await findWorkspace(env.DB, id);
  // a live token whose workspace is gone cannot happen while tokens cascade; guard anyway
  if (!ws) throw new ApiError(404, "not_found", "no such workspace");
  return Response.json({ workspace: toWorkspaceInfo(ws) });
}

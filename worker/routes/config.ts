/**
 * Workspace config: read by any reader of the workspace, written by its
 * admins, key by key, last writer wins per key. A write is validated whole
 * before anything is stored, so an invalid key leaves every key untouched.
 */
import type { IRequest } from "itty-router";
import { canonicalJson, CONFIG_KEYS, configPatchRequest, type ConfigKey } from "../../shared/config.ts";
import type { ConfigOverwrite, ConfigPatchResponse, ConfigResponse } from "../../shared/wire.ts";
import { requireToken } from "../auth.ts";
import { readJsonBody } from "../decode/json-body.ts";
import { LIMITS } from "../../shared/event.ts";
import { readConfig, writeConfig } from "../db/config.ts";
import { liveHub } from "../live-hub.ts";

export async function getConfig(request: IRequest, env: Env): Promise<Response> {
  const workspaceId = request.params["id"]!;
  await requireToken(request, env, workspaceId, ["read", "admin"], Date.now());
  const response: ConfigResponse = await readConfig(env.DB, workspaceId);
  return Response.json(response);
}

/** Has the workspace's hub evaluate its alerts with the new rules; for `ctx.waitUntil`, never throws. */
async function rulesChanged(env: Env, workspaceId: string): Promise<void> {
  try {
    await liveHub(env, workspaceId).checkAlerts(workspaceId);
  } catch (e) {
    // the hub reads the rules afresh on a batch at most half a minute later anyway
    console.error("alerts: telling the hub of new rules failed", e);
  }
}

export async function patchConfig(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const workspaceId = request.params["id"]!;
  const now = Date.now();
  await requireToken(request, env, workspaceId, ["admin"], now);
  // a whole endpoint catalog travels in one write: the event body limit, not the small admin one
  const body = await readJsonBody(request, configPatchRequest, LIMITS.bodyBytes);

  // in CONFIG_KEYS order, so the statements and the answer do not depend on the body's key order
  const keys = CONFIG_KEYS.filter((k) => body.set[k] !== undefined);
  const writes = keys.map((key) => ({ key, value: body.set[key] === null ? null : canonicalJson(body.set[key]) }));
  const { before, after } = await writeConfig(env.DB, workspaceId, writes, now);

  const changed = keys.filter((k) => after.versions[k] !== before[k]);
  if (changed.includes("alert_rules")) ctx.waitUntil(rulesChanged(env, workspaceId));
  const overwritten: ConfigOverwrite[] = changed.flatMap((key: ConfigKey) => {
    const base = body.base_versions?.[key];
    return base !== undefined && base !== before[key] ? [{ key, base_version: base, replaced_version: before[key] }] : [];
  });
  const response: ConfigPatchResponse = { ...after, changed, overwritten };
  return Response.json(response);
}

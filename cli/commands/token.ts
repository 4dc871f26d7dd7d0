/**
 * `tally token create|list|revoke`: a workspace admin's token management, with
 * the workspace's admin token. Creating is never retried (a lost answer would
 * leave an unseen live token behind); listing and revoking are safe to repeat.
 */
import {
  TOKEN_KINDS,
  type CreateTokenRequest,
  type CreateTokenResponse,
  type RevokeTokenResponse,
  type TokenInfo,
  type TokenKind,
  type TokenListResponse,
} from "../../shared/wire.ts";
import { EXIT_FAILED, EXIT_OK, RETRIES_OPTION, UsageError, requireString, type CommandSpec, type Context } from "../command.ts";
import { clean, failureLines, table } from "../format.ts";
import type { ApiResult } from "../http.ts";

import { shareLink } from "./workspace.ts";

function tokensPath(ctx: Context): string {
  return `/api/v1/workspaces/${encodeURIComponent(ctx.workspace)}/tokens`;
}

/** Prints a failure (stderr, or the JSON document) and gives the exit code. */
function failed(ctx: Context, doing: string, result: Extract<ApiResult<unknown>, { ok: false }>): number {
  ctx.emitJson({ error: result.error });
  const [first, ...rest] = failureLines(result.error);
  ctx.warn([`tally: could not ${doing}: ${first}`, ...rest].join("\n"));
  return EXIT_FAILED;
}

export const tokenCreate: CommandSpec = {
  words: ["token", "create"],
  usage: "--kind admin|write|read --label LABEL [--expires TIME]",
  summary: "create a token (needs an admin token)",
  description: `Creates a workspace token and prints it. The token is shown only once: store it
now, e.g. as the TALLY_TOKEN secret of a CI system. Write tokens post events;
read tokens read them (share links); admin tokens also manage tokens.`,
  options: {
    kind: { type: "string", arg: "KIND", help: "admin, write or read (required)" },
    label: { type: "string", arg: "LABEL", help: "what it is for, e.g. github-actions (required)" },
    expires: { type: "string", arg: "TIME", help: "expiry: ISO-8601 with a zone, or epoch milliseconds (default: never)" },
  },
  positionals: { min: 0, max: 0 },
  needs: { workspace: true, token: true },
  run: createToken,
};

async function createToken(ctx: Context): Promise<number> {
  const kind = requireString(ctx, "kind", tokenCreate);
  if (!(TOKEN_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${TOKEN_KINDS.join(", ")}, not "${kind}"`, tokenCreate);
  const request: CreateTokenRequest = { kind: kind as TokenKind, label: requireString(ctx, "label", tokenCreate) };
  const expires = ctx.values["expires"];
  if (typeof expires === "string" && expires.trim() !== "") {
    request.expires_at = /^\d+$/.test(expires.trim()) ? Number(expires.trim()) : expires.trim();
  }

  const result = await ctx.api.call<CreateTokenResponse>({
    method: "POST",
    path: tokensPath(ctx),
    token: ctx.token,
    retries: 0,
    body: () => ({ data: JSON.stringify(request), headers: { "Content-Type": "application/json" } }),
  });
  if (!result.ok) return failed(ctx, "create the token", result);
  const issued = result.body.token;
  ctx.emitJson(result.body);
  ctx.say(
    [
      `Created ${issued.kind} token ${issued.id} ("${clean(issued.label)}"), ${issued.expires_at ? `expires ${issued.expires_at}` : "never expires"}`,
      issued.token,
      "Shown only once: store it now.",
      ...(issued.kind === "read" ? ["", "Share link (read-only; opens the dashboard):", `  ${shareLink(ctx.url, ctx.workspace, issued.token)}`] : []),
    ].join("\n"),
  );
  return EXIT_OK;
}

export const tokenList: CommandSpec = {
  words: ["token", "list"],
  usage: "",
  summary: "list the workspace's tokens (needs an admin token)",
  description: "Lists every token of the workspace, revoked and expired ones included.\nSecrets are never shown.",
  options: { ...RETRIES_OPTION },
  positionals: { min: 0, max: 0 },
  needs: { workspace: true, token: true },
  run: listTokens,
};

async function listTokens(ctx: Context): Promise<number> {
  const result = await ctx.api.call<TokenListResponse>({ method: "GET", path: tokensPath(ctx), token: ctx.token });
  if (!result.ok) return failed(ctx, "list tokens", result);
  ctx.emitJson(result.body);
  const tokens = result.body.tokens;
  if (tokens.length === 0) {
    ctx.say("No tokens.");
    return EXIT_OK;
  }
  const rows = tokens.map((t) => [t.id, t.kind, t.label, t.created_at, t.expires_at ?? "-", t.revoked_at ?? "-"]);
  ctx.say(table(["ID", "KIND", "LABEL", "CREATED", "EXPIRES", "REVOKED"], rows));
  return EXIT_OK;
}

export const tokenRevoke: CommandSpec = {
  words: ["token", "revoke"],
  usage: "TOKEN_ID",
  summary: "revoke a token (needs an admin token)",
  description: `Revokes a token at once: requests made with it fail from now on. TOKEN_ID is the
tok_... id that \`tally token list\` shows, not the secret. The workspace's last
active admin token cannot be revoked.`,
  options: { ...RETRIES_OPTION },
  positionals: { min: 1, max: 1 },
  needs: { workspace: true, token: true },
  run: revokeToken,
};

async function revokeToken(ctx: Context): Promise<number> {
  const id = ctx.args[0]!;
  // a secret in the URL path would land in access logs
  if (id.startsWith("tly_")) throw new UsageError("TOKEN_ID is the token's id (tok_...), not its secret; `tally token list` shows ids", tokenRevoke);
  const result = await ctx.api.call<RevokeTokenResponse>({
    method: "DELETE",
    path: `${tokensPath(ctx)}/${encodeURIComponent(id)}`,
    token: ctx.token,
  });
  if (!result.ok) return failed(ctx, `revoke ${clean(id)}`, result);
  ctx.emitJson(result.body);
  const t = result.body.token;
  ctx.say(`Revoked ${t.kind} token ${t.id} ("${clean(t.label)}")${t.revoked_at ? ` at ${t.revoked_at}` : ""}.`);
  return EXIT_OK;
}

/**
 * Tokens: making them, hashing them, and checking a request's bearer token
 * against a workspace and the token kinds a route accepts. Only SHA-256 hashes
 * are stored; comparisons are constant-time.
 */
import { LIVE_TOKEN_PROTOCOL_PREFIX, TOKEN_KINDS, TOKEN_PREFIX, type IssuedToken, type TokenKind } from "../shared/wire.ts";
import { ApiError } from "./http/api-error.ts";
import { findTokenByHash } from "./db/tokens.ts";
import { toTokenInfo, type TokenRow } from "./db/rows.ts";

/** 32 base62 characters: about 190 bits, and selectable with a double click. */
const SECRET_CHARS = 32;
const SECRET_PATTERN = /^[A-Za-z0-9]{32}$/;
const PREFIX_LENGTH = 6;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length))) {
      // 248 = 4 * 62: dropping bytes above it keeps every character equally likely
      if (b < 248 && out.length < length) out += BASE62[b % 62];
    }
  }
  return out;
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A random id with a readable prefix, e.g. `ws_3f9a...`. */
export function randomId(prefix: string, bytes = 10): string {
  return prefix + hex(crypto.getRandomValues(new Uint8Array(bytes)).buffer);
}

/** A new token secret of the given kind. */
export function newTokenSecret(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBase62(SECRET_CHARS);
}

/** A token row and its secret, which leaves the edge only in this response. */
export async function mintToken(
  workspaceId: string,
  kind: TokenKind,
  label: string,
  now: number,
  expiresAt: number | null = null,
): Promise<{ row: TokenRow; issued: IssuedToken }> {
  const token = newTokenSecret(kind);
  const row: TokenRow = {
    id: randomId("tok_", 8),
    workspace_id: workspaceId,
    kind,
    label,
    hash: await sha256Hex(token),
    created_at: now,
    expires_at: expiresAt,
    revoked_at: null,
  };
  const issued: IssuedToken = { ...toTokenInfo(row), token };
  return { row, issued };
}

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

async function equalSecrets(a: string, b: string): Promise<boolean> {
  // hashing first gives equal lengths, which timingSafeEqual requires
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", new TextEncoder().encode(a)),
    crypto.subtle.digest("SHA-256", new TextEncoder().encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

function bearer(request: Request): string {
  const header = request.headers.get("Authorization");
  if (!header) throw new ApiError(401, "missing_token", "send a token as `Authorization: Bearer <token>`");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError(401, "invalid_token", "the Authorization header must be `Bearer <token>`");
  return match[1]!;
}

/** The kind a token's prefix names, if the token is well formed. */
export function tokenKindOf(token: string): TokenKind | undefined {
  const kind = TOKEN_KINDS.find((k) => token.startsWith(TOKEN_PREFIX[k]));
  return kind && SECRET_PATTERN.test(token.slice(PREFIX_LENGTH)) ? kind : undefined;
}

/** Checks the instance admin secret, which only creates workspaces. */
export async function requireInstanceAdmin(request: Request, env: Env): Promise<void> {
  if (!env.TALLY_ADMIN_SECRET) {
    throw new ApiError(503, "not_configured", "this instance has no TALLY_ADMIN_SECRET; set it with `wrangler secret put TALLY_ADMIN_SECRET`");
  }
  if (!(await equalSecrets(bearer(request), env.TALLY_ADMIN_SECRET))) {
    throw new ApiError(401, "invalid_admin_secret", "creating a workspace needs the instance admin secret as bearer token");
  }
}

/**
 * The token of a WebSocket request. Browsers cannot set headers on one, so it
 * comes as the `token` query parameter or as the subprotocol
 * `tally.token.<token>`; other clients may use the Authorization header.
 */
export function socketToken(request: Request): string {
  const query = new URL(request.url).searchParams.get("token");
  if (query !== null) return query;
  const offered = (request.headers.get("Sec-WebSocket-Protocol") ?? "").split(",").map((p) => p.trim());
  const carried = offered.find((p) => p.startsWith(LIVE_TOKEN_PROTOCOL_PREFIX));
  if (carried !== undefined) return carried.slice(LIVE_TOKEN_PROTOCOL_PREFIX.length);
  if (request.headers.has("Authorization")) return bearer(request);
  throw new ApiError(401, "missing_token", `send a token as the \`token\` query parameter, the subprotocol \`${LIVE_TOKEN_PROTOCOL_PREFIX}<token>\` or \`Authorization: Bearer <token>\``);
}

/**
 * Resolves the request's token (by default its bearer token) and checks that
 * it is live, belongs to `workspaceId` and is of one of `kinds`.
 */
export async function requireToken(request: Request, env: Env, workspaceId: string, kinds: readonly TokenKind[], now: number, token = bearer(request)): Promise<TokenRow> {
  const kind = tokenKindOf(token);
  if (!kind) {
    throw new ApiError(401, "invalid_token", "malformed token: Tally tokens are tly_a_, tly_w_ or tly_r_ followed by 32 letters and digits");
  }
  const hash = await sha256Hex(token);
  const row = await findTokenByHash(env.DB, hash);
  if (!row || !crypto.subtle.timingSafeEqual(new TextEncoder().encode(row.hash), new TextEncoder().encode(hash))) {
    throw new ApiError(401, "invalid_token", "unknown token");
  }
  if (row.revoked_at !== null) throw new ApiError(401, "token_revoked", "this token has been revoked");
  if (row.expires_at !== null && row.expires_at <= now) throw new ApiError(401, "token_expired", "this token has expired");
  if (row.workspace_id !== workspaceId) throw new ApiError(403, "wrong_workspace", "this token does not grant access to this workspace");
  if (!kinds.includes(row.kind)) {
    throw new ApiError(403, "insufficient_scope", `this takes ${kinds.join(" or ")} tokens; this is a ${row.kind} token`);
  }
  return row;
}

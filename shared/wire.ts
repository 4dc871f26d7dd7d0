/**
 * The HTTP contract between the edge, the app and the `tally` command: request
 * and response bodies, one type each, so both sides compile against the same
 * shapes.
 */
import type { StoredEvent } from "./event.ts";

/** The three kinds of workspace token, each with its own prefix. */
export const TOKEN_KINDS = ["admin", "write", "read"] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** Token prefixes; fixed so secret scanners can recognise leaked tokens. */
export const TOKEN_PREFIX: Record<TokenKind, string> = { admin: "tly_a_", write: "tly_w_", read: "tly_r_" };

/** The error envelope every failing response carries; `details` is null when there are none. */
export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

export interface WorkspaceInfo {
  id: string;
  name: string;
  demo: boolean;
  created_at: string;
}

/** A token as listed: never the secret. */
export interface TokenInfo {
  id: string;
  kind: TokenKind;
  label: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** A token just made: the only time its secret is shown. */
export interface IssuedToken extends TokenInfo {
  token: string;
}

/** `POST /api/v1/workspaces` body. */
export interface CreateWorkspaceRequest {
  name?: string;
  demo?: boolean;
}

export interface CreateWorkspaceResponse {
  workspace: WorkspaceInfo;
  tokens: Record<TokenKind, IssuedToken>;
}

/** `POST /api/v1/workspaces/:id/tokens` body. */
export interface CreateTokenRequest {
  kind: TokenKind;
  label: string;
  /** ISO-8601 or epoch milliseconds; must lie in the future. */
  expires_at?: string | number;
}

/** Response of `POST /api/v1/workspaces/:id/tokens`: the only time the secret is shown. */
export interface CreateTokenResponse {
  token: IssuedToken;
}

/** Response of `DELETE /api/v1/workspaces/:id/tokens/:tokenId`. */
export interface RevokeTokenResponse {
  token: TokenInfo;
}

export interface TokenListResponse {
  tokens: TokenInfo[];
}

/** Why one event of a batch was not stored. */
export interface Rejection {
  /** Position of the event in the batch (0-based; NDJSON: line order of non-blank lines). */
  index: number;
  /** The event's id, where it had a usable one. */
  id?: string;
  /** Failing field inside the event, e.g. `props.status`; empty for the event as a whole. */
  path: string;
  message: string;
}

/** Something stored, but changed on the way in. */
export interface IngestWarning {
  index: number;
  code: "ts_clamped";
  message: string;
}

/** Response of `POST /api/v1/workspaces/:id/events`. */
export interface IngestResponse {
  /** Events stored by this request. */
  accepted: number;
  /** Events whose id was already stored, by an earlier batch or earlier in this one. */
  duplicates: number;
  rejected: number;
  rejections: Rejection[];
  warnings: IngestWarning[];
}

/** The 400 answer when every event of a batch was rejected: `details` holds the counts and rejections. */
export interface InvalidEventsError {
  error: { code: "invalid_events"; message: string; details: IngestResponse };
}

/** Response of `GET /api/v1/workspaces/:id/events?after=&limit=`. */
export interface PullResponse {
  events: StoredEvent[];
  /** Cursor for the next page: pass it as `after`. */
  next: number;
  /** Whether events after `next` exist already. */
  more: boolean;
}

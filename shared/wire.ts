/**
 * The HTTP contract between the edge, the app and the `tally` command: request
 * and response bodies, one type each, so both sides compile against the same
 * shapes.
 */
import type { StoredEvent } from "./event.ts";
import type { ConfigKey, ConfigPatch, ConfigVersions, RetentionCutoffs, WorkspaceConfig } from "./config.ts";
import type { AlertState, AlertTransition } from "./alerts/state.ts";

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
  /**
   * Per event type with a retention, the earliest `ts` (epoch ms) still kept,
   * as of this answer. Clients drop stored events of that type below it; pages
   * may still carry such events until the hourly cleanup deletes them. Absent
   * when the workspace keeps everything (and from edges that predate it).
   */
  retention?: RetentionCutoffs;
}

/**
 * Live updates: messages the workspace's hub sends down the WebSocket of
 * `GET /api/v1/workspaces/:id/live`, a discriminated union on `type`. Clients
 * ignore types they do not know, so new kinds (alerts) can be added.
 */
export type LiveMessage = LiveHelloMessage | LiveEventsMessage | LiveAlertMessage;

/**
 * Sent once, first, on every new connection. A client whose cursor is below
 * `last_seq` is behind and pulls `GET events?after=<cursor>`.
 */
export interface LiveHelloMessage {
  type: "hello";
  workspace: string;
  /** The workspace's highest stored seq when the socket was accepted; 0 when it has none. */
  last_seq: number;
}

/**
 * Events just committed, in seq order: one message per posted batch, or per
 * contiguous chunk of a large one. Seqs are global across workspaces, so gaps
 * are detected with `prev_seq`, not `first_seq - 1`: when `prev_seq` equals
 * the client's cursor the events follow on directly; when it is greater, the
 * client missed something and pulls; when it is smaller, it already has some
 * of them and skips those with `seq <= cursor`.
 */
export interface LiveEventsMessage {
  type: "events";
  workspace: string;
  /** The workspace's highest seq before these events (0 when there was none). */
  prev_seq: number;
  first_seq: number;
  last_seq: number;
  events: StoredEvent[];
}

/**
 * An alert fired or resolved at the edge (evaluated on ingest), sent to every
 * connected browser once its history entry is stored.
 */
export interface LiveAlertMessage {
  type: "alert";
  workspace: string;
  alert: AlertHistoryEntry;
}

/** One stored alert transition: what `GET …/alerts` lists and a live `alert` message carries. */
export interface AlertHistoryEntry extends AlertTransition {
  /** Increasing per workspace: history reads newest first by id. */
  id: number;
}

/**
 * What a rule's webhook URL is sent for each firing and resolving (POST,
 * JSON, header `X-Tally-Delivery` the same across retries of one notice).
 */
export interface AlertWebhookBody {
  workspace: string;
  alert: AlertHistoryEntry;
}

/**
 * Response of `GET /api/v1/workspaces/:id/alerts` (read token): the rules'
 * current states as the edge last evaluated them, and history newest first,
 * paged with `before=<id>`.
 */
export interface AlertsResponse {
  states: AlertState[];
  history: AlertHistoryEntry[];
  /** Pass as `before` for the next (older) page; null when this was the last. */
  next_before: number | null;
}

/** Subprotocol a live client offers (and the server echoes) to speak this contract. */
export const LIVE_PROTOCOL = "tally.v1";

/** Prefix of the subprotocol that carries a token, for browsers, which cannot set headers: `tally.token.<token>`. */
export const LIVE_TOKEN_PROTOCOL_PREFIX = "tally.token.";

/** Close code of a live socket whose token was revoked or expired; reconnecting with it gets 401. */
export const LIVE_CLOSE_UNAUTHORIZED = 4401;

/** Text a live client may send to check the connection; the server answers {@link LIVE_PONG}. */
export const LIVE_PING = "ping";

/** The answer to {@link LIVE_PING}, sent without waking the hub. */
export const LIVE_PONG = "pong";

/** Response of `GET /api/v1/workspaces/:id/config`. */
export interface ConfigResponse {
  /** Only keys that hold a value; an absent key has its default (retention: keep forever). */
  config: WorkspaceConfig;
  /** Every key's version, 0 for keys never written. */
  versions: ConfigVersions;
}

/** `PATCH /api/v1/workspaces/:id/config` body. */
export interface ConfigPatchRequest {
  /** Keys to write, each replaced whole; `null` removes a key. */
  set: ConfigPatch;
  /** The version each written key had when the writer read it; the write wins regardless (last writer wins). */
  base_versions?: Partial<ConfigVersions>;
}

/** A key whose write replaced a version other than the writer's base: someone else's change was lost. */
export interface ConfigOverwrite {
  key: ConfigKey;
  base_version: number;
  /** The version this write replaced. */
  replaced_version: number;
}

/** Response of `PATCH /api/v1/workspaces/:id/config`: the whole config after the write. */
export interface ConfigPatchResponse extends ConfigResponse {
  /** Keys whose value this write changed; writing a key's current value again changes nothing, not even its version. */
  changed: ConfigKey[];
  /** Changed keys whose `base_versions` entry was not the version replaced. */
  overwritten: ConfigOverwrite[];
}

/** What one kind of work did in one run of the hourly job. */
export interface MaintenanceWork {
  /** Events deleted (retention), folded into metric totals (rollup), or alert rows deleted (alerts). */
  rows: number;
  chunks: number;
  /** False when the run's cap stopped it with work left for the next run. */
  done: boolean;
  /** Workspaces skipped after an error (logged at the edge); the next run retries them. */
  failed: number;
}

/** Response of `POST /api/v1/maintenance`: one run of the hourly job, now. */
export interface MaintenanceResponse {
  retention: MaintenanceWork;
  rollup: MaintenanceWork;
  /** Alert history past 90 days and webhook deliveries finished over 7 days ago, deleted. */
  alerts: MaintenanceWork;
}

/**
 * Response of the PostHog-compatible capture routes (`/batch/`, `/capture/`,
 * `/e/`, `/i/v0/e/`): PostHog's `status: 1`, which its SDKs look for, beside
 * Tally's ingest counts.
 */
export interface PosthogCaptureResponse extends IngestResponse {
  status: 1;
}

/** Error body of the PostHog-compatible routes: PostHog's fields beside Tally's envelope. */
export interface PosthogErrorBody extends ErrorBody {
  type: "authentication_error" | "validation_error" | "server_error";
  code: string;
  detail: string;
}

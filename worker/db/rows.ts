/**
 * Row shapes of the D1 tables and their mappers to wire types. Times are
 * stored as epoch milliseconds and served as ISO-8601 text.
 */
import type { Props, StoredEvent } from "../../shared/event.ts";
import type { TokenInfo, TokenKind, WorkspaceInfo } from "../../shared/wire.ts";

export interface WorkspaceRow {
  id: string;
  name: string;
  demo: number;
  created_at: number;
}

export interface TokenRow {
  id: string;
  workspace_id: string;
  kind: TokenKind;
  label: string;
  hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function toWorkspaceInfo(row: WorkspaceRow): WorkspaceInfo {
  return { id: row.id, name: row.name, demo: row.demo === 1, created_at: iso(row.created_at) };
}

export function toTokenInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    kind: row.kind,
    label: row.label,
    created_at: iso(row.created_at),
    expires_at: isoOrNull(row.expires_at),
    revoked_at: isoOrNull(row.revoked_at),
  };
}

/** An `events` row as selected for serving: props as the JSON text stored. */
export type EventRow = Omit<StoredEvent, "props"> & { props: string };

export function toStoredEvent(row: EventRow): StoredEvent {
  return { ...row, props: JSON.parse(row.props) as Props };
}

-- Workspaces, their tokens, and the event log.

CREATE TABLE workspaces (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  demo           INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  config         TEXT NOT NULL DEFAULT '{}',
  config_version INTEGER NOT NULL DEFAULT 0
);

-- Only the SHA-256 of a token's secret is kept.
CREATE TABLE tokens (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('admin', 'write', 'read')),
  label        TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX tokens_by_workspace ON tokens (workspace_id);

-- seq orders the log: the sync cursor. AUTOINCREMENT so a seq is never reused,
-- even after retention deletes the newest rows.
CREATE TABLE events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id TEXT NOT NULL,
  id           TEXT NOT NULL,
  ts           INTEGER NOT NULL,
  received_at  INTEGER NOT NULL,
  type         TEXT NOT NULL,
  name         TEXT NOT NULL,
  props        TEXT NOT NULL
);
-- dedupe: an event id is stored once per workspace
CREATE UNIQUE INDEX events_by_id ON events (workspace_id, id);
CREATE INDEX events_by_seq ON events (workspace_id, seq);

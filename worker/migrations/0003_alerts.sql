-- Alerts evaluated at the edge: each rule's current state, the history of
-- alerts firing and resolving, and the outbox of webhook deliveries.
-- Only the workspace's LiveHub writes these (worker/alerts/), one at a time,
-- so a state read and the transitions written after it never race.

-- Where each enabled rule stood at its last evaluation (shared/alerts/state.ts
-- AlertState). position keeps the rules' order, which the alerts route serves.
CREATE TABLE alert_states (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  rule_id      TEXT NOT NULL,
  position     INTEGER NOT NULL,
  name         TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('firing', 'ok')),
  since        INTEGER NOT NULL,
  evaluated_at INTEGER NOT NULL,
  value        REAL,
  threshold    REAL NOT NULL,
  severity     TEXT NOT NULL,
  detail       TEXT NOT NULL,
  PRIMARY KEY (workspace_id, rule_id)
) WITHOUT ROWID;

-- Every alert that fired or resolved (AlertTransition plus id). AUTOINCREMENT,
-- as for events.seq: ids only grow, so `before=<id>` pages are stable.
CREATE TABLE alert_history (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  rule_id      TEXT NOT NULL,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('firing', 'resolved')),
  at           INTEGER NOT NULL,
  value        REAL,
  threshold    REAL NOT NULL,
  severity     TEXT NOT NULL,
  detail       TEXT NOT NULL
);
CREATE INDEX alert_history_by_workspace ON alert_history (workspace_id, id);

-- One row per webhook post of one history entry. A failed attempt moves
-- next_attempt_at back (exponential backoff) until the last attempt, which
-- leaves the row abandoned; rows are never retried once delivered.
CREATE TABLE alert_webhooks (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id    TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  history_id      INTEGER NOT NULL REFERENCES alert_history(id) ON DELETE CASCADE,
  url             TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'abandoned')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  finished_at     INTEGER
);
-- only pending rows are ever looked up by time: a partial index stays small
CREATE INDEX alert_webhooks_due ON alert_webhooks (workspace_id, next_attempt_at) WHERE state = 'pending';

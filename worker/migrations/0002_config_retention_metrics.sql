-- Workspace config per key, the index retention deletes by, and metric rollups.

-- One row per workspace and config key, each with its own version: the last
-- writer wins per key, and two admins editing different keys never clash.
-- value is canonical JSON; NULL once a key is removed, which keeps its version
-- counting up. This supersedes workspaces.config and workspaces.config_version
-- (one version for the whole document), which stay unused.
CREATE TABLE workspace_config (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  value        TEXT,
  version      INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, key)
) WITHOUT ROWID;

-- Retention deletes one type's oldest events in chunks; without this index
-- every chunk would scan the workspace's whole log.
CREATE INDEX events_by_type_ts ON events (workspace_id, type, ts);

-- Prometheus counters must never go down, but retention deletes events. So
-- events are folded into these running totals: by the hourly job up to
-- workspaces.rollup_seq, and by retention just before it deletes any not yet
-- folded. The metrics endpoint adds the events after rollup_seq, which also
-- keeps a scrape from reading the whole log.
ALTER TABLE workspaces ADD COLUMN rollup_seq INTEGER NOT NULL DEFAULT 0;

-- family is the event type; labels a JSON array of label values, in the order
-- worker/db/metrics.ts gives each family (request: endpoint, method, status,
-- protocol; test: suite, status; job: provider, status; others: none).
-- value_* is latency_ms for requests and cost_usd for jobs; le_* count
-- requests with latency_ms at or below each histogram bound.
CREATE TABLE metric_rollups (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  family       TEXT NOT NULL,
  labels       TEXT NOT NULL,
  n            INTEGER NOT NULL,
  errors       INTEGER NOT NULL,
  value_n      INTEGER NOT NULL,
  value_sum    REAL NOT NULL,
  le_5         INTEGER NOT NULL,
  le_10        INTEGER NOT NULL,
  le_25        INTEGER NOT NULL,
  le_50        INTEGER NOT NULL,
  le_100       INTEGER NOT NULL,
  le_250       INTEGER NOT NULL,
  le_500       INTEGER NOT NULL,
  le_1000      INTEGER NOT NULL,
  le_2500      INTEGER NOT NULL,
  le_5000      INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, family, labels)
) WITHOUT ROWID;

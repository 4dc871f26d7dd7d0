/**
 * SQL for workspace config: one row per key with its own version. A write is
 * one D1 batch (one transaction) that reads the versions before, upserts each
 * key and reads the config after, so the answer shows exactly what this write
 * replaced and left.
 */
import { CONFIG_KEYS, parseRetention, type ConfigKey, type ConfigVersions, type RetentionDays, type WorkspaceConfig } from "../../shared/config.ts";

interface ConfigRow {
  key: string;
  value: string | null;
  version: number;
}

/** A workspace's config and versions, as rows read in one transaction show them. */
export interface ConfigState {
  config: WorkspaceConfig;
  versions: ConfigVersions;
}

/** One key to write: canonical JSON, or null to remove the key. */
export interface ConfigWrite {
  key: ConfigKey;
  value: string | null;
}

const SELECT_SQL = "SELECT key, value, version FROM workspace_config WHERE workspace_id = ?1";

// A write of the stored value again changes nothing, version included; a
// removal of a key never written inserts nothing (the WHERE of the SELECT).
const UPSERT_SQL = `INSERT INTO workspace_config (workspace_id, key, value, version, updated_at)
  SELECT ?1, ?2, ?3, 1, ?4
   WHERE ?3 IS NOT NULL OR EXISTS (SELECT 1 FROM workspace_config WHERE workspace_id = ?1 AND key = ?2)
  ON CONFLICT (workspace_id, key) DO UPDATE
    SET value = excluded.value, version = version + 1, updated_at = excluded.updated_at
    WHERE value IS NOT excluded.value`;

const isKey = (key: string): key is ConfigKey => (CONFIG_KEYS as string[]).includes(key);

function toState(rows: ConfigRow[]): ConfigState {
  const versions = Object.fromEntries(CONFIG_KEYS.map((k) => [k, 0])) as ConfigVersions;
  const config: Record<string, unknown> = {};
  for (const row of rows) {
    // rows of keys a later schema dropped are kept but not served
    if (!isKey(row.key)) continue;
    versions[row.key] = row.version;
    if (row.value !== null) config[row.key] = JSON.parse(row.value);
  }
  return { config: config as WorkspaceConfig, versions };
}

export async function readConfig(db: D1Database, workspaceId: string): Promise<ConfigState> {
  const { results } = await db.prepare(SELECT_SQL).bind(workspaceId).all<ConfigRow>();
  return toState(results);
}

/**
 * Writes keys, last writer wins per key, atomically. Returns the versions
 * before the write and the state after it.
 */
export async function writeConfig(db: D1Database, workspaceId: string, writes: ConfigWrite[], now: number): Promise<{ before: ConfigVersions; after: ConfigState }> {
  const select = db.prepare(SELECT_SQL).bind(workspaceId);
  const upserts = writes.map((w) => db.prepare(UPSERT_SQL).bind(workspaceId, w.key, w.value, now));
  const results = await db.batch<ConfigRow>([select, ...upserts, select]);
  return { before: toState(results[0]!.results).versions, after: toState(results.at(-1)!.results) };
}

/** A workspace's retention setting; undefined when it keeps everything. */
export async function readRetention(db: D1Database, workspaceId: string): Promise<RetentionDays | undefined> {
  const row = await db
    .prepare("SELECT value FROM workspace_config WHERE workspace_id = ?1 AND key = 'retention_days' AND value IS NOT NULL")
    .bind(workspaceId)
    .first<{ value: string }>();
  return row ? parseRetention(JSON.parse(row.value)) : undefined;
}

/** Every workspace that has a retention setting, with it. */
export async function listRetention(db: D1Database): Promise<{ workspaceId: string; days: RetentionDays }[]> {
  const { results } = await db
    .prepare("SELECT workspace_id, value FROM workspace_config WHERE key = 'retention_days' AND value IS NOT NULL ORDER BY workspace_id")
    .all<{ workspace_id: string; value: string }>();
  return results.flatMap((r) => {
    const days = parseRetention(JSON.parse(r.value));
    return days ? [{ workspaceId: r.workspace_id, days }] : [];
  });
}

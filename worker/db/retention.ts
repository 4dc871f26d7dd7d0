/**
 * SQL for retention: finding which workspaces and types have events past
 * their cutoff, and deleting them one bounded chunk at a time. Each chunk is
 * folded into the metric rollups and deleted in the same transaction, so
 * metric counters keep counting it.
 */
import type { EventType } from "../../shared/event.ts";
import { foldBeforeDelete } from "./metrics.ts";

/** One workspace's events of one type below a cutoff (epoch ms). */
export interface RetentionTask {
  workspaceId: string;
  type: EventType;
  cutoff: number;
}

// tasks per statement: keeps each bound JSON parameter small
const CHECK_CHUNK = 500;

// one index seek (events_by_type_ts) per task, in one statement for many tasks
const EXPIRED_SQL = `SELECT t.key AS i FROM json_each(?1) AS t
  WHERE EXISTS (SELECT 1 FROM events WHERE workspace_id = t.value ->> 0 AND type = t.value ->> 1 AND ts < t.value ->> 2)`;

/** The tasks that have at least one event to delete, in the order given. */
export async function tasksWithExpiredEvents(db: D1Database, tasks: RetentionTask[]): Promise<RetentionTask[]> {
  if (tasks.length === 0) return [];
  const statements: D1PreparedStatement[] = [];
  for (let at = 0; at < tasks.length; at += CHECK_CHUNK) {
    const json = JSON.stringify(tasks.slice(at, at + CHECK_CHUNK).map((t) => [t.workspaceId, t.type, t.cutoff]));
    statements.push(db.prepare(EXPIRED_SQL).bind(json));
  }
  const results = await db.batch<{ i: number }>(statements);
  // json_each's key is the index within the statement's own slice
  const found = new Set(results.flatMap((r, chunk) => r.results.map((row) => chunk * CHECK_CHUNK + row.i)));
  return tasks.filter((_, i) => found.has(i));
}

// ?1 workspace, ?2 type, ?3 cutoff, ?4 chunk size; index order (events_by_type_ts),
// so both statements of a chunk pick the very same rows
const CHUNK_SQL = "SELECT seq FROM events WHERE workspace_id = ?1 AND type = ?2 AND ts < ?3 ORDER BY ts, seq LIMIT ?4";

/**
 * Deletes up to `limit` of the workspace's events of `type` with `ts` below
 * `cutoff` (events at the cutoff are kept) and returns how many it deleted.
 */
export async function deleteExpiredChunk(db: D1Database, workspaceId: string, type: EventType, cutoff: number, limit: number): Promise<number> {
  const [, deleted] = await db.batch([
    foldBeforeDelete(db, CHUNK_SQL).bind(workspaceId, type, cutoff, limit),
    db.prepare(`DELETE FROM events WHERE seq IN (${CHUNK_SQL})`).bind(workspaceId, type, cutoff, limit),
  ]);
  return deleted!.meta.changes;
}

/**
 * SQL for the event log. A batch is inserted through `json_each` over one bound
 * JSON parameter per statement, which keeps far below D1's 100 bound
 * parameters per query whatever the batch size; all statements of a batch run
 * in one D1 batch, which is a single transaction.
 */
import type { EventType, Props, StoredEvent } from "../../shared/event.ts";
import type { NormalizedEvent } from "../../shared/ingest.ts";

/** JSON text per statement; keeps each statement well inside D1's size limits. */
const CHUNK_CHARS = 90_000;

// ON CONFLICT needs the WHERE to be unambiguous after INSERT ... SELECT (SQLite grammar)
const INSERT_SQL = `INSERT INTO events (workspace_id, id, ts, received_at, type, name, props)
  SELECT ?1, e.value ->> 0, e.value ->> 1, ?2, e.value ->> 2, e.value ->> 3, e.value ->> 4
  FROM json_each(?3) AS e WHERE true
  ON CONFLICT (workspace_id, id) DO NOTHING`;

/**
 * Stores events not stored before (same workspace and id) in `seq` order and
 * returns how many were new. Atomic: either the whole batch commits or none.
 */
export async function insertEvents(db: D1Database, workspaceId: string, receivedAt: number, events: NormalizedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const statements: D1PreparedStatement[] = [];
  let rows: string[] = [];
  let chars = 0;
  const flush = () => {
    statements.push(db.prepare(INSERT_SQL).bind(workspaceId, receivedAt, `[${rows.join(",")}]`));
    rows = [];
    chars = 0;
  };
  for (const e of events) {
    const row = JSON.stringify([e.id, e.ts, e.type, e.name, JSON.stringify(e.props)]);
    if (chars + row.length > CHUNK_CHARS && rows.length > 0) flush();
    rows.push(row);
    chars += row.length + 1;
  }
  flush();
  const results = await db.batch(statements);
  return results.reduce((n, r) => n + r.meta.changes, 0);
}

interface EventRow {
  seq: number;
  id: string;
  ts: number;
  received_at: number;
  type: EventType;
  name: string;
  props: string;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return { ...row, props: JSON.parse(row.props) as Props };
}

/** Up to `limit` events after cursor `after`, in `seq` order. */
export async function eventsAfter(db: D1Database, workspaceId: string, after: number, limit: number): Promise<StoredEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT seq, id, ts, received_at, type, name, props FROM events
        WHERE workspace_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3`,
    )
    .bind(workspaceId, after, limit)
    .all<EventRow>();
  return results.map(toStoredEvent);
}

/**
 * SQL for the event log. A batch is inserted through `json_each` over one bound
 * JSON parameter per statement, which keeps far below D1's 100 bound
 * parameters per query whatever the batch size; all statements of a batch run
 * in one D1 batch, which is a single transaction. That transaction also reads
 * the workspace's previous highest seq, so live messages can say exactly what
 * they follow on from.
 */
import type { StoredEvent } from "../../shared/event.ts";
import type { NormalizedEvent } from "../../shared/ingest.ts";
import { toStoredEvent, type EventRow } from "./rows.ts";

/** JSON text per statement; keeps each statement well inside D1's size limits. */
const CHUNK_CHARS = 90_000;

const COLUMNS = "seq, id, ts, received_at, type, name, props";

// ON CONFLICT needs the WHERE to be unambiguous after INSERT ... SELECT (SQLite grammar).
// RETURNING reports only the rows this statement stored, not the duplicates it skipped;
// seq and id suffice, as the batch in hand has the rest: returning whole rows made D1
// send every batch back out again, and cost the ingest path a sixth of its CPU
const INSERT_SQL = `INSERT INTO events (workspace_id, id, ts, received_at, type, name, props)
  SELECT ?1, e.value ->> 0, e.value ->> 1, ?2, e.value ->> 2, e.value ->> 3, e.value ->> 4
  FROM json_each(?3) AS e WHERE true
  ON CONFLICT (workspace_id, id) DO NOTHING
  RETURNING seq, id`;

/** Half of a UTF-16 surrogate pair without the other half; JSON can carry one, UTF-8 text cannot. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// an index seek on events_by_seq
const LAST_SEQ_SQL = "SELECT COALESCE(MAX(seq), 0) AS seq FROM events WHERE workspace_id = ?1";

/** What one batch stored. */
export interface InsertedEvents {
  /** The workspace's highest seq before the batch, read in the batch's own transaction; 0 when it had none. */
  prevSeq: number;
  /** The events the batch stored, in `seq` order; duplicates are not among them. */
  events: StoredEvent[];
}

/**
 * Stores events not stored before (same workspace and id) in `seq` order and
 * returns them, with the seq they follow. Atomic: either the whole batch
 * commits or none.
 */
export async function insertEvents(db: D1Database, workspaceId: string, receivedAt: number, events: NormalizedEvent[]): Promise<InsertedEvents> {
  if (events.length === 0) return { prevSeq: 0, events: [] };
  const statements: D1PreparedStatement[] = [db.prepare(LAST_SEQ_SQL).bind(workspaceId)];
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
  const [last, ...inserts] = (await db.batch(statements)) as [D1Result<{ seq: number }>, ...D1Result<{ seq: number; id: string }>[]];
  const returned = inserts.flatMap((r) => r.results);
  // of an id repeated within the batch, the first is the one stored
  const byId = new Map<string, NormalizedEvent>();
  for (const e of events) if (!byId.has(e.id)) byId.set(e.id, e);
  let stored: StoredEvent[] = [];
  for (const { seq, id } of returned) {
    const e = byId.get(id);
    if (!e || LONE_SURROGATE.test(e.name)) {
      // SQLite stores text with a lone surrogate other than it came: serve what was stored
      stored = await eventsBySeq(db, workspaceId, returned.map((r) => r.seq));
      break;
    }
    stored.push({ seq, id, ts: e.ts, received_at: receivedAt, type: e.type, name: e.name, props: e.props });
  }
  // SQLite leaves the order of RETURNING rows unspecified
  stored.sort((a, b) => a.seq - b.seq);
  return { prevSeq: last.results[0]!.seq, events: stored };
}

async function eventsBySeq(db: D1Database, workspaceId: string, seqs: number[]): Promise<StoredEvent[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM events WHERE workspace_id = ?1 AND seq IN (SELECT value FROM json_each(?2))`)
    .bind(workspaceId, JSON.stringify(seqs))
    .all<EventRow>();
  return results.map(toStoredEvent);
}

/** The workspace's highest seq; 0 when it has no events. */
export async function lastSeq(db: D1Database, workspaceId: string): Promise<number> {
  const row = await db.prepare(LAST_SEQ_SQL).bind(workspaceId).first<{ seq: number }>();
  return row!.seq;
}


/** Up to `limit` events after cursor `after`, in `seq` order. */
export async function eventsAfter(db: D1Database, workspaceId: string, after: number, limit: number): Promise<StoredEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM events
        WHERE workspace_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3`,
    )
    .bind(workspaceId, after, limit)
    .all<EventRow>();
  return results.map(toStoredEvent);
}

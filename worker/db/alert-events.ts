/**
 * SQL for the events an alert evaluation looks at: per event type, those with
 * `ts` in [from, to), newest first and capped, read by the events_by_type_ts
 * index so that a workspace's older log is never touched.
 */
import type { EventType, StoredEvent } from "../../shared/event.ts";
import { toStoredEvent, type EventRow } from "./rows.ts";

/** What to read of one event type. */
export interface TypeWindow {
  type: EventType;
  from: number;
  to: number;
}

/** The events read, and whether a cap left some out. */
export interface WindowEvents {
  events: StoredEvent[];
  truncated: boolean;
}

// ORDER BY ts DESC walks the index backwards from `to` and stops at the limit
const WINDOW_SQL = `SELECT seq, id, ts, received_at, type, name, props FROM events
  WHERE workspace_id = ?1 AND type = ?2 AND ts >= ?3 AND ts < ?4
  ORDER BY ts DESC LIMIT ?5`;

/**
 * The events of each window, at most `maxRows` in all (shared evenly between
 * the types), keeping the newest of a type when it has more. One round trip.
 */
export async function eventsInWindows(db: D1Database, workspaceId: string, windows: TypeWindow[], maxRows: number): Promise<WindowEvents> {
  if (windows.length === 0) return { events: [], truncated: false };
  const perType = Math.max(1, Math.floor(maxRows / windows.length));
  // one row more than the cap says whether the cap cut anything
  const statements = windows.map((w) => db.prepare(WINDOW_SQL).bind(workspaceId, w.type, w.from, w.to, perType + 1));
  const results = await db.batch<EventRow>(statements);
  let truncated = false;
  const events: StoredEvent[] = [];
  for (const { results: rows } of results) {
    if (rows.length > perType) truncated = true;
    for (const row of rows.slice(0, perType)) events.push(toStoredEvent(row));
  }
  return { events, truncated };
}

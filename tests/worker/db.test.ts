// The event log's SQL, called directly: chunked inserts in one atomic D1 batch,
// dedupe, and reads after a cursor.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../shared/ingest.ts";
import { eventsAfter, insertEvents } from "../../worker/db/events.ts";
import { countEvents, storedRows } from "./helpers.ts";

/** JSON text per statement that worker/db/events.ts promises not to exceed. */
const CHUNK_CHARS = 90_000;

let n = 0;
const wsId = () => `ws_db_${++n}_${Math.random().toString(36).slice(2)}`;

function events(count: number, nameChars = 400, prefix = "e"): NormalizedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    ts: 1_763_632_800_000 + i,
    type: "request",
    name: `${i}:`.padEnd(nameChars, "n"),
    props: { status: 200, ok: true, path: `/p/${i}`, "odd key": "a\"b\\c" },
  }));
}

/** Wraps the database to see the statements a call sends, and the JSON bound to each. */
function recording(db: D1Database) {
  const batches: number[] = [];
  const bound: string[] = [];
  const wrapped = {
    prepare(sql: string) {
      const stmt = db.prepare(sql);
      return new Proxy(stmt, {
        get(target, key) {
          if (key === "bind") {
            return (...args: unknown[]) => {
              // the inserts' JSON; the batch's first statement, reading the last seq, binds only the workspace
              if (args.length === 3) bound.push(String(args[2]));
              return target.bind(...args);
            };
          }
          const value = Reflect.get(target, key) as unknown;
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
    batch(statements: D1PreparedStatement[]) {
      batches.push(statements.length);
      return db.batch(statements);
    },
  } as unknown as D1Database;
  return { db: wrapped, batches, bound };
}

describe("insertEvents", () => {
  it("stores every column and returns the new events", async () => {
    const ws = wsId();
    const batch = events(3);
    expect((await insertEvents(env.DB, ws, 1234, batch)).events).toHaveLength(3);
    const rows = await storedRows(ws);
    expect(rows).toEqual(
      batch.map((e) => ({ seq: expect.any(Number), workspace_id: ws, id: e.id, ts: e.ts, received_at: 1234, type: e.type, name: e.name, props: JSON.stringify(e.props) })),
    );
  });

  it("sends nothing for an empty batch", async () => {
    const rec = recording(env.DB);
    expect((await insertEvents(rec.db, wsId(), 1, [])).events).toHaveLength(0);
    expect(rec.batches).toEqual([]);
  });

  it("sends a small batch as one insert statement after the last-seq read", async () => {
    const rec = recording(env.DB);
    expect((await insertEvents(rec.db, wsId(), 1, events(10))).events).toHaveLength(10);
    expect(rec.batches).toEqual([2]);
  });

  it("splits a large batch into several statements of at most 90,000 characters, sent in one D1 batch", async () => {
    const ws = wsId();
    const batch = events(1000);
    const rec = recording(env.DB);
    expect((await insertEvents(rec.db, ws, 1, batch)).events).toHaveLength(1000);

    expect(rec.batches).toHaveLength(1);
    expect(rec.batches[0]).toBe(rec.bound.length + 1);
    expect(rec.bound.length).toBeGreaterThanOrEqual(Math.ceil((1000 * 450) / CHUNK_CHARS));
    for (const json of rec.bound) expect(json.length).toBeLessThanOrEqual(CHUNK_CHARS);
    // chunks are filled: the first row of each chunk would not have fitted in the one before
    for (let i = 1; i < rec.bound.length; i++) {
      const firstRow = JSON.stringify((JSON.parse(rec.bound[i]!) as unknown[])[0]);
      expect(rec.bound[i - 1]!.length + firstRow.length).toBeGreaterThan(CHUNK_CHARS);
    }
    const chunked = rec.bound.flatMap((json) => (JSON.parse(json) as [string][]).map((row) => row[0]));
    expect(chunked).toEqual(batch.map((e) => e.id));
    // seq follows batch order across statements
    expect((await storedRows(ws)).map((r) => r["id"])).toEqual(batch.map((e) => e.id));
  });

  it("keeps one event whose JSON alone passes the chunk size in a statement of its own", async () => {
    const rec = recording(env.DB);
    const big: NormalizedEvent = { id: "big", ts: 1, type: "test", name: "x".repeat(95_000), props: {} };
    expect((await insertEvents(rec.db, wsId(), 1, [...events(2), big, ...events(2, 400, "f")])).events).toHaveLength(5);
    expect(rec.bound.map((json) => (JSON.parse(json) as unknown[]).length)).toEqual([2, 1, 2]);
  });

  it("counts an id repeated across statements of one batch once", async () => {
    const ws = wsId();
    const batch = events(600);
    const repeated = [...batch, ...batch.slice(0, 100)];
    const rec = recording(env.DB);
    expect((await insertEvents(rec.db, ws, 1, repeated)).events).toHaveLength(600);
    expect(rec.bound.length).toBeGreaterThan(1);
    expect((await insertEvents(env.DB, ws, 2, batch)).events).toHaveLength(0);
    expect(await countEvents(ws)).toBe(600);
  });

  it("stores nothing when the last statement of a several-statement batch fails", async () => {
    const ws = wsId();
    await insertEvents(env.DB, ws, 1, events(5, 10, "old"));
    const before = await storedRows(ws);

    const batch = events(1000);
    // name is NOT NULL: the last row, in the last statement, breaks the batch
    batch[999] = { ...batch[999]!, name: null as unknown as string };
    const rec = recording(env.DB);
    await expect(insertEvents(rec.db, ws, 2, batch)).rejects.toThrow(/NOT NULL/);
    expect(rec.bound.length).toBeGreaterThan(2);
    expect((JSON.parse(rec.bound.at(-1)!) as unknown[][]).at(-1)![3]).toBeNull();
    expect(await storedRows(ws)).toEqual(before);

    // and the same batch, repaired, then stores all of it
    batch[999] = { ...batch[999]!, name: "fixed" };
    expect((await insertEvents(env.DB, ws, 3, batch)).events).toHaveLength(1000);
    expect(await countEvents(ws)).toBe(1005);
  });

  it("stores nothing when the first statement fails either", async () => {
    const ws = wsId();
    const batch = events(1000);
    batch[0] = { ...batch[0]!, type: null as unknown as "request" };
    await expect(insertEvents(env.DB, ws, 1, batch)).rejects.toThrow(/NOT NULL/);
    expect(await countEvents(ws)).toBe(0);
  });
});

describe("eventsAfter", () => {
  it("reads one workspace's events after a cursor, in seq order, up to a limit, with props parsed", async () => {
    const [a, b] = [wsId(), wsId()];
    await insertEvents(env.DB, a, 10, events(3, 10, "a1"));
    await insertEvents(env.DB, b, 20, events(3, 10, "b"));
    await insertEvents(env.DB, a, 30, events(3, 10, "a2"));

    const all = await eventsAfter(env.DB, a, 0, 100);
    expect(all.map((e) => e.id)).toEqual(["a1-0", "a1-1", "a1-2", "a2-0", "a2-1", "a2-2"]);
    expect(all[0]).toEqual({ seq: all[0]!.seq, id: "a1-0", ts: 1_763_632_800_000, received_at: 10, type: "request", name: "0:nnnnnnnn", props: events(1)[0]!.props });
    expect(all[3]!.received_at).toBe(30);

    expect((await eventsAfter(env.DB, a, all[1]!.seq, 2)).map((e) => e.id)).toEqual(["a1-2", "a2-0"]);
    expect(await eventsAfter(env.DB, a, all[5]!.seq, 10)).toEqual([]);
    expect((await eventsAfter(env.DB, b, 0, 100)).map((e) => e.id)).toEqual(["b-0", "b-1", "b-2"]);
  });
});

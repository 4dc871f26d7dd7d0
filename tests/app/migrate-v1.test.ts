// The upgrade from schema version 1 (full-width 4,096-event segments, ids apart) to packed, sealed segments.
import Dexie from "dexie";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { decodeRow, encodeBlock, newDictionary, type Dictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";
import type { KnownWorkspace } from "../../app/src/data/api.ts";
import type { SyncStateRow } from "../../app/src/store/db.ts";
import { SEALED, SMALL } from "../../app/src/store/segment-rows.ts";
import { SEALED_SEGMENTS, SEGMENT_SIZE, SegmentStore, type LoadedBlocks } from "../../app/src/store/segment-store.ts";
import { expectSameEvents, makeEvents, openTestDb } from "./helpers.ts";

const SEALED_SIZE = SEALED_SEGMENTS * SEGMENT_SIZE;

/** The schema of version 1, exactly as db.ts declares it. */
const V1_SCHEMA = {
  workspaces: "id, lastOpenedAt",
  segments: "[workspaceId+firstSeq]",
  segmentIds: "[workspaceId+firstSeq]",
  dictionary: "[workspaceId+start]",
  syncState: "workspaceId",
};

let dbCount = 0;

/** What version 1 stored of a workspace: 4,096-event segments with full-width columns, their ids, dictionary chunks. */
function v1Rows(workspaceId: string, events: StoredEvent[], chunkSizes: number[]) {
  const dict: Dictionary = newDictionary();
  const segments: object[] = [];
  const ids: object[] = [];
  for (let i = 0; i < events.length; i += SEGMENT_SIZE) {
    const block = encodeBlock(events.slice(i, i + SEGMENT_SIZE), dict);
    const n = block.length;
    const bounds = { workspaceId, firstSeq: block.seq[0]!, lastSeq: block.seq[n - 1]!, count: n, minTs: Math.min(...block.ts), maxTs: Math.max(...block.ts) };
    segments.push({ ...bounds, seq: block.seq, ts: block.ts, receivedAt: block.receivedAt, type: block.type, name: block.name, props: block.props });
    ids.push({ workspaceId, firstSeq: bounds.firstSeq, ids: block.ids });
  }
  // the dictionary as appended page by page: a few chunks, the last taking the rest
  const dictionary: { workspaceId: string; start: number; values: string[] }[] = [];
  let start = 0;
  for (const size of [...chunkSizes, Infinity]) {
    if (start >= dict.values.length) break;
    const values = dict.values.slice(start, start + size);
    dictionary.push({ workspaceId, start, values });
    start += values.length;
  }
  return { segments, ids, dictionary };
}

/** A version-1 database holding these workspaces' events; closed once written. */
async function createV1(workspaces: Record<string, StoredEvent[]>) {
  const factory = new IDBFactory();
  const name = `tally-v1-${++dbCount}`;
  const old = new Dexie(name, { indexedDB: factory, IDBKeyRange });
  old.version(1).stores(V1_SCHEMA);
  const known: KnownWorkspace[] = [];
  const states: SyncStateRow[] = [];
  const dictionaries: Record<string, unknown[]> = {};
  for (const [id, events] of Object.entries(workspaces)) {
    const rows = v1Rows(id, events, [100, 7, 1000]);
    await old.table("segments").bulkAdd(rows.segments);
    await old.table("segmentIds").bulkAdd(rows.ids);
    await old.table("dictionary").bulkAdd(rows.dictionary);
    dictionaries[id] = rows.dictionary;
    known.push({ id, name: `${id} name`, demo: false, apiBase: "http://localhost:8787", key: `tly_r_${id}`, addedAt: 1000, lastOpenedAt: 2000 });
    states.push({ workspaceId: id, after: events.at(-1)!.seq + 3, syncedAt: 5000, events: events.length });
  }
  await old.table("workspaces").bulkAdd(known);
  await old.table("syncState").bulkAdd(states);
  old.close();
  return { factory, name, known, states, dictionaries };
}

function decodeAll(loaded: LoadedBlocks): StoredEvent[] {
  const dict = newDictionary(loaded.dictionary);
  return loaded.segments.flatMap((s) => Array.from({ length: s.count }, (_, i) => decodeRow(s.block, i, dict)));
}

function withCodeAsText(e: StoredEvent): StoredEvent {
  return e.props["code"] === undefined ? e : { ...e, props: { ...e.props, code: String(e.props["code"]) } };
}

// ~200,000 events through fake-indexeddb: a few seconds, so room for a loaded machine
describe("upgrade from version 1", { timeout: 30_000 }, () => {
  it("rewrites every workspace's segments packed and sealed as the store keeps them, losing no event", async () => {
    // 40 segments: `code` is a number (whose text is in no dictionary) except in a few events of segments 3 and 35
    const textIn = (seq: number) => {
      const segment = Math.floor((seq - 1) / SEGMENT_SIZE);
      return (segment === 3 || segment === 35) && seq % 97 === 0;
    };
    const eventsA = makeEvents(39 * SEGMENT_SIZE + 1000).map((e) => ({ ...e, props: { ...e.props, code: textIn(e.seq) ? `E_${e.seq}` : 100_000 + e.seq } }));
    const eventsB = makeEvents(SEGMENT_SIZE + 10).map((e) => ({ ...e, name: `b ${e.name}` }));
    // exactly 16 full segments: as many small ones as the store keeps before sealing
    const eventsC = makeEvents(SEALED_SIZE);
    const v1 = await createV1({ ws_a: eventsA, ws_b: eventsB, ws_c: eventsC });

    const { db } = openTestDb(v1.factory, v1.name);
    const store = new SegmentStore(db);
    const loadedA = await store.loadBlocks("ws_a", { withDetails: true });

    // the old tables are gone, the new ones hold every segment once
    expect(db.verno).toBe(3);
    expect([...db.backendDB().objectStoreNames].sort()).toEqual(["dictionary", "packedSegments", "segmentDetails", "syncState", "workspaces"]);
    expect(db.tables.map((t) => t.name).sort()).toEqual(["dictionary", "packedSegments", "segmentDetails", "syncState", "workspaces"]);

    // ws_a: segments 0-15 and 16-31 sealed, the 8 after stay small
    const smallA = [...Array.from({ length: 7 }, () => SEGMENT_SIZE), 1000];
    expect(loadedA.segments.map((s) => [s.firstSeq, s.count, s.sealed])).toEqual([
      [1, SEALED_SIZE, true],
      [SEALED_SIZE + 1, SEALED_SIZE, true],
      ...smallA.map((count, i) => [2 * SEALED_SIZE + i * SEGMENT_SIZE + 1, count, false]),
    ]);
    for (const s of loadedA.segments) {
      expect([s.lastSeq, s.minTs, s.maxTs]).toEqual([s.firstSeq + s.count - 1, eventsA[s.firstSeq - 1]!.ts, eventsA[s.lastSeq - 1]!.ts]);
    }
    const rowsA = await db.packedSegments.where("[workspaceId+firstSeq]").between(["ws_a", -Infinity], ["ws_a", Infinity]).toArray();
    expect(rowsA.map((r) => r.tier)).toEqual([SEALED, SEALED, ...smallA.map(() => SMALL)]);
    // packed: narrow arrays, not the full-width ones of version 1
    expect(rowsA[0]!.name.BYTES_PER_ELEMENT).toBe(1);
    expect(rowsA[0]!.ts.data.BYTES_PER_ELEMENT).toBe(4);
    expect(await db.segmentDetails.count()).toBe(10 + 2 + 16);
    expect(await db.packedSegments.count()).toBe(10 + 2 + 16);

    // the first group joined a numeric `code` with a text one: its numbers are stored as their text, in the dictionary,
    // and read back as numbers; the second group was numeric throughout and stays so. Segments 3 and 35 were text
    // columns already in version 1, which kept no kinds: their numbers read as text
    expect(loadedA.segments.map((s) => s.block.props["code"]!.kind)).toEqual(["str", "num", "num", "num", "num", "str", "num", "num", "num", "num"]);
    const inSegment = (e: StoredEvent) => Math.floor((e.seq - 1) / SEGMENT_SIZE);
    const textInV1 = (e: StoredEvent) => inSegment(e) === 3 || inSegment(e) === 35;
    const expectedA = eventsA.map((e) => (textInV1(e) ? withCodeAsText(e) : e));
    expectSameEvents(decodeAll(loadedA), expectedA);
    expect(new Set(loadedA.dictionary).size).toBe(loadedA.dictionary.length);
    expect(loadedA.dictionary).toContain("100001");
    expect(loadedA.dictionary).not.toContain(String(100_000 + SEALED_SIZE + 1));
    // the version-1 chunks stay as they were; the new texts follow in one chunk of their own
    const chunksA = await db.dictionary.where("[workspaceId+start]").between(["ws_a", -Infinity], ["ws_a", Infinity]).toArray();
    expect(chunksA.slice(0, -1)).toEqual(v1.dictionaries["ws_a"]);
    expect(chunksA.at(-1)!.values).toContain("100001");

    // ws_b: two small segments, exactly the events stored
    const loadedB = await store.loadBlocks("ws_b", { withDetails: true });
    expect(loadedB.segments.map((s) => [s.firstSeq, s.count, s.sealed])).toEqual([
      [1, SEGMENT_SIZE, false],
      [SEGMENT_SIZE + 1, 10, false],
    ]);
    expectSameEvents(decodeAll(loadedB), eventsB);
    expect(await db.dictionary.where("[workspaceId+start]").between(["ws_b", -Infinity], ["ws_b", Infinity]).toArray()).toEqual(v1.dictionaries["ws_b"]);

    // ws_c: 16 small segments, none sealed (the store seals only a 17th)
    const loadedC = await store.loadBlocks("ws_c", { withDetails: true });
    expect(loadedC.segments.map((s) => [s.count, s.sealed])).toEqual(Array.from({ length: 16 }, () => [SEGMENT_SIZE, false]));
    expectSameEvents(decodeAll(loadedC), eventsC);

    // sync state and known workspaces untouched: nothing is pulled again
    expect(await db.syncState.toArray()).toEqual(v1.states);
    expect(await db.workspaces.toArray()).toEqual(v1.known);
    expect(loadedA.state).toEqual({ after: v1.states[0]!.after, syncedAt: 5000, events: eventsA.length });

    // appending continues: ws_a fills its last small segment and grows to 17 small ones, sealing segments 32-47
    const moreA = makeEvents(3096 + 8 * SEGMENT_SIZE + 1, v1.states[0]!.after + 1).map((e) => ({ ...e, props: { ...e.props, code: 200_000 + e.seq } }));
    for (let i = 0; i < moreA.length; i += 5000) {
      const page = moreA.slice(i, i + 5000);
      await store.appendPage("ws_a", page, page.at(-1)!.seq);
    }
    const afterA = await store.loadBlocks("ws_a", { withDetails: true });
    expect(afterA.segments.map((s) => [s.count, s.sealed])).toEqual([
      [SEALED_SIZE, true],
      [SEALED_SIZE, true],
      [SEALED_SIZE, true],
      [1, false],
    ]);
    expect(afterA.state).toMatchObject({ after: moreA.at(-1)!.seq, events: eventsA.length + moreA.length });
    // the third sealed group holds segment 35's text, so its numbers are stored as text too, and still read as numbers
    const allA = [...eventsA, ...moreA];
    const expectedAfter = allA.map((e) => (textInV1(e) ? withCodeAsText(e) : e));
    expectSameEvents(decodeAll(afterA), expectedAfter);
    expect(new Set(afterA.dictionary).size).toBe(afterA.dictionary.length);

    // ws_b tops up its last segment
    const moreB = makeEvents(5, v1.states[1]!.after + 1);
    await store.appendPage("ws_b", moreB, moreB.at(-1)!.seq);
    const afterB = await store.loadBlocks("ws_b", { withDetails: true });
    expect(afterB.segments.map((s) => s.count)).toEqual([SEGMENT_SIZE, 15]);
    expectSameEvents(decodeAll(afterB), [...eventsB, ...moreB]);

    // one more event for ws_c makes a 17th small segment: the store seals the migrated 16
    const moreC = makeEvents(1, v1.states[2]!.after + 1);
    await store.appendPage("ws_c", moreC, moreC[0]!.seq);
    const afterC = await store.loadBlocks("ws_c", { withDetails: true });
    expect(afterC.segments.map((s) => [s.count, s.sealed])).toEqual([
      [SEALED_SIZE, true],
      [1, false],
    ]);
    expectSameEvents(decodeAll(afterC), [...eventsC, ...moreC]);

    // and a later open of the same database finds the same (no second upgrade)
    db.close();
    const again = new SegmentStore(openTestDb(v1.factory, v1.name).db);
    expectSameEvents(decodeAll(await again.loadBlocks("ws_a", { withDetails: true })), expectedAfter);
  });

  it("upgrades a version-1 database with no events", async () => {
    const factory = new IDBFactory();
    const name = `tally-v1-${++dbCount}`;
    const old = new Dexie(name, { indexedDB: factory, IDBKeyRange });
    old.version(1).stores(V1_SCHEMA);
    await old.table("syncState").add({ workspaceId: "ws_a", after: 0, syncedAt: null, events: 0 });
    old.close();

    const { db } = openTestDb(factory, name);
    const store = new SegmentStore(db);
    expect(await store.loadBlocks("ws_a")).toMatchObject({ segments: [], dictionary: [], state: { after: 0, events: 0 } });
    expect([...db.backendDB().objectStoreNames]).not.toContain("segments");
    await store.appendPage("ws_a", makeEvents(10), 10);
    expectSameEvents(decodeAll(await store.loadBlocks("ws_a", { withDetails: true })), makeEvents(10));
  });
});

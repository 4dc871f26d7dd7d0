// The segment store on fake-indexeddb: atomic pages, top-up, dedupe, reopen, quota.
import { describe, expect, it } from "vitest";
import Dexie from "dexie";
import { decodeRow, newDictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { SEGMENT_SIZE, SegmentStore, type LoadedBlocks } from "../../app/src/store/segment-store.ts";
import { StoreCorruptError, StoreError, StoreFullError, StoreUnavailableError, isQuotaError, toStoreError } from "../../app/src/store/errors.ts";
import { makeEvents, openTestDb } from "./helpers.ts";

const WS = "ws_a";

function quotaError(): DOMException {
  return new DOMException("The quota has been exceeded.", "QuotaExceededError");
}

/** Every stored event, decoded, in stored order. */
function decodeAll(loaded: LoadedBlocks): StoredEvent[] {
  const dict = newDictionary(loaded.dictionary);
  return loaded.segments.flatMap((s) => Array.from({ length: s.count }, (_, i) => decodeRow(s.block, i, dict)));
}

async function counts(store: SegmentStore) {
  const { db } = store;
  return { segments: await db.segments.count(), ids: await db.segmentIds.count(), dictionary: await db.dictionary.count(), state: await db.syncState.get(WS) };
}

describe("appendPage", () => {
  it("writes the segment, its ids, the dictionary and the cursor together", async () => {
    const store = new SegmentStore(openTestDb().db, () => 1234);
    const events = makeEvents(100);
    const result = await store.appendPage(WS, events, 100);
    expect(result).toEqual({ after: 100, syncedAt: 1234, events: 100, stored: 100, skipped: 0 });

    const { db } = store;
    const [segment] = await db.segments.toArray();
    expect(segment).toMatchObject({ workspaceId: WS, firstSeq: 1, lastSeq: 100, count: 100, minTs: events[0]!.ts, maxTs: events[99]!.ts });
    expect(segment!.seq).toBeInstanceOf(Float64Array);
    expect(segment).not.toHaveProperty("ids");
    const ids = await db.segmentIds.get([WS, 1]);
    expect(ids?.ids).toEqual(events.map((e) => e.id));
    const chunks = await db.dictionary.toArray();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks[0]!.values).toContain("GET /orders");
    expect(await db.syncState.get(WS)).toEqual({ workspaceId: WS, after: 100, syncedAt: 1234, events: 100 });
    expect(decodeAll(await store.loadBlocks(WS, { withIds: true }))).toEqual(events);
  });

  it("stores nothing of a page whose transaction fails, and the next page still encodes right", async () => {
    const store = new SegmentStore(openTestDb().db);
    const { db } = store;
    const first = makeEvents(10);
    await store.appendPage(WS, first, 10);
    const before = await counts(store);

    // fail the very last write of the transaction, after segments and dictionary were written
    const put = db.syncState.put.bind(db.syncState);
    db.syncState.put = () => Dexie.Promise.reject(new Error("disk on fire"));
    const second = makeEvents(5000, 11).map((e) => ({ ...e, name: `only-in-page-2 ${e.seq}` }));
    await expect(store.appendPage(WS, second, 5010)).rejects.toThrow(StoreError);
    db.syncState.put = put;

    expect(await counts(store)).toEqual(before);
    expect((await store.loadBlocks(WS)).segments.map((s) => s.count)).toEqual([10]);
    expect(await store.syncState(WS)).toMatchObject({ after: 10, events: 10 });

    // the failed page's dictionary entries were rolled back: the next page does not store them
    const third = makeEvents(5, 11);
    await store.appendPage(WS, third, 15);
    let loaded = await store.loadBlocks(WS, { withIds: true });
    expect(decodeAll(loaded)).toEqual([...first, ...third]);
    expect(loaded.dictionary.filter((v) => v.startsWith("only-in-page-2"))).toEqual([]);

    // and replaying the failed page later stores it with the right names
    await store.appendPage(WS, second.slice(5), 5010);
    loaded = await store.loadBlocks(WS, { withIds: true });
    expect(decodeAll(loaded)).toEqual([...first, ...third, ...second.slice(5)]);
    expect(new Set(loaded.dictionary).size).toBe(loaded.dictionary.length);
  });

  it("tops up the last segment instead of adding tiny ones", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(10), 10);
    await store.appendPage(WS, makeEvents(5, 11), 15);
    await store.appendPage(WS, makeEvents(1, 16), 16);
    let rows = await store.db.segments.toArray();
    expect(rows.map((r) => [r.firstSeq, r.lastSeq, r.count])).toEqual([[1, 16, 16]]);
    expect((await store.db.segmentIds.get([WS, 1]))?.ids).toHaveLength(16);

    // filling it up: the rest spills into a new segment
    await store.appendPage(WS, makeEvents(SEGMENT_SIZE, 17), 16 + SEGMENT_SIZE);
    rows = await store.db.segments.toArray();
    expect(rows.map((r) => [r.firstSeq, r.count])).toEqual([
      [1, SEGMENT_SIZE],
      [SEGMENT_SIZE + 1, 16],
    ]);
    expect(decodeAll(await store.loadBlocks(WS, { withIds: true }))).toEqual(makeEvents(16 + SEGMENT_SIZE));
  });

  it("turns a numeric column into text when a top-up brings text for the same prop", async () => {
    const store = new SegmentStore(openTestDb().db);
    const [a, b] = makeEvents(2);
    await store.appendPage(WS, [{ ...a!, props: { code: 404 } }], 1);
    await store.appendPage(WS, [{ ...b!, props: { code: "E_TIMEOUT" } }], 2);
    const loaded = await store.loadBlocks(WS, { withIds: true });
    expect(loaded.segments).toHaveLength(1);
    expect(loaded.segments[0]!.block.props["code"]!.kind).toBe("str");
    expect(decodeAll(loaded).map((e) => e.props["code"])).toEqual(["404", "E_TIMEOUT"]);
    expect(loaded.dictionary).toContain("404");
  });

  it("stores 12,000 events pulled in pages of 5,000 as 3 segments, each event once, in seq order", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(12_000);
    for (let i = 0; i < events.length; i += 5000) {
      const page = events.slice(i, i + 5000);
      await store.appendPage(WS, page, page.at(-1)!.seq);
    }
    const loaded = await store.loadBlocks(WS, { withIds: true });
    expect(loaded.segments.map((s) => s.count)).toEqual([4096, 4096, 3808]);
    expect(loaded.segments.every((s) => s.count <= SEGMENT_SIZE)).toBe(true);
    const seqs = loaded.segments.flatMap((s) => [...s.block.seq]);
    expect(seqs).toEqual(events.map((e) => e.seq));
    expect(decodeAll(loaded)).toEqual(events);
    expect(loaded.state).toMatchObject({ after: 12_000, events: 12_000 });
    // without ids by default: opening a workspace never reads them
    expect((await store.loadBlocks(WS)).segments.every((s) => s.block.ids.length === 0)).toBe(true);
  });

  it("drops events the cursor already covers: a page replayed after a crash stores nothing twice", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(6000);
    await store.appendPage(WS, events.slice(0, 5000), 5000);
    const replay = await store.appendPage(WS, events.slice(0, 5000), 5000);
    expect(replay).toMatchObject({ stored: 0, skipped: 5000, after: 5000, events: 5000 });
    // overlapping, unsorted, with a duplicate inside the page
    const overlap = [...events.slice(4000, 6000)].reverse();
    overlap.push(events[5500]!);
    const result = await store.appendPage(WS, overlap, 6000);
    expect(result).toMatchObject({ stored: 1000, after: 6000, events: 6000 });
    expect(decodeAll(await store.loadBlocks(WS, { withIds: true }))).toEqual(events);
  });

  it("keeps codes right when two tabs append to the same workspace in turn", async () => {
    const { db, factory, name } = openTestDb();
    const tabA = new SegmentStore(db);
    const tabB = new SegmentStore(openTestDb(factory, name).db);
    const rename = (events: StoredEvent[], tag: string) => events.map((e) => ({ ...e, name: `${tag} ${e.seq % 7}` }));
    const pages = [rename(makeEvents(100), "a"), rename(makeEvents(100, 101), "b"), rename(makeEvents(100, 201), "c"), rename(makeEvents(100, 301), "b")];
    await tabA.appendPage(WS, pages[0]!, 100);
    await tabB.appendPage(WS, pages[1]!, 200);
    await tabA.appendPage(WS, pages[2]!, 300);
    await tabA.appendPage(WS, pages[3]!, 400);
    for (const tab of [tabA, tabB]) expect(decodeAll(await tab.loadBlocks(WS, { withIds: true }))).toEqual(pages.flat());
    const { dictionary } = await tabB.loadBlocks(WS);
    expect(new Set(dictionary).size).toBe(dictionary.length);
  });

  it("never moves the cursor back", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(50), 50);
    await store.appendPage(WS, [], 20);
    expect(await store.syncState(WS)).toMatchObject({ after: 50, events: 50 });
  });

  it("turns a quota refusal into StoreFullError with nothing of the page stored", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(10), 10);
    const before = await counts(store);
    const bulkPut = store.db.segmentIds.bulkPut.bind(store.db.segmentIds);
    // Dexie reports a failed write as its own error wrapping the native one
    store.db.segmentIds.bulkPut = () => Dexie.Promise.reject(new Dexie.AbortError("Transaction aborted", quotaError()));
    await expect(store.appendPage(WS, makeEvents(100, 11), 110)).rejects.toBeInstanceOf(StoreFullError);
    store.db.segmentIds.bulkPut = bulkPut;
    expect(await counts(store)).toEqual(before);
  });
});

describe("loadBlocks", () => {
  it("loads the same blocks after the database is closed and reopened", async () => {
    const first = openTestDb();
    const store = new SegmentStore(first.db);
    const events = makeEvents(9000);
    await store.appendPage(WS, events.slice(0, 5000), 5000);
    await store.appendPage(WS, events.slice(5000), 9000);
    const before = await store.loadBlocks(WS);
    first.db.close();

    const again = new SegmentStore(openTestDb(first.factory, first.name).db);
    const after = await again.loadBlocks(WS);
    expect(after).toEqual(before);
    expect(after.segments[0]!.block.ts).toBeInstanceOf(Float64Array);
    // and appending on the reopened store continues the same dictionary
    await again.appendPage(WS, makeEvents(100, 9001), 9100);
    expect(decodeAll(await again.loadBlocks(WS, { withIds: true }))).toEqual(makeEvents(9100));
  });

  it("loads only segments from a firstSeq on and dictionary entries from a code on", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(5000), 5000);
    const all = await store.loadBlocks(WS);
    await store.appendPage(WS, makeEvents(5000, 5001), 10_000);
    const tail = await store.loadBlocks(WS, { sinceFirstSeq: all.segments.at(-1)!.firstSeq, dictionaryFrom: all.dictionary.length });
    expect(tail.segments.map((s) => [s.firstSeq, s.count])).toEqual([
      [4097, 4096],
      [8193, 1808],
    ]);
    const full = await store.loadBlocks(WS);
    expect([...all.dictionary, ...tail.dictionary]).toEqual(full.dictionary);
    expect(tail.dictionarySize).toBe(full.dictionary.length);
    // mid-chunk start works too
    expect((await store.loadBlocks(WS, { dictionaryFrom: 3 })).dictionary).toEqual(full.dictionary.slice(3));
  });

  it("reports a dictionary gap as StoreCorruptError", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(10), 10);
    await store.db.dictionary.put({ workspaceId: WS, start: 999, values: ["stray"] });
    await expect(store.loadBlocks(WS)).rejects.toBeInstanceOf(StoreCorruptError);
  });

  it("loads ids of the asked segments only", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(5000), 5000);
    const ids = await store.loadIds(WS, [4097]);
    expect([...ids.keys()]).toEqual([4097]);
    expect(ids.get(4097)).toEqual(makeEvents(904, 4097).map((e) => e.id));
    await expect(store.loadIds(WS, [7])).rejects.toBeInstanceOf(StoreCorruptError);
  });
});

describe("deleteWorkspace", () => {
  it("deletes one workspace's events, dictionary and cursor, and no other's", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(5000), 5000);
    await store.appendPage("ws_b", makeEvents(20), 20);
    await store.deleteWorkspace(WS);
    expect((await store.loadBlocks(WS)).segments).toEqual([]);
    expect(await store.syncState(WS)).toEqual({ after: 0, syncedAt: null, events: 0 });
    expect(await store.db.dictionary.where("[workspaceId+start]").between([WS, -Infinity], [WS, Infinity]).count()).toBe(0);
    expect(await store.db.segmentIds.count()).toBe(1);
    expect(decodeAll(await store.loadBlocks("ws_b", { withIds: true }))).toEqual(makeEvents(20));
    // syncing it again from scratch works with a fresh dictionary
    await store.appendPage(WS, makeEvents(30), 30);
    expect(decodeAll(await store.loadBlocks(WS, { withIds: true }))).toEqual(makeEvents(30));
  });
});

describe("store errors", () => {
  it.each([
    ["a native quota error", quotaError(), StoreFullError],
    ["a Dexie error wrapping one", new Dexie.QuotaExceededError("full"), StoreFullError],
    ["an abort caused by one", new Dexie.AbortError("aborted", quotaError()), StoreFullError],
    ["a closed database", new Dexie.DatabaseClosedError("closed"), StoreUnavailableError],
    ["no IndexedDB", new Dexie.MissingAPIError("missing"), StoreUnavailableError],
    ["anything else", new Error("odd"), StoreError],
  ])("maps %s", (_, err, type) => {
    const mapped = toStoreError(err, "testing");
    expect(mapped).toBeInstanceOf(type);
    expect(mapped.name).toBe(type.name);
    expect(mapped.cause).toBe(err);
  });

  it("recognises quota errors only", () => {
    expect(isQuotaError(new DOMException("x", "AbortError"))).toBe(false);
    expect(isQuotaError(new Dexie.AbortError("x", quotaError()))).toBe(true);
  });
});

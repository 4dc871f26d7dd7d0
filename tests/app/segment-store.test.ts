// The segment store on fake-indexeddb: atomic pages, top-up, dedupe, reopen, quota.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import Dexie from "dexie";
import { decodeRow, newDictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { SEALED_SEGMENTS, SEGMENT_SIZE, SegmentStore, type LoadedBlocks } from "../../app/src/store/segment-store.ts";
import { SEALED, SMALL } from "../../app/src/store/segment-rows.ts";
import { unpackNumbers } from "../../app/src/store/packing.ts";
import { StoreCorruptError, StoreError, StoreFullError, StoreUnavailableError, isQuotaError, toStoreError } from "../../app/src/store/errors.ts";
import { expectSameEvents, makeEvents, openTestDb } from "./helpers.ts";

const WS = "ws_a";

function quotaError(): DOMException {
  return new DOMException("The quota has been exceeded.", "QuotaExceededError");
}

/** Every stored event, decoded, in stored order. */
function decodeAll(loaded: LoadedBlocks): StoredEvent[] {
  const dict = newDictionary(loaded.dictionary);
  return loaded.segments.flatMap((s) => Array.from({ length: s.count }, (_, i) => decodeRow(s.block, i, dict)));
}

/** Loaded blocks with each column as a hash: compares 65k-event loads exactly, far faster than deep equality. */
function digest(loaded: LoadedBlocks) {
  const hash = (a: ArrayBufferView | string[]) => createHash("sha256").update(Array.isArray(a) ? a.join("\n") : new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest("hex");
  const segments = loaded.segments.map(({ block, ...bounds }) => ({
    ...bounds,
    columns: [block.length, hash(block.seq), hash(block.ts), hash(block.receivedAt), hash(block.type), hash(block.name), hash(block.ids)],
    props: Object.fromEntries(Object.entries(block.props).map(([key, col]) => [key, col.kind === "num" ? ["num", hash(col.values)] : ["str", hash(col.codes)]])),
  }));
  return { ...loaded, segments };
}

async function counts(store: SegmentStore) {
  const { db } = store;
  return { segments: await db.packedSegments.count(), details: await db.segmentDetails.count(), dictionary: await db.dictionary.count(), state: await db.syncState.get(WS) };
}

describe("appendPage", () => {
  it("writes the segment, its details, the dictionary and the cursor together", async () => {
    const store = new SegmentStore(openTestDb().db, () => 1234);
    const events = makeEvents(100);
    const result = await store.appendPage(WS, events, 100);
    expect(result).toEqual({ after: 100, syncedAt: 1234, events: 100, stored: 100, skipped: 0 });

    const { db } = store;
    const [segment] = await db.packedSegments.toArray();
    expect(segment).toMatchObject({ workspaceId: WS, firstSeq: 1, tier: SMALL, lastSeq: 100, count: 100, minTs: events[0]!.ts, maxTs: events[99]!.ts });
    // packed narrow (packing.test.ts has the exact widths): times in 32 bits, names and small numbers in a byte or two
    expect(segment!.ts.data.BYTES_PER_ELEMENT).toBe(4);
    expect(unpackNumbers(segment!.ts)).toEqual(Float64Array.from(events, (e) => e.ts));
    expect(segment!.name.BYTES_PER_ELEMENT).toBe(1);
    expect(segment!.type).toBeInstanceOf(Uint8Array);
    const status = segment!.props["status"]!;
    expect(status.kind === "num" && status.values.data.BYTES_PER_ELEMENT).toBe(2);
    // what only export reads is in the details row
    for (const key of ["ids", "seq", "receivedAt"]) expect(segment).not.toHaveProperty(key);
    const details = await db.segmentDetails.get([WS, 1]);
    expect(details?.ids).toEqual(events.map((e) => e.id));
    expect(details!.seq.data.BYTES_PER_ELEMENT).toBe(1);
    expect(unpackNumbers(details!.seq)).toEqual(Float64Array.from(events, (e) => e.seq));
    expect(unpackNumbers(details!.receivedAt)).toEqual(Float64Array.from(events, (e) => e.received_at));
    const chunks = await db.dictionary.toArray();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks[0]!.values).toContain("GET /orders");
    expect(await db.syncState.get(WS)).toEqual({ appendId: expect.any(String), workspaceId: WS, after: 100, syncedAt: 1234, events: 100 });
    expect(decodeAll(await store.loadBlocks(WS, { withDetails: true }))).toEqual(events);
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
    let loaded = await store.loadBlocks(WS, { withDetails: true });
    expect(decodeAll(loaded)).toEqual([...first, ...third]);
    expect(loaded.dictionary.filter((v) => v.startsWith("only-in-page-2"))).toEqual([]);

    // and replaying the failed page later stores it with the right names
    await store.appendPage(WS, second.slice(5), 5010);
    loaded = await store.loadBlocks(WS, { withDetails: true });
    expect(decodeAll(loaded)).toEqual([...first, ...third, ...second.slice(5)]);
    expect(new Set(loaded.dictionary).size).toBe(loaded.dictionary.length);
  });

  it("tops up the last segment instead of adding tiny ones", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(10), 10);
    await store.appendPage(WS, makeEvents(5, 11), 15);
    await store.appendPage(WS, makeEvents(1, 16), 16);
    let rows = await store.db.packedSegments.toArray();
    expect(rows.map((r) => [r.firstSeq, r.lastSeq, r.count, r.tier])).toEqual([[1, 16, 16, SMALL]]);
    const details = await store.db.segmentDetails.get([WS, 1]);
    expect(details?.ids).toHaveLength(16);
    expect(unpackNumbers(details!.seq)).toEqual(Float64Array.from(makeEvents(16), (e) => e.seq));

    // filling it up: the rest spills into a new segment
    await store.appendPage(WS, makeEvents(SEGMENT_SIZE, 17), 16 + SEGMENT_SIZE);
    rows = await store.db.packedSegments.toArray();
    expect(rows.map((r) => [r.firstSeq, r.count, r.tier])).toEqual([
      [1, SEGMENT_SIZE, SMALL],
      [SEGMENT_SIZE + 1, 16, SMALL],
    ]);
    expect(decodeAll(await store.loadBlocks(WS, { withDetails: true }))).toEqual(makeEvents(16 + SEGMENT_SIZE));
  });

  it("turns a numeric column into text when a top-up brings text for the same prop, each value read back as sent", async () => {
    const store = new SegmentStore(openTestDb().db);
    const [a, b] = makeEvents(2);
    await store.appendPage(WS, [{ ...a!, props: { code: 404 } }], 1);
    await store.appendPage(WS, [{ ...b!, props: { code: "E_TIMEOUT" } }], 2);
    const loaded = await store.loadBlocks(WS, { withDetails: true });
    expect(loaded.segments).toHaveLength(1);
    expect(loaded.segments[0]!.block.props["code"]!.kind).toBe("str");
    expect(decodeAll(loaded).map((e) => e.props["code"])).toEqual([404, "E_TIMEOUT"]);
    expect(loaded.dictionary).toContain("404");
  });

  it("stores 12,000 events pulled in pages of 5,000 as 3 segments, each event once, in seq order", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(12_000);
    for (let i = 0; i < events.length; i += 5000) {
      const page = events.slice(i, i + 5000);
      await store.appendPage(WS, page, page.at(-1)!.seq);
    }
    const loaded = await store.loadBlocks(WS, { withDetails: true });
    expect(loaded.segments.map((s) => s.count)).toEqual([4096, 4096, 3808]);
    expect(loaded.segments.every((s) => s.count <= SEGMENT_SIZE)).toBe(true);
    const seqs = loaded.segments.flatMap((s) => [...s.block.seq]);
    expect(seqs).toEqual(events.map((e) => e.seq));
    expect(decodeAll(loaded)).toEqual(events);
    expect(loaded.state).toMatchObject({ after: 12_000, events: 12_000 });
    // without details by default: opening a workspace never reads them
    const bare = await store.loadBlocks(WS);
    expect(bare.segments.map((s) => [s.count, s.block.ids.length, s.block.seq.length, s.block.receivedAt.length])).toEqual([
      [4096, 0, 0, 0],
      [4096, 0, 0, 0],
      [3808, 0, 0, 0],
    ]);
    expect(bare.segments.map((s) => [...s.block.ts])).toEqual(loaded.segments.map((s) => [...s.block.ts]));
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
    expect(decodeAll(await store.loadBlocks(WS, { withDetails: true }))).toEqual(events);
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
    for (const tab of [tabA, tabB]) expect(decodeAll(await tab.loadBlocks(WS, { withDetails: true }))).toEqual(pages.flat());
    const { dictionary } = await tabB.loadBlocks(WS);
    expect(new Set(dictionary).size).toBe(dictionary.length);
  });

  it("tops up from what its last append left, reading only the cursor row, and reads the store again after another tab or retention wrote", async () => {
    const { db, factory, name } = openTestDb();
    const tabA = new SegmentStore(db);
    const tabB = new SegmentStore(openTestDb(factory, name).db);
    const reads: unknown[] = [];
    const get = db.packedSegments.get.bind(db.packedSegments);
    db.packedSegments.get = ((key: unknown) => (reads.push(key), get(key as [string, number]))) as typeof db.packedSegments.get;
    // index reads: the small segments' keys and the dictionary's last chunk
    let lookups = 0;
    for (const table of [db.packedSegments, db.dictionary] as const) {
      const where = table.where.bind(table) as (index: string) => unknown;
      (table as { where: unknown }).where = (index: string) => (lookups++, where(index));
    }
    const pages = [makeEvents(100), makeEvents(100, 101), makeEvents(100, 201), makeEvents(100, 301), makeEvents(100, 401)].map((page, i) =>
      page.map((e) => ({ ...e, name: `p${i} ${e.seq % 5}` })),
    );
    await tabA.appendPage(WS, pages[0]!, 100);
    lookups = 0;
    await tabA.appendPage(WS, pages[1]!, 200);
    // the cursor row alone was read: it still holds this tab's appendId
    expect(reads).toEqual([]);
    expect(lookups).toBe(0);
    // another tab tops up the same segment: the first tab's copy is out of date and read back
    await tabB.appendPage(WS, pages[2]!, 300);
    expect(reads).toEqual([]);
    await tabA.appendPage(WS, pages[3]!, 400);
    expect(reads).toEqual([[WS, 1]]);
    expect(lookups).toBeGreaterThan(0);
    // retention rewrote nothing here, but its generation says it might have: read back again
    await db.syncState.update(WS, { generation: 1 });
    await tabA.appendPage(WS, pages[4]!, 500);
    expect(reads).toEqual([[WS, 1], [WS, 1]]);
    const rows = await db.packedSegments.toArray();
    expect(rows.map((r) => [r.firstSeq, r.count, r.tier])).toEqual([[1, 500, SMALL]]);
    for (const tab of [tabA, tabB]) expect(decodeAll(await tab.loadBlocks(WS, { withDetails: true }))).toEqual(pages.flat());
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
    const bulkPut = store.db.segmentDetails.bulkPut.bind(store.db.segmentDetails);
    // Dexie reports a failed write as its own error wrapping the native one
    store.db.segmentDetails.bulkPut = () => Dexie.Promise.reject(new Dexie.AbortError("Transaction aborted", quotaError()));
    await expect(store.appendPage(WS, makeEvents(100, 11), 110)).rejects.toBeInstanceOf(StoreFullError);
    store.db.segmentDetails.bulkPut = bulkPut;
    expect(await counts(store)).toEqual(before);
  });
});

// tens of thousands of events through fake-indexeddb: ~1-2 s each on an idle machine, so room for a loaded one
describe("sealing", { timeout: 30_000 }, () => {
  const SEALED_SIZE = SEALED_SEGMENTS * SEGMENT_SIZE;

  /** The workspace's stored segments as [firstSeq, count, tier], checking rows and details agree and the layout is as the store keeps it. */
  async function layout(store: SegmentStore, workspaceId = WS): Promise<[number, number, number][]> {
    const { db } = store;
    const rows = await db.packedSegments.where("[workspaceId+firstSeq]").between([workspaceId, -Infinity], [workspaceId, Infinity]).toArray();
    const details = await db.segmentDetails.where("[workspaceId+firstSeq]").between([workspaceId, -Infinity], [workspaceId, Infinity]).toArray();
    expect(details.map((d) => [d.firstSeq, d.ids.length, d.seq.data.length])).toEqual(rows.map((r) => [r.firstSeq, r.count, r.count]));
    const small = rows.filter((r) => r.tier === SMALL);
    const sealed = rows.filter((r) => r.tier === SEALED);
    // sealed first, each of 16 full small ones; then at most 16 small ones, all full but the last
    expect(rows.map((r) => r.tier)).toEqual([...sealed.map(() => SEALED), ...small.map(() => SMALL)]);
    expect(sealed.every((r) => r.count === SEALED_SIZE)).toBe(true);
    expect(small.length).toBeLessThanOrEqual(SEALED_SEGMENTS);
    expect(small.slice(0, -1).every((r) => r.count === SEGMENT_SIZE)).toBe(true);
    // contiguous, in seq order
    rows.forEach((r, i) => {
      expect(r.lastSeq - r.firstSeq + 1).toBe(r.count);
      if (i > 0) expect(r.firstSeq).toBe(rows[i - 1]!.lastSeq + 1);
    });
    return rows.map((r) => [r.firstSeq, r.count, r.tier]);
  }

  async function appendAll(store: SegmentStore, events: StoredEvent[], pageSize = 5000): Promise<void> {
    for (let i = 0; i < events.length; i += pageSize) {
      const page = events.slice(i, i + pageSize);
      await store.appendPage(WS, page, page.at(-1)!.seq);
    }
  }

  it("merges the oldest 16 small segments into one sealed segment once a 17th exists, every event kept once in order", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(17 * SEGMENT_SIZE + 5);
    let at = 0;
    const append = async (n: number) => {
      const page = events.slice(at, at + n);
      at += n;
      return store.appendPage(WS, page, page.at(-1)!.seq);
    };
    for (const n of [1, 5000, 4096, 3, 40_000]) await append(n);
    await append(SEALED_SIZE - at);
    // exactly 16 small segments: nothing sealed yet
    expect(await layout(store)).toEqual(Array.from({ length: 16 }, (_, i) => [i * SEGMENT_SIZE + 1, SEGMENT_SIZE, SMALL]));
    // one more event makes a 17th: the first 16 are sealed
    await append(1);
    expect(await layout(store)).toEqual([
      [1, SEALED_SIZE, SEALED],
      [SEALED_SIZE + 1, 1, SMALL],
    ]);
    await append(4096);
    await append(4);
    expect(await layout(store)).toEqual([
      [1, SEALED_SIZE, SEALED],
      [SEALED_SIZE + 1, SEGMENT_SIZE, SMALL],
      [SEALED_SIZE + SEGMENT_SIZE + 1, 5, SMALL],
    ]);
    expect(at).toBe(events.length);

    const loaded = await store.loadBlocks(WS, { withDetails: true });
    expect(loaded.segments.map((s) => [s.firstSeq, s.lastSeq, s.count, s.sealed, s.minTs, s.maxTs])).toEqual([
      [1, SEALED_SIZE, SEALED_SIZE, true, events[0]!.ts, events[SEALED_SIZE - 1]!.ts],
      [SEALED_SIZE + 1, SEALED_SIZE + SEGMENT_SIZE, SEGMENT_SIZE, false, events[SEALED_SIZE]!.ts, events[SEALED_SIZE + SEGMENT_SIZE - 1]!.ts],
      [SEALED_SIZE + SEGMENT_SIZE + 1, events.length, 5, false, events.at(-5)!.ts, events.at(-1)!.ts],
    ]);
    expectSameEvents(decodeAll(loaded), events);
    expect(loaded.state).toMatchObject({ after: events.length, events: events.length });
    expect(new Set(loaded.dictionary).size).toBe(loaded.dictionary.length);
    // the same blocks without details, as an open reads them
    const bare = await store.loadBlocks(WS);
    expect(bare.segments.map((s) => [s.block.length, s.block.seq.length, s.block.ids.length])).toEqual([
      [SEALED_SIZE, 0, 0],
      [SEGMENT_SIZE, 0, 0],
      [5, 0, 0],
    ]);
    expect(digest(bare).segments.map((s) => s.columns[2])).toEqual(digest(loaded).segments.map((s) => s.columns[2]));

    // details of segments held from before the seal come from the sealed one, from their first event on
    const details = await store.loadDetails(WS, [4097, SEALED_SIZE + 1]);
    expect(details.get(4097)!.ids).toEqual(events.slice(4096, SEALED_SIZE).map((e) => e.id));
    expect(details.get(4097)!.receivedAt).toEqual(Float64Array.from(events.slice(4096, SEALED_SIZE), (e) => e.received_at));
    expect(details.get(SEALED_SIZE + 1)!.seq).toEqual(Float64Array.from(events.slice(SEALED_SIZE, SEALED_SIZE + SEGMENT_SIZE), (e) => e.seq));
    // but no segment ever started inside a small one
    await expect(store.loadDetails(WS, [SEALED_SIZE + 2])).rejects.toBeInstanceOf(StoreCorruptError);

    // a live trickle tops up the last small segment, rewriting that one row only
    const puts: number[] = [];
    const bulkPut = store.db.packedSegments.bulkPut.bind(store.db.packedSegments);
    store.db.packedSegments.bulkPut = ((rows: Parameters<typeof bulkPut>[0]) => {
      puts.push(rows.length);
      return bulkPut(rows);
    }) as typeof bulkPut;
    const trickle = makeEvents(30, events.length + 1);
    for (let i = 0; i < trickle.length; ) {
      const page = trickle.slice(i, i + 1 + (i % 3));
      i += page.length;
      await store.appendPage(WS, page, page.at(-1)!.seq);
    }
    store.db.packedSegments.bulkPut = bulkPut;
    expect(puts.every((n) => n === 1)).toBe(true);
    expect(await layout(store)).toEqual([
      [1, SEALED_SIZE, SEALED],
      [SEALED_SIZE + 1, SEGMENT_SIZE, SMALL],
      [SEALED_SIZE + SEGMENT_SIZE + 1, 35, SMALL],
    ]);
    expectSameEvents(decodeAll(await store.loadBlocks(WS, { withDetails: true })), [...events, ...trickle]);
  });

  it("seals in one page several groups at once, and keeps the layout across pages of odd sizes", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(2 * SEALED_SIZE + 3 * SEGMENT_SIZE + 17);
    // one page making 35 small segments: two groups sealed in the same transaction
    await store.appendPage(WS, events, events.length);
    expect(await layout(store)).toEqual([
      [1, SEALED_SIZE, SEALED],
      [SEALED_SIZE + 1, SEALED_SIZE, SEALED],
      ...[0, 1, 2].map((i): [number, number, number] => [2 * SEALED_SIZE + i * SEGMENT_SIZE + 1, SEGMENT_SIZE, SMALL]),
      [2 * SEALED_SIZE + 3 * SEGMENT_SIZE + 1, 17, SMALL],
    ]);
    expectSameEvents(decodeAll(await store.loadBlocks(WS, { withDetails: true })), events);
  });

  it("stores the texts of numbers when sealing joins a prop numeric in some segments and text in others, and reads each back as sent", async () => {
    const { db, factory, name } = openTestDb();
    const store = new SegmentStore(db);
    // `code` is a number whose text is in no dictionary, except in one stretch of the 6th segment where some are text
    const textAt = (seq: number) => seq > 5 * SEGMENT_SIZE + 100 && seq <= 5 * SEGMENT_SIZE + 200 && seq % 10 === 0;
    const events = makeEvents(SEALED_SIZE + 1).map((e) => ({ ...e, props: { ...e.props, code: textAt(e.seq) ? `E_${e.seq}` : 100_000 + e.seq } }));
    await appendAll(store, events.slice(0, SEALED_SIZE));
    const before = await store.loadBlocks(WS);
    expect(before.segments.map((s) => s.block.props["code"]!.kind)).toEqual(Array.from({ length: 16 }, (_, i) => (i === 5 ? "str" : "num")));
    expect(before.dictionary).not.toContain("100001");

    await appendAll(store, events.slice(SEALED_SIZE));
    // read back on another connection, so nothing comes from the store's cached dictionary
    const again = new SegmentStore(openTestDb(factory, name).db);
    const loaded = await again.loadBlocks(WS, { withDetails: true });
    expect(loaded.segments.map((s) => [s.count, s.sealed, s.block.props["code"]!.kind])).toEqual([
      [SEALED_SIZE, true, "str"],
      [1, false, "num"],
    ]);
    // sealed numbers are stored as their text, as if all had been encoded at once, and still read back as numbers
    const expected = events;
    expectSameEvents(decodeAll(loaded), expected);
    expect(loaded.dictionary).toContain("100001");
    expect(loaded.dictionary).toContain(`E_${5 * SEGMENT_SIZE + 110}`);
    expect(new Set(loaded.dictionary).size).toBe(loaded.dictionary.length);
    expect(loaded.dictionarySize).toBe(loaded.dictionary.length);

    // later pages reuse those entries: a text equal to a sealed number's gets the same code
    const more = makeEvents(3, SEALED_SIZE + 2).map((e) => ({ ...e, props: { code: "100001" } }));
    await again.appendPage(WS, more, more.at(-1)!.seq);
    const after = await store.loadBlocks(WS, { withDetails: true });
    // (the topped-up tail turns text too, adding its one number's text)
    const tail = expected.at(-1)!;
    expect(after.dictionary).toEqual([...loaded.dictionary, String(tail.props["code"])]);
    expectSameEvents(decodeAll(after), [...expected.slice(0, -1), tail, ...more]);
  });
  it("stores nothing of a page whose transaction fails while sealing, and leaves the cursor", async () => {
    const { db, factory, name } = openTestDb();
    const store = new SegmentStore(db);
    // one text `code` among numbers: the seal adds every number's text to the dictionary
    const events = makeEvents(SEALED_SIZE).map((e) => ({ ...e, props: { ...e.props, code: e.seq === 5000 ? "E_5000" : 100_000 + e.seq } }));
    await appendAll(store, events);
    const before = { counts: await counts(store), loaded: digest(await store.loadBlocks(WS, { withDetails: true })), layout: await layout(store) };
    // a page that makes a 17th small segment, with names of its own
    const page = makeEvents(10, SEALED_SIZE + 1).map((e) => ({ ...e, name: `only-in-page ${e.seq % 3}` }));

    const failures: [string, () => () => void, typeof StoreError][] = [
      [
        "the sealed segment's write refused for quota",
        () => {
          const bulkPut = db.packedSegments.bulkPut.bind(db.packedSegments);
          db.packedSegments.bulkPut = ((rows: Parameters<typeof bulkPut>[0]) =>
            rows.some((r) => r.tier === SEALED) ? Dexie.Promise.reject(new Dexie.AbortError("Transaction aborted", quotaError())) : bulkPut(rows)) as typeof bulkPut;
          return () => (db.packedSegments.bulkPut = bulkPut);
        },
        StoreFullError,
      ],
      [
        "the merged details' delete failing",
        () => {
          const bulkDelete = db.segmentDetails.bulkDelete.bind(db.segmentDetails);
          db.segmentDetails.bulkDelete = () => Dexie.Promise.reject(new Error("disk on fire"));
          return () => (db.segmentDetails.bulkDelete = bulkDelete);
        },
        StoreError,
      ],
    ];
    for (const [what, fail, error] of failures) {
      const restore = fail();
      await expect(store.appendPage(WS, page, page.at(-1)!.seq), what).rejects.toBeInstanceOf(error);
      restore();
      expect(await counts(store), what).toEqual(before.counts);
      expect(await layout(store), what).toEqual(before.layout);
      expect(digest(await store.loadBlocks(WS, { withDetails: true })), what).toEqual(before.loaded);
      expect(await store.syncState(WS), what).toMatchObject({ after: SEALED_SIZE, events: SEALED_SIZE });
    }

    // the same page stored afterwards seals, with its names stored once
    expect(await store.appendPage(WS, page, page.at(-1)!.seq)).toMatchObject({ stored: 10, after: SEALED_SIZE + 10, events: SEALED_SIZE + 10 });
    expect(await layout(store)).toEqual([
      [1, SEALED_SIZE, SEALED],
      [SEALED_SIZE + 1, 10, SMALL],
    ]);
    // read on another connection: what is stored, not the store's cached dictionary
    const loaded = await new SegmentStore(openTestDb(factory, name).db).loadBlocks(WS, { withDetails: true });
    expectSameEvents(decodeAll(loaded), [...events, ...page]);
    expect(loaded.dictionary.filter((v) => v.startsWith("only-in-page"))).toEqual(["only-in-page 2", "only-in-page 0", "only-in-page 1"]);
    expect(loaded.dictionary.filter((v) => v === "100001" || v === "E_5000")).toEqual(["E_5000", "100001"]);
    expect(new Set(loaded.dictionary).size).toBe(loaded.dictionary.length);

    // and deleting the workspace takes sealed segments and their details with it
    await store.deleteWorkspace(WS);
    expect(await counts(store)).toEqual({ segments: 0, details: 0, dictionary: 0, state: undefined });
    await store.appendPage(WS, makeEvents(10), 10);
    expect(await layout(store)).toEqual([[1, 10, SMALL]]);
    expectSameEvents(decodeAll(await store.loadBlocks(WS, { withDetails: true })), makeEvents(10));
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
    expect(decodeAll(await again.loadBlocks(WS, { withDetails: true }))).toEqual(makeEvents(9100));
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

  it("loads details of the asked segments only", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage(WS, makeEvents(5000), 5000);
    const details = await store.loadDetails(WS, [4097]);
    expect([...details.keys()]).toEqual([4097]);
    const expected = makeEvents(904, 4097);
    expect(details.get(4097)).toEqual({
      ids: expected.map((e) => e.id),
      seq: Float64Array.from(expected, (e) => e.seq),
      receivedAt: Float64Array.from(expected, (e) => e.received_at),
    });
    await expect(store.loadDetails(WS, [7])).rejects.toBeInstanceOf(StoreCorruptError);
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
    expect(await store.db.packedSegments.count()).toBe(1);
    expect(await store.db.segmentDetails.count()).toBe(1);
    expect(decodeAll(await store.loadBlocks("ws_b", { withDetails: true }))).toEqual(makeEvents(20));
    // syncing it again from scratch works with a fresh dictionary
    await store.appendPage(WS, makeEvents(30), 30);
    expect(decodeAll(await store.loadBlocks(WS, { withDetails: true }))).toEqual(makeEvents(30));
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

// Retention in the browser: expired events dropped per type, segments rewritten in place
// (sealed ones shrink, never merge), the generation bumped so the aggregator reloads, and
// pulls applying the edge's cutoffs.
import { describe, expect, it } from "vitest";
import { decodeRow, newDictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { StoreAggregator } from "../../app/src/aggregate/aggregator.ts";
import { roundCutoffs } from "../../app/src/store/retention.ts";
import { SEALED_SEGMENTS, SEGMENT_SIZE, SegmentStore } from "../../app/src/store/segment-store.ts";
import { SEALED, SMALL } from "../../app/src/store/segment-rows.ts";
import { syncWorkspace } from "../../app/src/sync/pull.ts";
import { TOKEN, expectSameEvents, fakeEdge, makeEvents, openTestDb } from "./helpers.ts";

const WS = "ws_a";
const HOUR = 3_600_000;

async function stored(store: SegmentStore, ws = WS): Promise<StoredEvent[]> {
  const loaded = await store.loadBlocks(ws, { withDetails: true });
  const dict = newDictionary(loaded.dictionary);
  return loaded.segments.flatMap((s) => Array.from({ length: s.count }, (_, i) => decodeRow(s.block, i, dict)));
}

async function fill(store: SegmentStore, events: StoredEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 5000) {
    const page = events.slice(i, i + 5000);
    await store.appendPage(WS, page, page.at(-1)!.seq);
  }
}

async function tiers(store: SegmentStore) {
  return (await store.db.packedSegments.toArray()).map((s) => ({ firstSeq: s.firstSeq, tier: s.tier, count: s.count }));
}

describe("roundCutoffs", () => {
  it("rounds each type's cutoff down to the hour and leaves the other types out", () => {
    expect(roundCutoffs({ request: 5 * HOUR + 1234, job: 2 * HOUR, test: Number.NaN })).toEqual({ request: 5 * HOUR, job: 2 * HOUR });
  });
});

describe("SegmentStore.applyRetention", () => {
  it("drops each type's expired events from sealed and small segments, keeping the tiers, the cursor and every other event", async () => {
    const store = new SegmentStore(openTestDb().db);
    // booleans, and numbers in a column that also holds text: what survives retention reads back as sent
    const events = makeEvents(SEALED_SEGMENTS * SEGMENT_SIZE + 6000).map((e) => ({ ...e, props: { ...e.props, ok: e.seq % 3 === 0, code: e.seq % 1000 === 0 ? `E_${e.seq}` : e.seq } }));
    await fill(store, events);
    const before = await tiers(store);
    expect(before.filter((s) => s.tier === SEALED)).toHaveLength(1);

    // requests before seq ~30,000 expire (inside the sealed segment); jobs before ~67,000 (into the small ones)
    const cutoffs = { request: events[30_000]!.ts, job: events[67_000]!.ts };
    const rounded = roundCutoffs(cutoffs);
    const expired = (e: StoredEvent) => (e.type === "request" && e.ts < rounded.request!) || (e.type === "job" && e.ts < rounded.job!);
    const kept = events.filter((e) => !expired(e));
    const result = await store.applyRetention(WS, cutoffs);
    expect(result).toMatchObject({ dropped: events.length - kept.length, generation: 1 });
    expect(result.dropped).toBeGreaterThan(20_000);

    expectSameEvents(await stored(store), kept);
    expect(await store.syncState(WS)).toMatchObject({ after: events.length, events: kept.length });
    const after = await tiers(store);
    // the sealed segment shrank in place (its first event, a request, went) and was not merged with anything
    expect(after.filter((s) => s.tier === SEALED)).toHaveLength(1);
    expect(after[0]).toMatchObject({ tier: SEALED, firstSeq: kept[0]!.seq });
    expect(after[0]!.count).toBeLessThan(before[0]!.count);
    expect(after.length).toBe(before.length);
    expect(after.slice(1).every((s) => s.tier === SMALL)).toBe(true);
    // export still finds every segment's details
    const details = await store.loadDetails(WS, after.map((s) => s.firstSeq));
    expect([...details.values()].reduce((n, d) => n + d.ids.length, 0)).toBe(kept.length);

    // later pages top up and seal as before
    const more = makeEvents(SEALED_SEGMENTS * SEGMENT_SIZE, events.length + 1);
    await fill(store, more);
    expectSameEvents(await stored(store), [...kept, ...more]);
    expect((await tiers(store)).filter((s) => s.tier === SEALED)).toHaveLength(2);
  }, 60_000);

  it("deletes segments left empty, and does nothing (no generation bump) when nothing expired", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(9000);
    await fill(store, events);
    expect(await store.applyRetention(WS, { mock: events.at(-1)!.ts })).toMatchObject({ dropped: 0, generation: 0 });
    const late = events.at(-1)!.ts + 2 * HOUR;
    const all = { request: late, test: late, job: late };
    expect(await store.applyRetention(WS, all)).toMatchObject({ dropped: 9000, segments: 3, generation: 1 });
    expect(await store.db.packedSegments.count()).toBe(0);
    expect(await store.db.segmentDetails.count()).toBe(0);
    expect(await store.syncState(WS)).toMatchObject({ after: 9000, events: 0 });
    // the cursor stayed: nothing is pulled again
    expect(await store.appendPage(WS, events, 9000)).toMatchObject({ stored: 0, events: 0 });
  });

  it("skips work when the cutoffs are the same hour's, until events below them are stored", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(200);
    await fill(store, events.slice(100));
    const cutoff = events[150]!.ts;
    expect((await store.applyRetention(WS, { request: cutoff })).dropped).toBeGreaterThan(0);
    // count writes: an unchanged hour with nothing new below it must not touch the segments
    let puts = 0;
    const put = store.db.packedSegments.put.bind(store.db.packedSegments);
    store.db.packedSegments.put = (...args) => (puts++, put(...args));
    expect(await store.applyRetention(WS, { request: cutoff + 1000 })).toMatchObject({ dropped: 0, segments: 0 });
    expect(puts).toBe(0);
    // an old request arrives (a page may carry them until the edge's cleanup): due again
    const old = makeEvents(1, 201)[0]!;
    await store.appendPage(WS, [{ ...old, type: "request", ts: events[0]!.ts }], 201);
    expect(await store.applyRetention(WS, { request: cutoff })).toMatchObject({ dropped: 1, generation: 2 });
  });
});

describe("the aggregator after retention", () => {
  it("notices the new generation on refresh and reloads everything, sealed segments included", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(SEALED_SEGMENTS * SEGMENT_SIZE + 100);
    await fill(store, events);
    const agg = new StoreAggregator(store);
    expect((await agg.open(WS)).events).toBe(events.length);
    const cutoff = roundCutoffs({ request: events[40_000]!.ts }).request!;
    await store.applyRetention(WS, { request: cutoff });
    const kept = events.filter((e) => !(e.type === "request" && e.ts < cutoff));
    const info = await agg.refresh();
    expect(info.events).toBe(kept.length);
    const [count] = await agg.run([{ types: ["request"], measures: [{ fn: "count" }] }]);
    expect(count!.measures[0]![0]).toBe(kept.filter((e) => e.type === "request").length);
  }, 60_000);
});

describe("pulls and retention", () => {
  it("applies the edge's cutoffs once the pages are in, and reports what was dropped", async () => {
    const store = new SegmentStore(openTestDb().db);
    const log = makeEvents(3000);
    const edge = fakeEdge(log, WS);
    edge.retention = { test: log[2000]!.ts };
    const dropped: number[] = [];
    const outcome = await syncWorkspace({ store, fetch: edge.fetch, apiBase: "http://edge.test", workspaceId: WS, key: TOKEN, isOnline: () => true, pageSize: 1000, onDropped: (r) => dropped.push(r.dropped) });
    const cutoff = roundCutoffs(edge.retention).test!;
    const kept = log.filter((e) => !(e.type === "test" && e.ts < cutoff));
    expect(dropped).toEqual([log.length - kept.length]);
    expect(outcome.status).toMatchObject({ state: "idle", events: kept.length });
    expectSameEvents(await stored(store), kept);
    expect(await store.syncState(WS)).toMatchObject({ after: 3000, events: kept.length });
  });

  it("rejects a malformed retention instead of storing anything", async () => {
    const store = new SegmentStore(openTestDb().db);
    const edge = fakeEdge(makeEvents(10), WS);
    edge.retention = { request: "yesterday" } as unknown as typeof edge.retention;
    const outcome = await syncWorkspace({ store, fetch: edge.fetch, apiBase: "http://edge.test", workspaceId: WS, key: TOKEN, isOnline: () => true });
    expect(outcome.status.state).toBe("error");
    expect(await store.syncState(WS)).toMatchObject({ after: 0 });
  });
});

// The Aggregator over the store, in Node: open, refresh, queries and exports against direct computation.
import { describe, expect, it } from "vitest";
import { AggregatorNotOpenError, EXPORT_COLUMNS, StoreAggregator, eventsCsv, reportBuffers, resultBuffers, type BlockSource } from "../../app/src/aggregate/aggregator.ts";
import type { Selection } from "../../app/src/data/api.ts";
import { SEALED_SEGMENTS, SEGMENT_SIZE, SegmentStore, type LoadedSegment } from "../../app/src/store/segment-store.ts";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";
import type { Query, QueryResult } from "../../shared/query.ts";
import { productReport } from "../../shared/product/index.ts";
import type { ProductReport, ProductSpec } from "../../shared/product/types.ts";
import { expectSameEvents, makeEvents, openTestDb } from "./helpers.ts";

const WS = "ws_a";

async function storeWith(events: StoredEvent[]): Promise<SegmentStore> {
  const store = new SegmentStore(openTestDb().db);
  for (let i = 0; i < events.length; i += 5000) {
    const page = events.slice(i, i + 5000);
    await store.appendPage(WS, page, page.at(-1)!.seq);
  }
  return store;
}

/** Result rows as { key: count } for a one-key label grouping. */
function countsByLabel(result: QueryResult): Record<string, number> {
  const key = result.keys[0]!;
  if (key.kind !== "label") throw new Error("expected labels");
  return Object.fromEntries(key.values.map((label, i) => [label, result.measures[0]![i]!]));
}

function countBy(events: StoredEvent[], key: (e: StoredEvent) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[key(e)] = (out[key(e)] ?? 0) + 1;
  return out;
}

/** Track events of 23 users over the stored span: features, one experiment (every 5th event a conversion) and a two-step funnel. */
function trackEvents(n: number, from: number): StoredEvent[] {
  return makeEvents(n, from).map((e) => ({
    ...e,
    type: "track",
    name: e.seq % 3 === 0 ? "paid" : "visit",
    props: { user: `u${e.seq % 23}`, feature: e.seq % 2 === 0 ? "export" : "share", experiment: "pricing", variant: e.seq % 23 < 12 ? "control" : "b", converted: e.seq % 5 === 0 },
  }));
}

const PRODUCT_SPEC: ProductSpec = {
  filters: [],
  utcOffsetMinutes: 0,
  now: Date.UTC(2026, 10, 5),
  experiments: [],
  funnels: [{ name: "buy", steps: [{ name: "visit" }, { name: "paid" }], window_hours: 24 }],
};

const prodRequests: Selection = { types: ["request"], filters: [{ dim: { prop: "env" }, in: ["prod"] }] };
const isProdRequest = (e: StoredEvent): boolean => e.type === "request" && e.props["env"] === "prod";

describe("StoreAggregator", () => {
  it("opens a workspace and answers count and group queries as a direct computation does", async () => {
    const events = makeEvents(12_000);
    const agg = new StoreAggregator(await storeWith(events));
    expect(await agg.open(WS)).toEqual({ workspaceId: WS, events: 12_000, minTs: events[0]!.ts, maxTs: events[11_999]!.ts, lastSeq: 12_000 });

    const [total, byEndpoint, slowPost] = await agg.run([
      { measures: [{ fn: "count" }] },
      { ...prodRequests, groupBy: [{ prop: "endpoint" }], measures: [{ fn: "count" }] },
      { filters: [{ dim: { prop: "method" }, in: ["POST"] }, { dim: { prop: "latency_ms" }, min: 500 }], measures: [{ fn: "count" }, { fn: "max", of: { prop: "latency_ms" } }] },
    ]);
    expect(total!.measures[0]![0]).toBe(12_000);
    expect(countsByLabel(byEndpoint!)).toEqual(countBy(events.filter(isProdRequest), (e) => String(e.props["endpoint"])));
    const slow = events.filter((e) => e.props["method"] === "POST" && (e.props["latency_ms"] as number) >= 500);
    expect(slowPost!.matched).toBe(slow.length);
    expect(slowPost!.measures[1]![0]).toBe(Math.max(...slow.map((e) => e.props["latency_ms"] as number)));
  });

  it("refreshes with new segments and the topped-up last one, and new dictionary entries", async () => {
    const events = makeEvents(5000);
    const store = await storeWith(events);
    const agg = new StoreAggregator(store);
    await agg.open(WS);
    const more = makeEvents(4000, 5001).map((e) => ({ ...e, name: `late ${e.props["endpoint"]}` }));
    await store.appendPage(WS, more, 9000);
    expect(await agg.refresh()).toMatchObject({ events: 9000, lastSeq: 9000 });

    const [byName] = await agg.run([{ groupBy: [{ field: "name" }], measures: [{ fn: "count" }] }]);
    expect(countsByLabel(byName!)).toEqual(countBy([...events, ...more], (e) => e.name));
    // opening the same workspace again is a refresh, and nothing changed
    expect(await agg.open(WS)).toMatchObject({ events: 9000 });
  });

  it("refreshes across a seal to what a fresh open gives, rereading only from the first small segment held", { timeout: 30_000 }, async () => {
    // `code` is numeric except in a few events of the third segment: sealing turns the first 16 segments' codes to text
    const events = makeEvents(SEALED_SEGMENTS * SEGMENT_SIZE + SEGMENT_SIZE + 100).map((e) => ({
      ...e,
      props: { ...e.props, code: e.seq > 2 * SEGMENT_SIZE && e.seq <= 3 * SEGMENT_SIZE && e.seq % 500 === 0 ? `E_${e.seq}` : 100_000 + (e.seq % 3000) },
    }));
    const at = (n: number) => events.slice(0, n);
    const store = await storeWith(at(10 * SEGMENT_SIZE + 50));
    const loads: (number | undefined)[] = [];
    const agg = new StoreAggregator({
      loadBlocks: (ws, options) => {
        loads.push(options?.sinceFirstSeq);
        return store.loadBlocks(ws, options);
      },
      loadDetails: (ws, firstSeqs) => store.loadDetails(ws, firstSeqs),
    });
    await agg.open(WS);

    const queries: Query[] = [
      { measures: [{ fn: "count" }, { fn: "min", of: { prop: "latency_ms" } }, { fn: "max", of: { prop: "latency_ms" } }] },
      { groupBy: [{ field: "name" }], measures: [{ fn: "count" }, { fn: "sum", of: { prop: "latency_ms" } }] },
      { ...prodRequests, groupBy: [{ prop: "endpoint" }, { bucket: "day" }], measures: [{ fn: "count" }, { fn: "p95", of: { prop: "latency_ms" } }] },
      { filters: [{ dim: { prop: "code" }, in: ["100007", 100_008, "E_8500"] }], groupBy: [{ prop: "code" }], measures: [{ fn: "count" }] },
      { measures: [{ fn: "distinct", of: { prop: "code" } }] },
    ];
    /** What a fresh aggregator opening the store now sees. */
    const fresh = async () => {
      const other = new StoreAggregator(store);
      return { info: await other.open(WS), results: await other.run(queries), other };
    };

    // 17 small segments: the first 16 are sealed under the open aggregator
    for (const page of [at(15 * SEGMENT_SIZE).slice(10 * SEGMENT_SIZE + 50), events.slice(15 * SEGMENT_SIZE, 17 * SEGMENT_SIZE)]) {
      await store.appendPage(WS, page, page.at(-1)!.seq);
    }
    expect((await store.loadBlocks(WS)).segments.map((s) => [s.count, s.sealed])).toEqual([
      [SEALED_SEGMENTS * SEGMENT_SIZE, true],
      [SEGMENT_SIZE, false],
    ]);
    loads.length = 0;
    let expected = await fresh();
    expect(await agg.refresh()).toEqual(expected.info);
    expect(expected.info).toMatchObject({ events: 17 * SEGMENT_SIZE, lastSeq: 17 * SEGMENT_SIZE });
    // every segment held was small, so the refresh reread from the first
    expect(loads).toEqual([1]);
    expect(await agg.run(queries)).toEqual(expected.results);
    const [, , , byCode] = expected.results;
    // text and numbers compare as text, across the sealed (text) and small (numeric) segments
    const picked = at(17 * SEGMENT_SIZE).filter((e) => ["100007", "100008", "E_8500"].includes(String(e.props["code"])));
    expect(countsByLabel(byCode!)).toEqual(countBy(picked, (e) => String(e.props["code"])));
    expect(countsByLabel(byCode!)["E_8500"]).toBe(1);

    // a live trickle after the seal rereads the small tail only
    const last = events.slice(17 * SEGMENT_SIZE);
    await store.appendPage(WS, last, last.at(-1)!.seq);
    loads.length = 0;
    expected = await fresh();
    expect(await agg.refresh()).toEqual(expected.info);
    expect(loads).toEqual([SEALED_SEGMENTS * SEGMENT_SIZE + 1]);
    expect(await agg.run(queries)).toEqual(expected.results);
    const [total] = expected.results;
    expect(total!.measures[0]![0]).toBe(events.length);

    // exports span the sealed segment and the small ones, with seqs, ids and receive times
    const range = { from: events[SEALED_SEGMENTS * SEGMENT_SIZE - 3000]!.ts, to: events.at(-10)!.ts };
    const selection: Selection = { ...prodRequests, range };
    const json = await agg.exportEvents(selection, "json");
    expect(json).toBe(await expected.other.exportEvents(selection, "json"));
    const sealedUpTo = SEALED_SEGMENTS * SEGMENT_SIZE;
    // numbers sealed into a text column come back as the numbers they were
    const want = events.filter((e) => isProdRequest(e) && e.ts >= range.from && e.ts < range.to);
    expect(want.some((e) => e.seq <= sealedUpTo) && want.some((e) => e.seq > sealedUpTo)).toBe(true);
    expect(JSON.parse(json)).toEqual(want);
    const csv = (await agg.exportEvents(selection, "csv")).split("\r\n");
    expect(csv.slice(1, -1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual(want.map((e) => `${e.seq},${e.id}`));
  });

  it("refreshes by reading only the topped-up last segment and new ones while the small segments before it stay", { timeout: 30_000 }, async () => {
    const events = makeEvents(9 * SEGMENT_SIZE);
    const store = await storeWith(events.slice(0, 3 * SEGMENT_SIZE + 100));
    const reads: { since: number | undefined; unchanged: readonly number[] | undefined; read: number[] }[] = [];
    const agg = new StoreAggregator({
      loadBlocks: async (ws, options) => {
        const loaded = await store.loadBlocks(ws, options);
        reads.push({ since: options?.sinceFirstSeq, unchanged: options?.unchanged, read: loaded.segments.map((s) => s.firstSeq) });
        return loaded;
      },
      loadDetails: (ws, firstSeqs) => store.loadDetails(ws, firstSeqs),
    });
    await agg.open(WS);
    const queries: Query[] = [
      { measures: [{ fn: "count" }, { fn: "p95", of: { prop: "latency_ms" } }] },
      { groupBy: [{ prop: "endpoint" }], measures: [{ fn: "count" }, { fn: "max", of: { prop: "latency_ms" } }] },
    ];
    await agg.run(queries);

    const more = events.slice(3 * SEGMENT_SIZE + 100, 5 * SEGMENT_SIZE + 7);
    await store.appendPage(WS, more, more.at(-1)!.seq);
    reads.length = 0;
    const other = new StoreAggregator(store);
    expect(await agg.refresh()).toEqual(await other.open(WS));
    // the three full small segments held are kept; the fourth (topped up) and the new fifth and sixth are read
    expect(reads).toEqual([{ since: 1, unchanged: [1, SEGMENT_SIZE + 1, 2 * SEGMENT_SIZE + 1], read: [3, 4, 5].map((k) => k * SEGMENT_SIZE + 1) }]);
    expect(await agg.run(queries)).toEqual(await other.run(queries));
  });

  it("refreshes to what a fresh open gives when the first small segment held was sealed with the last one held merged into it", { timeout: 30_000 }, async () => {
    const events = makeEvents(17 * SEGMENT_SIZE + 30);
    // two small segments held: the first full, the last with 50 events
    const store = await storeWith(events.slice(0, SEGMENT_SIZE + 50));
    const reads: (readonly number[] | undefined)[] = [];
    const agg = new StoreAggregator({
      loadBlocks: (ws, options) => {
        reads.push(options?.unchanged);
        return store.loadBlocks(ws, options);
      },
      loadDetails: (ws, firstSeqs) => store.loadDetails(ws, firstSeqs),
    });
    await agg.open(WS);
    // 17 small segments: the oldest 16 are sealed under the key of the first one held, the last one held is merged away
    const rest = events.slice(SEGMENT_SIZE + 50);
    for (let i = 0; i < rest.length; i += 5000) await store.appendPage(WS, rest.slice(i, i + 5000), rest.slice(i, i + 5000).at(-1)!.seq);
    const now = (await store.loadBlocks(WS)).segments;
    expect(now[0]).toMatchObject({ firstSeq: 1, sealed: true, count: SEALED_SEGMENTS * SEGMENT_SIZE });
    expect(now.some((s) => s.firstSeq === SEGMENT_SIZE + 1)).toBe(false);
    reads.length = 0;
    const other = new StoreAggregator(store);
    expect(await agg.refresh()).toEqual(await other.open(WS));
    // the first read keeps the first segment held (its key is still there), finds the last one held gone, and reads again from the first
    expect(reads).toEqual([[1], []]);
    const queries: Query[] = [{ groupBy: [{ field: "name" }], measures: [{ fn: "count" }, { fn: "p50", of: { prop: "latency_ms" } }] }];
    expect(await agg.run(queries)).toEqual(await other.run(queries));
  });

  it("exports what it holds when the store has sealed and topped up those segments since the last refresh", { timeout: 30_000 }, async () => {
    const events = makeEvents(17 * SEGMENT_SIZE + 30);
    const held = 10 * SEGMENT_SIZE + 50;
    const store = await storeWith(events.slice(0, held));
    const agg = new StoreAggregator(store);
    await agg.open(WS);
    // the held small segments are merged into a sealed one, the last held one topped up first
    for (let i = held; i < events.length; i += 5000) {
      const page = events.slice(i, Math.min(i + 5000, events.length));
      await store.appendPage(WS, page, page.at(-1)!.seq);
    }
    expect((await store.loadBlocks(WS)).segments.map((s) => [s.firstSeq, s.sealed])).toEqual([
      [1, true],
      [SEALED_SEGMENTS * SEGMENT_SIZE + 1, false],
      [SEALED_SEGMENTS * SEGMENT_SIZE + SEGMENT_SIZE + 1, false],
    ]);
    // without a refresh: exactly the events it holds and counts
    expectSameEvents(JSON.parse(await agg.exportEvents({}, "json")), events.slice(0, held));
    const range = { from: events[5000]!.ts, to: events[held - 10]!.ts };
    expect(JSON.parse(await agg.exportEvents({ ...prodRequests, range }, "json"))).toEqual(events.slice(0, held).filter((e) => isProdRequest(e) && e.ts >= range.from && e.ts < range.to));
    // and after it, everything
    await agg.refresh();
    expectSameEvents(JSON.parse(await agg.exportEvents({}, "json")), events);
  });

  it("rereads from the first small segment it holds, or its last when all are sealed, and starts over when that one is gone", async () => {
    // a stand-in store whose layout the test sets directly: tiny segments, sealed or not
    const events = makeEvents(60);
    const dict = newDictionary();
    const segment = (from: number, to: number, sealed: boolean): LoadedSegment => {
      const block = encodeBlock(events.slice(from - 1, to), dict);
      return { firstSeq: from, lastSeq: to, count: to - from + 1, minTs: block.ts[0]!, maxTs: block.ts.at(-1)!, sealed, block };
    };
    let stored: LoadedSegment[] = [];
    const since: (number | undefined)[] = [];
    const source: BlockSource = {
      loadBlocks: async (_ws, options = {}) => {
        since.push(options.sinceFirstSeq);
        const segments = stored.filter((s) => s.firstSeq >= (options.sinceFirstSeq ?? -Infinity));
        const events = segments.reduce((n, s) => n + s.count, 0);
        return { segments, dictionary: dict.values.slice(options.dictionaryFrom ?? 0), dictionarySize: dict.values.length, state: { after: 0, syncedAt: null, events }, generation: 0, kept: false };
      },
      loadDetails: async () => new Map(),
    };
    const agg = new StoreAggregator(source);
    const count = async () => (await agg.run([{ measures: [{ fn: "count" }] }]))[0]!.measures[0]![0];

    stored = [segment(1, 10, true), segment(11, 20, true), segment(21, 30, false), segment(31, 40, false)];
    expect(await agg.open(WS)).toMatchObject({ events: 40, lastSeq: 40 });
    // the two small ones were merged and a new one started
    stored = [stored[0]!, stored[1]!, segment(21, 40, true), segment(41, 45, false)];
    expect(await agg.refresh()).toMatchObject({ events: 45, lastSeq: 45, minTs: events[0]!.ts, maxTs: events[44]!.ts });
    expect(await count()).toBe(45);
    // now every segment is sealed
    stored = [...stored.slice(0, 3), segment(41, 50, true)];
    expect(await agg.refresh()).toMatchObject({ events: 50, lastSeq: 50 });
    stored = [...stored, segment(51, 52, false)];
    expect(await agg.refresh()).toMatchObject({ events: 52, lastSeq: 52 });
    expect(await count()).toBe(52);
    expect(since).toEqual([undefined, 21, 41, 41]);
    // the segment it rereads from is gone (deleted and synced anew): it loads everything again
    stored = [segment(1, 5, false)];
    expect(await agg.refresh()).toMatchObject({ events: 5, lastSeq: 5 });
    expect(since.slice(4)).toEqual([51, undefined]);
    expect(await count()).toBe(5);
  });

  it("keeps a repeated query set current by the appended rows alone, equal to a fresh open's full run", { timeout: 30_000 }, async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const queries: Query[] = [
      { measures: [{ fn: "count" }, { fn: "p95", of: { prop: "latency_ms" } }, { fn: "rate", where: [{ dim: { prop: "status" }, min: 500 }] }] },
      { groupBy: [{ bucket: "hour" }, { prop: "method" }], measures: [{ fn: "count" }, { fn: "p50", of: { prop: "latency_ms" } }, { fn: "avg", of: { prop: "latency_ms" } }] },
      { groupBy: [{ prop: "endpoint" }], measures: [{ fn: "count" }, { fn: "distinct", of: { prop: "run" } }], orderBy: { measure: 0 }, limit: 3 },
    ];
    let stored = 0;
    const append = async (n: number) => {
      await store.appendPage(WS, makeEvents(n, stored + 1), stored + n);
      stored += n;
    };
    await append(5000);
    const live = new StoreAggregator(store);
    await live.open(WS);
    await live.run(queries);
    // live-sized batches, one crossing a seal, and a run with nothing new in between
    for (const n of [1, 1000, 37, SEGMENT_SIZE * SEALED_SEGMENTS, 0, 500]) {
      if (n > 0) await append(n);
      await live.refresh();
      const fresh = new StoreAggregator(store);
      await fresh.open(WS);
      expect(await live.run(queries)).toEqual(await fresh.run(queries));
    }
    // the state is kept per query set: another set in between leaves it in place
    await live.run([{ measures: [{ fn: "count" }] }]);
    await append(10);
    await live.refresh();
    const fresh = new StoreAggregator(store);
    await fresh.open(WS);
    expect(await live.run(queries)).toEqual(await fresh.run(queries));
  });

  it("starts over when the workspace was deleted under it", async () => {
    const store = await storeWith(makeEvents(5000));
    const agg = new StoreAggregator(store);
    await agg.open(WS);
    await store.deleteWorkspace(WS);
    await store.appendPage(WS, makeEvents(10), 10);
    expect(await agg.refresh()).toMatchObject({ events: 10, lastSeq: 10 });
    const [names] = await agg.run([{ groupBy: [{ field: "name" }], measures: [{ fn: "count" }] }]);
    expect(countsByLabel(names!)).toEqual(countBy(makeEvents(10), (e) => e.name));
  });

  it("exports the selected events as JSON, exactly as the API serves them", async () => {
    const events = makeEvents(9000);
    const agg = new StoreAggregator(await storeWith(events));
    await agg.open(WS);
    const range = { from: events[1000]!.ts, to: events[7000]!.ts };
    const json = await agg.exportEvents({ ...prodRequests, range }, "json");
    const expected = events.filter((e) => isProdRequest(e) && e.ts >= range.from && e.ts < range.to);
    expect(expected.length).toBeGreaterThan(100);
    expect(JSON.parse(json)).toEqual(expected);
  });

  it("exports the selected events as CSV with one column per prop", async () => {
    const events = makeEvents(6000);
    const agg = new StoreAggregator(await storeWith(events));
    await agg.open(WS);
    const csv = await agg.exportEvents(prodRequests, "csv");
    const expected = events.filter(isProdRequest);
    const lines = csv.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe([...EXPORT_COLUMNS, "props.endpoint", "props.env", "props.latency_ms", "props.method", "props.run", "props.status"].join(","));
    expect(lines).toHaveLength(expected.length + 2);
    const first = expected[0]!;
    expect(lines[1]).toBe(
      [first.seq, first.id, new Date(first.ts).toISOString(), new Date(first.received_at).toISOString(), "request", first.name, first.props["endpoint"], "prod", first.props["latency_ms"], first.props["method"], first.props["run"] ?? "", first.props["status"]].join(","),
    );
    expect(lines.slice(1, -1).map((l) => Number(l.split(",")[0]))).toEqual(expected.map((e) => e.seq));
  });

  it("neutralises formula text in exported cells", () => {
    const [e] = makeEvents(1);
    const csv = eventsCsv([{ ...e!, name: "=HYPERLINK(\"http://x\")", props: { note: "-1+1", n: -3 } }]);
    expect(csv.split("\r\n")[1]).toBe(`1,evt-1,${new Date(e!.ts).toISOString()},${new Date(e!.received_at).toISOString()},${e!.type},"'=HYPERLINK(""http://x"")",-3,'-1+1`);
  });

  it("refuses to work before a workspace is open", async () => {
    const agg = new StoreAggregator(await storeWith(makeEvents(1)));
    await expect(agg.run([{ measures: [{ fn: "count" }] }])).rejects.toBeInstanceOf(AggregatorNotOpenError);
    await expect(agg.refresh()).rejects.toBeInstanceOf(AggregatorNotOpenError);
    await expect(agg.exportEvents({}, "json")).rejects.toBeInstanceOf(AggregatorNotOpenError);
    await expect(agg.product(PRODUCT_SPEC)).rejects.toBeInstanceOf(AggregatorNotOpenError);
  });

  it("answers the Product report over what it holds, as productReport over the same events in one block, and follows a refresh", async () => {
    const first = [...makeEvents(400), ...trackEvents(2600, 401)];
    const store = await storeWith(first);
    const agg = new StoreAggregator(store);
    await agg.open(WS);
    const direct = (events: StoredEvent[]) => {
      const dict = newDictionary();
      return productReport([encodeBlock(events, dict)], dict, PRODUCT_SPEC);
    };
    const report = await agg.product(PRODUCT_SPEC);
    expect(report).toEqual(direct(first));
    expect(report.events).toBe(2600);
    expect(report.experiments.map((e) => e.variants.map((v) => v.variant))).toEqual([["control", "b"]]);

    const more = trackEvents(500, 3001).map((e) => ({ ...e, props: { ...e.props, user: `late-${e.seq % 5}` } }));
    await store.appendPage(WS, more, 3500);
    await agg.refresh();
    const after = await agg.product(PRODUCT_SPEC);
    expect(after).toEqual(direct([...first, ...more]));
    expect(after.users).toBe(report.users + 5);
  });

  it("opens an empty workspace", async () => {
    const agg = new StoreAggregator(new SegmentStore(openTestDb().db));
    const info = await agg.open("ws_empty");
    expect(info).toMatchObject({ events: 0, lastSeq: 0 });
    expect(info.minTs).toBeNaN();
    const [r] = await agg.run([{ measures: [{ fn: "count" }] }]);
    expect(r!.measures[0]![0]).toBe(0);
    expect(await agg.exportEvents({}, "json")).toBe("[]");
  });
});

describe("reportBuffers", () => {
  it("lists the series' whole buffers and leaves views into larger ones alone", () => {
    const big = new Float64Array(8);
    const t = new Float64Array(2);
    const users = new Float64Array(2);
    const series = { t, users };
    const report = { active: { daily: series, weekly: { t: big.subarray(0, 2), users: big.subarray(2, 4) }, monthly: series } } as unknown as ProductReport;
    expect(reportBuffers(report)).toEqual([t.buffer, users.buffer]);
  });
});

describe("resultBuffers", () => {
  it("lists each whole buffer once and leaves views into larger ones alone", () => {
    const shared = new Float64Array(8);
    const own = new Float64Array(3);
    const result: QueryResult = { rows: 3, keys: [{ kind: "time", values: own }, { kind: "label", values: ["a", "b", "c"] }], measures: [own, shared.subarray(0, 3)], matched: 3 };
    expect(resultBuffers([result, result])).toEqual([own.buffer]);
  });
});

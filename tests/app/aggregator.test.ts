// The Aggregator over the store, in Node: open, refresh, queries and exports against direct computation.
import { describe, expect, it } from "vitest";
import { AggregatorNotOpenError, EXPORT_COLUMNS, StoreAggregator, eventsCsv, resultBuffers } from "../../app/src/aggregate/aggregator.ts";
import type { Selection } from "../../app/src/data/api.ts";
import { SegmentStore } from "../../app/src/store/segment-store.ts";
import type { StoredEvent } from "../../shared/event.ts";
import type { QueryResult } from "../../shared/query.ts";
import { makeEvents, openTestDb } from "./helpers.ts";

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

describe("resultBuffers", () => {
  it("lists each whole buffer once and leaves views into larger ones alone", () => {
    const shared = new Float64Array(8);
    const own = new Float64Array(3);
    const result: QueryResult = { rows: 3, keys: [{ kind: "time", values: own }, { kind: "label", values: ["a", "b", "c"] }], measures: [own, shared.subarray(0, 3)], matched: 3 };
    expect(resultBuffers([result, result])).toEqual([own.buffer]);
  });
});

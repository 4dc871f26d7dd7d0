// The aggregator across a real MessagePort, as the page talks to the worker.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as Comlink from "comlink";
import type { Aggregator } from "../../app/src/data/api.ts";
import { StoreAggregator } from "../../app/src/aggregate/aggregator.ts";
import { exposeAggregator } from "../../app/src/aggregate/expose.ts";
import { SegmentStore } from "../../app/src/store/segment-store.ts";
import type { QueryResult } from "../../shared/query.ts";
import type { ProductReport } from "../../shared/product/types.ts";
import { makeEvents, openTestDb } from "./helpers.ts";

describe("exposeAggregator", () => {
  const channels: MessageChannel[] = [];
  afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

  it("answers through Comlink and transfers result arrays instead of copying them", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage("ws_a", makeEvents(100), 100);
    const aggregator = new StoreAggregator(store);
    const sent: QueryResult[][] = [];
    const run = aggregator.run.bind(aggregator);
    vi.spyOn(aggregator, "run").mockImplementation(async (queries) => {
      const results = await run(queries);
      sent.push(results);
      return results;
    });
    const channel = new MessageChannel();
    channels.push(channel);
    exposeAggregator(aggregator, channel.port1);
    const remote = Comlink.wrap<Aggregator>(channel.port2);

    expect(await remote.open("ws_a")).toMatchObject({ events: 100 });
    const [result] = await remote.run([{ groupBy: [{ bucket: "hour" }], measures: [{ fn: "count" }] }]);
    expect(result!.measures[0]).toBeInstanceOf(Float64Array);
    expect([...result!.measures[0]!].reduce((a, b) => a + b, 0)).toBe(100);
    expect(result!.keys[0]!.kind).toBe("time");
    // the worker's copies were detached by the transfer
    expect(sent[0]![0]!.measures[0]!.byteLength).toBe(0);
    expect(JSON.parse(await remote.exportEvents({}, "json"))).toHaveLength(100);
    remote[Comlink.releaseProxy]();
  });

  it("hands each result over as soon as it is computed, transferred, and again after an incremental update", async () => {
    const store = new SegmentStore(openTestDb().db);
    await store.appendPage("ws_e", makeEvents(100), 100);
    const aggregator = new StoreAggregator(store);
    const channel = new MessageChannel();
    channels.push(channel);
    exposeAggregator(aggregator, channel.port1);
    const remote = Comlink.wrap<Aggregator>(channel.port2);
    await remote.open("ws_e");
    const queries = [{ measures: [{ fn: "count" as const }] }, { groupBy: [{ bucket: "hour" as const }], measures: [{ fn: "count" as const }] }];
    const got: [number, QueryResult][] = [];
    await remote.runEach(queries, Comlink.proxy((i: number, r: QueryResult) => void got.push([i, r])));
    // in query order, each as its own message, with real arrays
    expect(got.map(([i]) => i)).toEqual([0, 1]);
    expect(got[0]![1].measures[0]![0]).toBe(100);
    expect(got[1]![1].measures[0]).toBeInstanceOf(Float64Array);
    // rows appended: the same queries are answered incrementally, all results still handed over
    await store.appendPage("ws_e", makeEvents(10, 101), 110);
    await remote.refresh();
    got.length = 0;
    await remote.runEach(queries, Comlink.proxy((i: number, r: QueryResult) => void got.push([i, r])));
    expect(got.map(([i]) => i)).toEqual([0, 1]);
    expect(got[0]![1].measures[0]![0]).toBe(110);
    remote[Comlink.releaseProxy]();
  });

  it("answers the Product report and transfers its series' arrays", async () => {
    const store = new SegmentStore(openTestDb().db);
    const events = makeEvents(200).map((e) => ({ ...e, type: "track" as const, name: "visit", props: { user: `u${e.seq % 9}`, feature: "export" } }));
    await store.appendPage("ws_p", events, 200);
    const aggregator = new StoreAggregator(store);
    const sent: ProductReport[] = [];
    const product = aggregator.product.bind(aggregator);
    vi.spyOn(aggregator, "product").mockImplementation(async (spec) => {
      const report = await product(spec);
      sent.push(report);
      return report;
    });
    const channel = new MessageChannel();
    channels.push(channel);
    exposeAggregator(aggregator, channel.port1);
    const remote = Comlink.wrap<Aggregator>(channel.port2);

    await remote.open("ws_p");
    const report = await remote.product({ filters: [], utcOffsetMinutes: 0, now: events.at(-1)!.ts + 1, experiments: [], funnels: [] });
    expect(report.users).toBe(9);
    expect(report.active.daily.users).toBeInstanceOf(Float64Array);
    expect([...report.active.daily.users]).toEqual([9]);
    expect(report.adoption).toMatchObject([{ feature: "export", users: 9, share: 1 }]);
    // the worker's copies were detached by the transfer
    expect(sent[0]!.active.daily.users.byteLength).toBe(0);
    remote[Comlink.releaseProxy]();
  });
});

// Incremental results against full runs: a state built over some rows and
// then appended to must give exactly what the engine gives over all of them.
import { describe, expect, it } from "vitest";
import { IncrementalQueries, runQueries, sliceRows } from "../../../shared/engine/index.ts";
import type { Measure, Query, QueryResult } from "../../../shared/query.ts";
import { blocksOf, ev } from "./fixtures.ts";
import { mulberry32, randomBlocks, randomEvents, randomQuery } from "./random.ts";

/** Plain values, so that NaN equals NaN and a -0 would show against a 0. */
function plain(r: QueryResult): unknown {
  return { rows: r.rows, matched: r.matched, keys: r.keys.map((k) => ({ kind: k.kind, values: [...k.values] })), measures: r.measures.map((m) => [...m].map((v) => (Number.isNaN(v) ? "NaN" : Object.is(v, -0) ? "-0" : v))) };
}

describe("IncrementalQueries", () => {
  it("gives a full run's results after appends, whatever the cut (seeded random data and queries)", () => {
    const rand = mulberry32(77);
    let compared = 0;
    for (let dataset = 0; dataset < 40; dataset++) {
      const events = randomEvents(rand, Math.floor(rand() * 400));
      const { blocks, dict } = randomBlocks(rand, events);
      const queries: Query[] = Array.from({ length: 8 }, () => randomQuery(rand));
      // cut points: a first part, then a few appends of random sizes (some empty)
      const cuts = [Math.floor(rand() * events.length)];
      while (cuts.at(-1)! < events.length) cuts.push(Math.min(events.length, cuts.at(-1)! + Math.floor(rand() * 60)));
      const live = new IncrementalQueries(queries, sliceRows(blocks, 0, cuts[0]!), dict);
      expect(live.results(sliceRows(blocks, 0, cuts[0]!), dict).map(plain)).toEqual(runQueries(sliceRows(blocks, 0, cuts[0]!), dict, queries).map(plain));
      for (let c = 1; c < cuts.length; c++) {
        const all = sliceRows(blocks, 0, cuts[c]!);
        const got = live.append(sliceRows(blocks, cuts[c - 1]!, cuts[c]!), all, dict);
        expect(got.map(plain), JSON.stringify(queries)).toEqual(runQueries(all, dict, queries).map(plain));
        compared += queries.length;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("keeps percentiles exact when a group's values sit in both its sorted runs (groups past a thousand values)", () => {
    const rand = mulberry32(5);
    const values = (n: number, tag: number) =>
      Array.from({ length: n }, (_, i) => ev(tag * 100_000 + i, { latency_ms: Math.round(rand() * 2000) / 10, endpoint: `/e${i % 3}` }));
    const parts = [values(6000, 0), ...Array.from({ length: 12 }, (_, t) => values([1, 7, 300, 999, 1000, 2500][t % 6]!, t + 1))];
    const { blocks, dict } = blocksOf(...parts);
    const queries: Query[] = [
      { measures: ["p50", "p95", "p99"].map((fn) => ({ fn, of: { prop: "latency_ms" } }) as Measure) },
      { groupBy: [{ prop: "endpoint" }], measures: [{ fn: "p95", of: { prop: "latency_ms" } }, { fn: "min", of: { prop: "latency_ms" } }] },
    ];
    const live = new IncrementalQueries(queries, [blocks[0]!], dict);
    for (let b = 1; b < blocks.length; b++) {
      const all = blocks.slice(0, b + 1);
      expect(live.append([blocks[b]!], all, dict).map(plain)).toEqual(runQueries(all, dict, queries).map(plain));
    }
  });

  it("keeps percentiles, rates and top-N order exact across appends (hand-checked)", () => {
    const first = [ev(0, { latency_ms: 10, status: 200, endpoint: "/a" }), ev(1, { latency_ms: 30, status: 500, endpoint: "/a" }), ev(2, { latency_ms: 20, status: 200, endpoint: "/b" })];
    const more = [ev(3, { latency_ms: 40, status: 500, endpoint: "/b" }), ev(4, { latency_ms: 50, status: 500, endpoint: "/b" })];
    const { blocks, dict } = blocksOf(first, more);
    const queries: Query[] = [
      { measures: [{ fn: "count" }, { fn: "p50", of: { prop: "latency_ms" } }, { fn: "rate", where: [{ dim: { prop: "status" }, min: 500 }] }] },
      { groupBy: [{ prop: "endpoint" }], measures: [{ fn: "count" }], orderBy: { measure: 0 }, limit: 1 },
    ];
    const live = new IncrementalQueries(queries, [blocks[0]!], dict);
    let [summary, top] = live.results([blocks[0]!], dict);
    expect([...summary!.measures.map((m) => m[0])]).toEqual([3, 20, 1 / 3]);
    expect(top!.keys[0]!.values).toEqual(["/a"]);
    [summary, top] = live.append([blocks[1]!], blocks, dict);
    // 10 20 30 40 50: median 30; 3 of 5 are errors; /b now has 3 requests
    expect([...summary!.measures.map((m) => m[0])]).toEqual([5, 30, 3 / 5]);
    expect(top!.keys[0]!.values).toEqual(["/b"]);
    expect([...top!.measures[0]!]).toEqual([3]);
  });

  it("runs queries with distinct in full, over the rows it is given", () => {
    const { blocks, dict } = blocksOf([ev(0, { user: "u1" }), ev(1, { user: "u2" })], [ev(2, { user: "u1" }), ev(3, { user: "u3" })]);
    const queries: Query[] = [{ measures: [{ fn: "distinct", of: { prop: "user" } }] }];
    const live = new IncrementalQueries(queries, [blocks[0]!], dict);
    expect([...live.append([blocks[1]!], blocks, dict)[0]!.measures[0]!]).toEqual([3]);
  });
});

describe("sliceRows", () => {
  it("cuts rows across blocks as views, without copying", () => {
    const { blocks } = blocksOf([ev(0), ev(1), ev(2)], [ev(3), ev(4)]);
    const cut = sliceRows(blocks, 2, 4);
    expect(cut.map((b) => [...b.ts])).toEqual([[2], [3]]);
    expect(cut[0]!.ts.buffer).toBe(blocks[0]!.ts.buffer);
    expect(sliceRows(blocks, 5, 5)).toEqual([]);
  });
});

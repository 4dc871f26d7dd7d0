// The engine against the reference (reference.ts) on seeded random events, blocks and queries.
import { describe, expect, it } from "vitest";
import { runQueries, runQuery } from "../../../shared/engine/index.ts";
import type { Measure, Query, QueryResult } from "../../../shared/query.ts";
import { mulberry32, randomBlocks, randomEvents, randomQuery } from "./random.ts";
import { referenceQuery } from "./reference.ts";

const DATASETS = 40;
const QUERIES_PER_DATASET = 15;

/** Equal results; sums and averages within 1e-9 relative, everything else exactly. */
function expectSame(actual: QueryResult, expected: QueryResult, query: Query): void {
  const context = JSON.stringify(query);
  expect(actual.rows, context).toBe(expected.rows);
  expect(actual.matched, context).toBe(expected.matched);
  expect(actual.keys.map((k) => ({ kind: k.kind, values: [...k.values] })), context).toEqual(
    expected.keys.map((k) => ({ kind: k.kind, values: [...k.values] })),
  );
  expect(actual.measures.length, context).toBe(expected.measures.length);
  query.measures.forEach((m, i) => {
    const a = actual.measures[i]!;
    const e = expected.measures[i]!;
    expect(a.length, context).toBe(e.length);
    for (let r = 0; r < e.length; r++) {
      const x = a[r]!;
      const y = e[r]!;
      if (Number.isNaN(y)) expect(x, `${context} measure ${i} row ${r}`).toBeNaN();
      else if (m.fn === "sum" || m.fn === "avg") expect(Math.abs(x - y), `${context} measure ${i} row ${r}: ${x} vs ${y}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
      else expect(x === y, `${context} measure ${i} row ${r}: ${x} vs ${y}`).toBe(true);
    }
  });
}

describe("engine vs reference", () => {
  for (let d = 0; d < DATASETS; d++) {
    it(`dataset ${d}: ${QUERIES_PER_DATASET} random queries, one by one and all at once`, () => {
      const rand = mulberry32(1000 + d);
      const events = randomEvents(rand, Math.floor(rand() * 400));
      const { blocks, dict } = randomBlocks(rand, events);
      const queries = Array.from({ length: QUERIES_PER_DATASET }, () => randomQuery(rand));
      const expected = queries.map((q) => referenceQuery(events, q));
      queries.forEach((q, i) => expectSame(runQuery(blocks, dict, q), expected[i]!, q));
      // together they share selections and key ids, which must change nothing
      const together = runQueries(blocks, dict, queries);
      queries.forEach((q, i) => expectSame(together[i]!, expected[i]!, q));
    });
  }

  it("shares rows and key ids only between queries that ask for the same", () => {
    const rand = mulberry32(11);
    const events = randomEvents(rand, 300);
    const { blocks, dict } = randomBlocks(rand, events);
    const errors: Measure = { fn: "rate", where: [{ dim: { prop: "status" }, min: 500 }] };
    const day: Query = { groupBy: [{ bucket: "day" }, { prop: "protocol" }], measures: [{ fn: "count" }, errors] };
    const queries: Query[] = [
      { measures: [errors] },
      day,
      { ...day, utcOffsetMinutes: 60 },
      { ...day, filters: [{ dim: { prop: "status" }, min: 500 }] },
      { ...day, filters: [{ dim: { prop: "status" }, max: 500 }], utcOffsetMinutes: 60 },
      { ...day, types: ["request"] },
      day,
    ];
    runQueries(blocks, dict, queries).forEach((r, i) => expectSame(r, referenceQuery(events, queries[i]!), queries[i]!));
  });

  it("keeps earlier results intact when later runs reuse work memory", () => {
    const rand = mulberry32(7);
    const events = randomEvents(rand, 300);
    const { blocks, dict } = randomBlocks(rand, events);
    const query: Query = { groupBy: [{ bucket: "day" }, { prop: "protocol" }], measures: [{ fn: "count" }, { fn: "p50", of: { prop: "latency" } }] };
    const first = runQuery(blocks, dict, query);
    const copy = structuredClone(first);
    for (let i = 0; i < 5; i++) runQuery(blocks, dict, randomQuery(rand));
    expect(first).toEqual(copy);
    expectSame(first, referenceQuery(events, query), query);
  });
});

describe("engine vs reference at larger sizes", () => {
  // enough values per group for the radix percentile path, enough keys for the Map fallbacks
  // (pairs of keys, distinct values, minute buckets spread over a decade)
  const rand = mulberry32(99);
  const base = randomEvents(rand, 6000);
  const decade = 10 * 365 * 86_400_000;
  const events = base.map((e, i) => ({
    ...e,
    ts: i % 10 === 0 ? e.ts - Math.floor(rand() * decade) : e.ts,
    props: { ...e.props, user: `u${Math.floor(rand() * 400)}`, session: Math.floor(rand() * 400), ms: Math.round(rand() * rand() * 5000) / 10 },
  }));
  const { blocks, dict } = randomBlocks(rand, events);
  const ms = { prop: "ms" };
  const queries: Query[] = [
    { measures: [{ fn: "p50", of: ms }, { fn: "p95", of: ms }, { fn: "p99", of: ms }, { fn: "sum", of: ms }] },
    { groupBy: [{ field: "type" }], measures: [{ fn: "p50", of: ms }, { fn: "p99", of: ms }, { fn: "distinct", of: { prop: "user" } }] },
    { groupBy: [{ prop: "user" }, { prop: "session" }], measures: [{ fn: "count" }, { fn: "max", of: ms }], orderBy: { measure: 1 }, limit: 50 },
    { groupBy: [{ prop: "session" }], measures: [{ fn: "distinct", of: { prop: "user" } }, { fn: "p95", of: ms }] },
    { groupBy: [{ bucket: "minute" }], measures: [{ fn: "count" }], orderBy: { measure: 0 }, limit: 30 },
    { groupBy: [{ bucket: "month" }, { prop: "protocol" }], measures: [{ fn: "rate", where: [{ dim: { prop: "status" }, min: 500 }] }], utcOffsetMinutes: -570 },
  ];
  it.each(queries.map((q, i) => [i, q] as const))("query %i", (_, query) => {
    expectSame(runQuery(blocks, dict, query), referenceQuery(events, query), query);
  });
});

// Hand-checked engine results: each expected value below was worked out by hand.
import { describe, expect, it } from "vitest";
import { NONE_LABEL, runQuery } from "../../../shared/engine/index.ts";
import type { Filter, Query } from "../../../shared/query.ts";
import { blocksOf, ev } from "./fixtures.ts";

const H = 3_600_000;
const T0 = "2026-11-16T10:00:00Z"; // a Monday

function run(query: Query, ...groups: Parameters<typeof blocksOf>) {
  const { blocks, dict } = blocksOf(...groups);
  return runQuery(blocks, dict, query);
}

describe("percentiles (linear interpolation between closest ranks)", () => {
  it.each([
    [[1, 2, 3, 4], 2.5, 3.85, 3.97],
    [[5, 1, 3], 3, 4.8, 4.96],
    [[10], 10, 10, 10],
    [[7, 7, 7, 7, 7], 7, 7, 7],
    [[-10, 0, 10, 20], 5, 18.5, 19.7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10.5, 10.9],
  ])("of %j: p50 %d, p95 %d, p99 %d", (values, p50, p95, p99) => {
    const r = run(
      { measures: [{ fn: "p50", of: { prop: "ms" } }, { fn: "p95", of: { prop: "ms" } }, { fn: "p99", of: { prop: "ms" } }] },
      values.map((ms) => ev(T0, { ms })),
    );
    expect(r.measures[0]![0]).toBe(p50);
    expect(r.measures[1]![0]).toBeCloseTo(p95, 12);
    expect(r.measures[2]![0]).toBeCloseTo(p99, 12);
  });

  it("skip events without the value, and are NaN when there is none", () => {
    const r = run({ measures: [{ fn: "p50", of: { prop: "ms" } }, { fn: "p99", of: { prop: "nothing" } }] }, [ev(T0, { ms: 4 }), ev(T0), ev(T0, { ms: 8 })]);
    expect(r.measures[0]![0]).toBe(6);
    expect(r.measures[1]![0]).toBeNaN();
  });
});

describe("time buckets", () => {
  const how = (iso: string, utcOffsetMinutes = 0) =>
    run({ groupBy: [{ bucket: "hour-of-week" }], measures: [{ fn: "count" }], utcOffsetMinutes }, [ev(iso)]).keys[0]!.values[0];

  it.each([
    ["2026-11-16T00:00:00Z", 0, 0], // Monday 00:00
    ["2026-11-16T10:59:59Z", 0, 10],
    ["2026-11-18T13:00:00Z", 0, 2 * 24 + 13], // Wednesday 13:00
    ["2026-11-22T23:30:00Z", 0, 167], // Sunday 23:30
    ["2026-11-16T23:30:00Z", 60, 24], // Monday 23:30 UTC is Tuesday 00:30 at +01:00
    ["2026-11-16T00:30:00Z", -60, 167], // and Monday 00:30 UTC is Sunday 23:30 at -01:00
    ["2026-11-16T18:45:00Z", 330, 24], // +05:30: Tuesday 00:15
  ])("hour-of-week of %s at %d minutes is %d", (iso, offset, expected) => {
    expect(how(iso, offset)).toBe(expected);
  });

  it("puts months in the local calendar, across a year end", () => {
    const events = [ev("2025-12-31T22:30:00Z"), ev("2025-12-31T23:30:00Z"), ev("2026-01-15T00:00:00Z")];
    const utc = run({ groupBy: [{ bucket: "month" }], measures: [{ fn: "count" }] }, events);
    expect([...utc.keys[0]!.values]).toEqual([Date.UTC(2025, 11, 1), Date.UTC(2026, 0, 1)]);
    expect([...utc.measures[0]!]).toEqual([2, 1]);
    const paris = run({ groupBy: [{ bucket: "month" }], measures: [{ fn: "count" }], utcOffsetMinutes: 60 }, events);
    expect([...paris.keys[0]!.values]).toEqual([Date.UTC(2025, 11, 1) - H, Date.UTC(2026, 0, 1) - H]);
    expect([...paris.measures[0]!]).toEqual([1, 2]);
  });

  it("starts weeks on Monday", () => {
    const r = run({ groupBy: [{ bucket: "week" }], measures: [{ fn: "count" }] }, [
      ev("2025-12-29T00:00:00Z"), // Monday
      ev("2026-01-01T12:00:00Z"), // Thursday
      ev("2026-01-04T23:59:59Z"), // Sunday
      ev("2026-01-05T00:00:00Z"), // the next Monday
    ]);
    expect([...r.keys[0]!.values]).toEqual([Date.UTC(2025, 11, 29), Date.UTC(2026, 0, 5)]);
    expect([...r.measures[0]!]).toEqual([3, 1]);
  });

  it("starts local days and weeks at local midnight", () => {
    const r = run({ groupBy: [{ bucket: "day" }, { bucket: "week" }], measures: [{ fn: "count" }], utcOffsetMinutes: -300 }, [ev("2026-01-05T03:00:00Z")]);
    // 03:00 UTC Monday is 22:00 Sunday in New York: Sunday's day, and the week of Monday Dec 29
    expect(r.keys[0]!.values[0]).toBe(Date.UTC(2026, 0, 4) + 5 * H);
    expect(r.keys[1]!.values[0]).toBe(Date.UTC(2025, 11, 29) + 5 * H);
  });

  it("keeps minute, 5m and hour buckets in UTC", () => {
    const r = run({ groupBy: [{ bucket: "5m" }, { bucket: "hour" }], measures: [{ fn: "count" }], utcOffsetMinutes: 330 }, [ev("2026-01-05T03:07:30Z")]);
    expect(r.keys[0]!.values[0]).toBe(Date.parse("2026-01-05T03:05:00Z"));
    expect(r.keys[1]!.values[0]).toBe(Date.parse("2026-01-05T03:00:00Z"));
  });
});

describe("measures", () => {
  const statuses = [200, 500, 503, 404].map((status) => ev(T0, { status, user: status === 404 ? "b" : "a" }));

  it("rate is the share of the group's events matching where", () => {
    const r = run({ measures: [{ fn: "rate", where: [{ dim: { prop: "status" }, min: 500 }] }] }, statuses);
    expect(r.measures[0]![0]).toBe(0.5);
  });

  it("distinct counts present values", () => {
    const r = run({ measures: [{ fn: "distinct", of: { prop: "user" } }, { fn: "distinct", of: { prop: "none" } }] }, [...statuses, ev(T0)]);
    expect([r.measures[0]![0], r.measures[1]![0]]).toEqual([2, 0]);
  });

  it("sum of nothing is 0, and avg, min and max of nothing are NaN", () => {
    const r = run({ measures: (["sum", "avg", "min", "max"] as const).map((fn) => ({ fn, of: { prop: "ms" } })) }, [ev(T0)]);
    expect(r.measures[0]![0]).toBe(0);
    for (const m of r.measures.slice(1)) expect(m[0]).toBeNaN();
  });

  it("sum, avg, min and max over present values", () => {
    const r = run({ measures: (["sum", "avg", "min", "max"] as const).map((fn) => ({ fn, of: { prop: "ms" } })) }, [ev(T0, { ms: 3 }), ev(T0), ev(T0, { ms: -1.5 }), ev(T0, { ms: 10 })]);
    expect(r.measures.map((m) => m[0])).toEqual([11.5, 11.5 / 3, -1.5, 10]);
  });

  it("an ungrouped query that matches nothing still has its one row", () => {
    const r = run({ types: ["job"], measures: [{ fn: "count" }, { fn: "rate", where: [] }] }, statuses);
    expect(r.rows).toBe(1);
    expect(r.matched).toBe(0);
    expect(r.measures[0]![0]).toBe(0);
    expect(r.measures[1]![0]).toBeNaN();
  });
});

describe("filters and labels", () => {
  // block 1 stores status as numbers; block 2 has a "timeout", so its statuses are text
  const mixed = [
    [ev(T0, { status: 500 }), ev(T0, { status: 200 })],
    [ev(T0, { status: "500" }), ev(T0, { status: "timeout" }), ev(T0)],
  ];
  const count = (filters: Filter[]) => run({ filters, measures: [{ fn: "count" }] }, ...mixed).matched;

  it("matches numeric and text statuses alike", () => {
    expect(count([{ dim: { prop: "status" }, in: ["500"] }])).toBe(2);
    expect(count([{ dim: { prop: "status" }, in: [500] }])).toBe(2);
    expect(count([{ dim: { prop: "status" }, in: ["500.0"] }])).toBe(0);
    expect(count([{ dim: { prop: "status" }, min: 400 }])).toBe(2);
    expect(count([{ dim: { prop: "status" }, min: 100, max: 500 }])).toBe(1);
  });

  it("a value missing from the dictionary matches nothing, and notIn it matches everything", () => {
    expect(count([{ dim: { prop: "status" }, in: ["nope"] }])).toBe(0);
    expect(count([{ dim: { prop: "status" }, notIn: ["nope"] }])).toBe(5);
    expect(count([{ dim: { prop: "absent-everywhere" }, in: ["x"] }])).toBe(0);
  });

  it("notIn keeps events without the prop", () => {
    expect(count([{ dim: { prop: "status" }, notIn: [500, 200, "timeout"] }])).toBe(1);
  });

  it("present tests for a value at all, in numeric and text columns alike", () => {
    // block 1: two numeric statuses; block 2: two text statuses and one event without
    expect(count([{ dim: { prop: "status" }, present: true }])).toBe(4);
    expect(count([{ dim: { prop: "status" }, present: false }])).toBe(1);
    expect(count([{ dim: { prop: "absent-everywhere" }, present: true }])).toBe(0);
    expect(count([{ dim: { prop: "absent-everywhere" }, present: false }])).toBe(5);
    expect(count([{ dim: { field: "name" }, present: true }])).toBe(5);
    expect(count([{ dim: { field: "type" }, present: false }])).toBe(0);
    // the dictionary's first entry (code 0, "GET /x" here, as a name and as a prop) is a value like any other
    const first = run({ filters: [{ dim: { prop: "env" }, present: true }], measures: [{ fn: "count" }] }, [ev(T0, { env: "GET /x" }), ev(T0)]);
    expect(first.matched).toBe(1);
  });

  it("filters on name and type", () => {
    const r = run({ filters: [{ dim: { field: "type" }, in: ["job"] }, { dim: { field: "name" }, notIn: ["b"] }], measures: [{ fn: "count" }] }, [
      ev(T0, {}, "job", "a"),
      ev(T0, {}, "job", "b"),
      ev(T0, {}, "request", "a"),
    ]);
    expect(r.matched).toBe(1);
  });

  it("groups a prop by its text across column kinds, absent as (none)", () => {
    const r = run({ groupBy: [{ prop: "status" }], measures: [{ fn: "count" }] }, ...mixed);
    expect(r.keys[0]).toEqual({ kind: "label", values: [NONE_LABEL, "200", "500", "timeout"] });
    expect([...r.measures[0]!]).toEqual([1, 1, 2, 1]);
  });

  it("ranges keep [from, to)", () => {
    const r = run({ range: { from: Date.parse(T0), to: Date.parse(T0) + H }, measures: [{ fn: "count" }] }, [ev(Date.parse(T0) - 1), ev(T0), ev(Date.parse(T0) + H - 1), ev(Date.parse(T0) + H)]);
    expect(r.matched).toBe(2);
  });
});

describe("ordering", () => {
  const events = ["b", "a", "c", "a", "c", "d"].map((endpoint, i) => ev(T0, { endpoint, ms: i === 5 ? 1 : 0 }));

  it("orders by keys by default", () => {
    expect(run({ groupBy: [{ prop: "endpoint" }], measures: [{ fn: "count" }] }, events).keys[0]!.values).toEqual(["a", "b", "c", "d"]);
  });

  it("orders by a measure descending, ties by key, then limits", () => {
    const r = run({ groupBy: [{ prop: "endpoint" }], measures: [{ fn: "count" }], orderBy: { measure: 0 }, limit: 3 }, events);
    expect(r.keys[0]!.values).toEqual(["a", "c", "b"]);
    expect([...r.measures[0]!]).toEqual([2, 2, 1]);
  });

  it("puts NaN last whichever the direction", () => {
    const query = (asc: boolean): Query => ({ groupBy: [{ prop: "endpoint" }], measures: [{ fn: "avg", of: { prop: "ms" } }], orderBy: { measure: 0, asc } });
    const withNaN = [...events, ev(T0, { endpoint: "e" })];
    expect(run(query(true), withNaN).keys[0]!.values).toEqual(["a", "b", "c", "d", "e"]);
    expect(run(query(false), withNaN).keys[0]!.values).toEqual(["d", "a", "b", "c", "e"]);
  });

  it("rejects an orderBy that names no measure", () => {
    expect(() => run({ groupBy: [{ prop: "endpoint" }], measures: [{ fn: "count" }], orderBy: { measure: 1 } }, events)).toThrow(RangeError);
  });
});

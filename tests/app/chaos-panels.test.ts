// The Chaos & alerts panels: query builders and readers run through the real
// engine over hand-built events. (views/chaos-data.ts only composes these; it
// imports the session's types, which tests/app's tsconfig cannot compile.)
import { describe, expect, it } from "vitest";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import { runQueries } from "../../shared/engine/index.ts";
import type { EventType, Props, StoredEvent } from "../../shared/event.ts";
import { measureImpact } from "../../shared/impact.ts";
import { CHAOS_PANELS, faultEndpointRows, faultKindRows, faultSpan, peakBucket, readChaosSummary } from "../../app/src/panels/chaos.ts";
import { affectedEndpoints, impactContext, impactPanelQueries, readImpact } from "../../app/src/panels/chaos-impact.ts";
import { affectedEndpointsTable, latencyTable } from "../../app/src/panels/chaos-tables.ts";
import { buildPanels } from "../../app/src/panels/panel-set.ts";
import { bucketGrid, countsByLabel } from "../../app/src/panels/time-series.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 20, 10); // an hour boundary
const RANGE = { from: T0, to: T0 + 6 * HOUR };

let seq = 0;
function ev(ts: number, type: EventType, props: Props): StoredEvent {
  seq++;
  return { seq, id: `e${seq}`, ts, received_at: ts, type, name: type, props };
}
const fault = (ts: number, props: Props) => ev(ts, "chaos", props);
const request = (ts: number, endpoint: string, latency: number, status = 200) => ev(ts, "request", { endpoint, latency_ms: latency, status, method: "GET" });

// faults in hours 1 and 3 of the range; one before the range, one without a kind
const FAULTS = [
  fault(T0 - 10 * MIN, { fault: "latency", endpoint: "/users" }),
  fault(T0 + HOUR + 5 * MIN, { fault: "latency", endpoint: "/users", delay_ms: 200 }),
  fault(T0 + HOUR + 6 * MIN, { fault: "latency", endpoint: "/users", delay_ms: 400 }),
  fault(T0 + HOUR + 7 * MIN, { fault: "error", endpoint: "/orders" }),
  ...[1, 2, 3, 4].map((i) => fault(T0 + 3 * HOUR + i * MIN, { fault: "error", endpoint: "/orders" })),
  fault(T0 + 3 * HOUR + 30 * MIN, { endpoint: "/users" }),
];
// the span is [T0 + 1h, T0 + 4h): requests inside it are slow and failing; the 24 h before it are calm
const DURING = [
  request(T0 + HOUR + 10 * MIN, "/users", 300),
  request(T0 + HOUR + 20 * MIN, "/users", 500),
  request(T0 + 2 * HOUR, "/orders", 100, 503),
  request(T0 + 3 * HOUR + 59 * MIN, "/orders", 100),
];
const BEFORE = [10, 20, 30, 40].map((l, i) => request(T0 - (i + 1) * HOUR, "/users", l));
// after the span: not counted as "during faults"
const AFTER = [request(T0 + 5 * HOUR, "/users", 9000)];
const EVENTS = [...BEFORE, ...FAULTS, ...DURING, ...AFTER].sort((a, b) => a.ts - b.ts);

function engine(events: StoredEvent[] = EVENTS) {
  const dict = newDictionary();
  const blocks = [encodeBlock(events, dict)];
  return { blocks, dict, run: (queries: Parameters<typeof runQueries>[2]) => runQueries(blocks, dict, queries) };
}

const ctx = { selection: { range: RANGE, types: ["chaos" as const], filters: [] }, bucket: "hour" as const, offsetMinutes: 0 };

describe("chaos panels", () => {
  const { run, blocks, dict } = engine();
  const panels = buildPanels(CHAOS_PANELS, ctx);
  const r = panels.name(run(panels.queries));
  const faults = countsByLabel(r.faultsOverTime, bucketGrid(RANGE, "hour", 0));

  it("counts faults in the range, their kinds and endpoints", () => {
    // the fault before the range is not counted; the one without a kind is
    expect(readChaosSummary(r.summary)).toEqual({ faults: 8, kinds: 2, endpoints: 2 });
  });

  it("buckets faults by kind, one series each, with every bucket of the range", () => {
    expect(faults.xs).toEqual([0, 1, 2, 3, 4, 5].map((h) => (T0 + h * HOUR) / 1000));
    const byLabel = Object.fromEntries(faults.series.map((s) => [s.label, s.values]));
    expect(byLabel).toEqual({ error: [0, 1, 0, 4, 0, 0], latency: [0, 2, 0, 0, 0, 0], "(none)": [0, 0, 0, 1, 0, 0] });
  });

  it("lists fault kinds most frequent first, with the average injected delay", () => {
    const kinds = faultKindRows(r.faultKinds);
    expect(kinds.map((k) => [k.fault, k.faults])).toEqual([
      ["error", 5],
      ["latency", 2],
      ["(none)", 1],
    ]);
    expect(kinds[1]!.avgDelayMs).toBe(300);
    expect(kinds[0]!.avgDelayMs).toBeNaN();
  });

  it("ranks endpoints by faults received", () => {
    expect(faultEndpointRows(r.endpoints)).toEqual([
      { endpoint: "/orders", faults: 5, kinds: 1 },
      // a fault without a kind adds no kind
      { endpoint: "/users", faults: 3, kinds: 1 },
    ]);
  });

  it("finds the peak bucket and the span faults were injected in", () => {
    expect(peakBucket(faults)).toEqual({ at: T0 + 3 * HOUR, faults: 5 });
    expect(faultSpan(faults, "hour", RANGE)).toEqual({ from: T0 + HOUR, to: T0 + 4 * HOUR });
  });

  it("measures requests during the span against the 24 hours before, and scores the impact as shared/impact.ts does", () => {
    const span = faultSpan(faults, "hour", RANGE)!;
    const ictx = impactContext(span, [], ["/orders", "/users"]);
    expect(ictx.baseline).toEqual({ from: span.from - 24 * HOUR, to: span.from });
    const data = readImpact(ictx, run(impactPanelQueries(ictx)));
    // latencies 100, 100, 300, 500 (exact, interpolated percentiles); the 9000 ms request after the span is left out
    expect(data.during).toMatchObject({ requests: 4, p50: 200, avg: 250 });
    expect(data.during.p95).toBeCloseTo(470, 9);
    expect(data.during.p99).toBeCloseTo(494, 9);
    expect(data.baseline).toMatchObject({ requests: 4, avg: 25 });
    expect(data.baseline.p95).toBeCloseTo(38.5, 9);
    expect(data.impact).toEqual(measureImpact(blocks, dict, span, ictx.baseline));
    // 8 faults in the span (the one without a kind too) over 4 requests
    expect(data.impact.inputs).toMatchObject({ requests: 4, faults: 8, error_rate: 0.25 });
    expect(data.impact.score).toBeGreaterThan(75);

    const rows = affectedEndpoints(faultEndpointRows(r.endpoints), data);
    expect(rows).toEqual([
      { endpoint: "/orders", faults: 5, kinds: 1, requests: 2, faultRate: 2.5, errorRate: 0.5, p95: 100 },
      { endpoint: "/users", faults: 3, kinds: 1, requests: 2, faultRate: 1.5, errorRate: 0, p95: expect.closeTo(490, 9) },
    ]);
    expect(affectedEndpointsTable(rows).rows[0]).toEqual(["/orders", 5, 1, 2, 2.5, 0.5, 100]);
    expect(latencyTable(data).rows.map((row) => row[0])).toEqual(["during_faults", "baseline"]);
  });

  it("has no peak and no span without faults, and clips the span to the range", () => {
    const empty = { xs: [1, 2], series: [{ label: "error", values: [0, 0] }] };
    expect(peakBucket(empty)).toBeNull();
    expect(faultSpan(empty, "hour", RANGE)).toBeNull();
    // a day bucket starting before the range: the span starts where the range does
    const day = { xs: [(T0 - 10 * HOUR) / 1000], series: [{ label: "error", values: [3] }] };
    expect(faultSpan(day, "day", RANGE)).toEqual(RANGE);
    // months have no fixed size: the span runs to the end of the range
    expect(faultSpan({ xs: [(T0 + HOUR) / 1000], series: [{ label: "x", values: [1] }] }, "month", RANGE)).toEqual({ from: T0 + HOUR, to: RANGE.to });
  });

  it("applies the filter bar's props to faults and requests alike", () => {
    const users = [{ dim: { prop: "endpoint" }, in: ["/users"] }];
    const p = buildPanels(CHAOS_PANELS, { ...ctx, selection: { ...ctx.selection, filters: users } });
    const f = p.name(run(p.queries));
    expect(readChaosSummary(f.summary).faults).toBe(3);
    const span = faultSpan(countsByLabel(f.faultsOverTime, bucketGrid(RANGE, "hour", 0)), "hour", RANGE)!;
    const ictx = impactContext(span, users, faultEndpointRows(f.endpoints).map((e) => e.endpoint));
    const queries = impactPanelQueries(ictx);
    expect(queries.every((q) => q.filters?.some((x) => "in" in x && x.in.includes("/users")))).toBe(true);
    const data = readImpact(ictx, run(queries));
    expect(data.during.requests).toBe(2);
    expect(data.impact.inputs.faults).toBe(3);
  });

  it("leaves endpoints without requests in the span undefined, not zero", () => {
    expect(affectedEndpoints([{ endpoint: "/quiet", faults: 2, kinds: 1 }], undefined)).toEqual([{ endpoint: "/quiet", faults: 2, kinds: 1, requests: 0, faultRate: NaN, errorRate: NaN, p95: NaN }]);
  });
});

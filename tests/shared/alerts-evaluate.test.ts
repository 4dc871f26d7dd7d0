// Each rule type on small hand-built blocks, just at and just past its threshold.
import { describe, expect, it } from "vitest";
import { alertRule, evaluateRule, type AlertRule, type AlertRuleInput } from "../../shared/alerts.ts";
import type { EventType, Props, StoredEvent } from "../../shared/event.ts";
import { blocksOf, ev } from "./engine/fixtures.ts";

const NOW = Date.parse("2026-11-20T12:00:00Z");
const M = 60_000;
const W = 5; // minutes

type RuleFields = { type: AlertRuleInput["type"]; threshold: number } & Record<string, unknown>;
const rule = (fields: RuleFields): AlertRule => alertRule.parse({ id: "r", name: "r", severity: "warning", window_minutes: W, ...fields });

/** `n` events spread over the window, with props from `props(i)`. */
function spread(n: number, props: (i: number) => Props = () => ({}), type: EventType = "request"): StoredEvent[] {
  return Array.from({ length: n }, (_, i) => ev(NOW - W * M + Math.floor((i * W * M) / n), props(i), type));
}

function evaluate(r: AlertRule, ...groups: StoredEvent[][]) {
  const { blocks, dict } = blocksOf(...groups);
  return evaluateRule(r, blocks, dict, NOW);
}

describe("event_rate", () => {
  const twoPerMinute = rule({ type: "event_rate", threshold: 2 });

  it("fires only strictly above the rate", () => {
    // 10 requests / 5 min = 2/min: at the threshold, not above it
    expect(evaluate(twoPerMinute, spread(10))).toMatchObject({ value: 2, firing: false });
    // 11 / 5 = 2.2
    expect(evaluate(twoPerMinute, spread(11))).toMatchObject({ value: 2.2, firing: true });
  });

  it("looks at [now − window, now): the start counts, now does not", () => {
    const ten = spread(10);
    expect(evaluate(twoPerMinute, ten, [ev(NOW)]).value).toBe(2);
    expect(evaluate(twoPerMinute, ten, [ev(NOW - W * M - 1)]).value).toBe(2);
    expect(evaluate(twoPerMinute, ten, [ev(NOW - W * M)])).toMatchObject({ value: 2.2, firing: true });
  });

  it("counts only its event type", () => {
    const tests = spread(11, () => ({}), "test");
    expect(evaluate(twoPerMinute, tests).value).toBe(0);
    expect(evaluate(rule({ type: "event_rate", threshold: 2, event_type: "test" }), tests)).toMatchObject({ value: 2.2, firing: true });
  });

  it("fires strictly below the rate with direction below", () => {
    const tooQuiet = rule({ type: "event_rate", threshold: 2, direction: "below" });
    expect(evaluate(tooQuiet, spread(10)).firing).toBe(false);
    expect(evaluate(tooQuiet, spread(9))).toMatchObject({ value: 1.8, firing: true });
    expect(evaluate(tooQuiet, []).value).toBe(0);
  });

  it("applies its filters", () => {
    const events = spread(11, (i) => ({ env: i < 6 ? "prod" : "staging" }));
    const prod = rule({ type: "event_rate", threshold: 1, filters: [{ dim: { prop: "env" }, in: ["prod"] }] });
    // 6 / 5 = 1.2
    expect(evaluate(prod, events)).toMatchObject({ value: 1.2, firing: true });
    expect(evaluate(rule({ ...prod, threshold: 1.2 }), events).firing).toBe(false);
  });
});

describe("latency", () => {
  const slow = rule({ type: "latency", threshold: 500 });
  const ms = (...values: number[]) => spread(values.length, (i) => ({ latency_ms: values[i]! }));

  it("compares p95 by default, strictly above", () => {
    expect(evaluate(slow, ms(500, 500, 500))).toMatchObject({ value: 500, firing: false });
    // p95 of [500, 500, 501]: rank 2 × 0.95 = 1.9 → 500 + 0.9 × 1 = 500.9
    const r = evaluate(slow, ms(500, 500, 501));
    expect(r.value).toBeCloseTo(500.9, 9);
    expect(r.firing).toBe(true);
    expect(r.detail).toMatch(/p95 latency 501 ms over 5 min \(threshold 500 ms\)/);
  });

  it("uses the chosen percentile", () => {
    const events = ms(100, 100, 900);
    expect(evaluate(rule({ type: "latency", threshold: 500, percentile: "p50" }), events)).toMatchObject({ value: 100, firing: false });
    // p99: rank 1.98 → 100 + 0.98 × 800 = 884
    expect(evaluate(rule({ type: "latency", threshold: 500, percentile: "p99" }), events).value).toBeCloseTo(884, 9);
  });

  it("has no value without latencies, and does not fire", () => {
    const r = evaluate(slow, spread(3), [ev(NOW - M, { latency_ms: 9000 }, "chaos")]);
    expect(r).toMatchObject({ value: null, firing: false });
    expect(r.detail).toMatch(/no data/);
  });
});

describe("fault_rate", () => {
  const faulty = rule({ type: "fault_rate", threshold: 0.2 });
  const faults = (n: number) => spread(n, () => ({ fault: "error" }), "chaos");

  it("is faults per request, firing strictly above", () => {
    expect(evaluate(faulty, spread(10), faults(2))).toMatchObject({ value: 0.2, firing: false });
    expect(evaluate(faulty, spread(10), faults(3))).toMatchObject({ value: 0.3, firing: true });
  });

  it("has no value without requests", () => {
    expect(evaluate(faulty, faults(3))).toMatchObject({ value: null, firing: false });
  });
});

describe("rate_limit", () => {
  const limited = rule({ type: "rate_limit", threshold: 0.25 });
  const statuses = (...s: (number | string)[]) => spread(s.length, (i) => ({ status: s[i]! }));

  it("is the share of 429s, firing strictly above", () => {
    expect(evaluate(limited, statuses(200, 429, 503, 500))).toMatchObject({ value: 0.25, firing: false });
    expect(evaluate(limited, statuses(200, 429, "429", 503))).toMatchObject({ value: 0.5, firing: true });
  });

  it("has no value without requests", () => {
    expect(evaluate(limited, []).value).toBeNull();
  });
});

describe("endpoint", () => {
  const users = rule({ type: "endpoint", threshold: 0.5, endpoint: "/users/{id}" });
  const call = (endpoint: string, status: number, method = "GET") => ({ endpoint, status, method });

  it("is the server error rate of that endpoint, firing strictly above", () => {
    const calls = [call("/users/{id}", 500), call("/users/{id}", 503), call("/users/{id}", 499), call("/users/{id}", 200), call("/orders", 500)];
    expect(evaluate(users, spread(calls.length, (i) => calls[i]!))).toMatchObject({ value: 0.5, firing: false });
    calls[2] = call("/users/{id}", 502);
    expect(evaluate(users, spread(calls.length, (i) => calls[i]!))).toMatchObject({ value: 0.75, firing: true });
  });

  it("narrows to a method when given", () => {
    const calls = [call("/users/{id}", 500, "POST"), call("/users/{id}", 500, "POST"), call("/users/{id}", 200)];
    const events = spread(calls.length, (i) => calls[i]!);
    expect(evaluate(users, events).value).toBeCloseTo(2 / 3, 12);
    const get = evaluate(rule({ ...users, method: "GET" }), events);
    expect(get).toMatchObject({ value: 0, firing: false });
    expect(get.detail).toMatch(/^GET \/users\/\{id\}: 0% server errors in 1 requests/);
  });

  it("has no value when the endpoint saw no requests", () => {
    expect(evaluate(users, spread(3, () => call("/orders", 500))).value).toBeNull();
  });
});

describe("impact", () => {
  // baseline: 4 requests at 100 ms, no errors, in the day before the window;
  // window: 10 requests at 200 ms, one a 500, and 2 faults → score 85.264 (see impact.test.ts)
  const events = () => [
    ...[1, 2, 3, 4].map((h) => ev(NOW - W * M - h * 3_600_000, { latency_ms: 100, status: 200 })),
    ...spread(10, (i) => ({ latency_ms: 200, status: i === 0 ? 500 : 200 })),
    ...spread(2, () => ({ fault: "latency" }), "chaos"),
  ];

  it("fires when the score is above the threshold", () => {
    const r = evaluate(rule({ type: "impact", threshold: 85 }), events());
    expect(r.value).toBeCloseTo(85.264, 3);
    expect(r.firing).toBe(true);
    expect(r.detail).toMatch(/impact 85.3 \(critical\)/);
    expect(evaluate(rule({ type: "impact", threshold: 85.3 }), events()).firing).toBe(false);
  });

  it("compares with baseline_minutes before the window", () => {
    // a 1-hour baseline holds only the request 1 h before: the same p95 and errors, the same score
    expect(evaluate(rule({ type: "impact", threshold: 50, baseline_minutes: 60 }), events()).value).toBeCloseTo(85.264, 3);
    // a 30-minute baseline holds none: latency has no reference and drops out,
    // 1 − (1 − 0.3c)(1 − c) with c = 1 − e^−1: 1 − 0.81036383 × 0.36787944 = 0.70188
    expect(evaluate(rule({ type: "impact", threshold: 50, baseline_minutes: 30 }), events()).value).toBeCloseTo(70.188, 3);
  });
});

it("reports the window it measured", () => {
  expect(evaluate(rule({ type: "fault_rate", threshold: 0.5 }), []).window).toEqual({ from: NOW - W * M, to: NOW });
});

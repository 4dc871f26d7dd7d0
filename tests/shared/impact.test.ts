// The impact score, worked out by hand. With c = 1 − e^−1 = 0.63212056, each
// component at x = k scores w·c: faults 30c = 18.963617, latency 80c = 50.569645,
// errors 100c = 63.212056.
import { describe, expect, it } from "vitest";
import { baselineBefore, IMPACT, impactLevel, impactScore, measureImpact, type ImpactInputs } from "../../shared/impact.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { blocksOf, ev } from "./engine/fixtures.ts";

const c = 1 - Math.exp(-1);
const calm = { p95_ms: 100, error_rate: 0.05 };
const inputs = (over: Partial<ImpactInputs>): ImpactInputs => ({ requests: 100, faults: 0, ...calm, baseline: calm, ...over });

describe("impactScore", () => {
  it.each([
    // no faults, p95 and errors as in the baseline: nothing to see
    ["nothing changed", inputs({}), 0, "none"],
    // 20 faults / 100 requests = 0.2 = kF → 100 × 0.3 × c
    ["faults alone", inputs({ faults: 20 }), 18.963617, "low"],
    // (200 − 100) / max(100, 50) = 1 = kL → 100 × 0.8 × c
    ["added latency alone", inputs({ p95_ms: 200 }), 50.569645, "high"],
    // 0.15 − 0.05 = 0.1 = kE → 100 × 1 × c
    ["error increase alone", inputs({ error_rate: 0.15 }), 63.212056, "high"],
    // 1 − (1 − 0.18963617)(1 − 0.50569645)(1 − 0.63212056)
    //   = 1 − 0.81036383 × 0.49430355 × 0.36787944 = 1 − 0.14736 = 0.85264
    ["all three at their scale", inputs({ faults: 20, p95_ms: 200, error_rate: 0.15 }), 85.2640, "critical"],
    // faster and fewer errors than the baseline: improvements never count
    ["improvements", inputs({ p95_ms: 40, error_rate: 0 }), 0, "none"],
    // baseline p95 0 ms: the 50 ms floor, (25 − 0) / 50 = 0.5 → 80 × (1 − e^−0.5) = 80 × 0.39346934
    ["zero baseline latency", inputs({ p95_ms: 25, baseline: { p95_ms: 0, error_rate: 0.05 } }), 31.477547, "medium"],
    // baseline 20 ms: (70 − 20) / max(20, 50) = 1 → 80c, not the 2.5 a bare ratio would give
    ["fast baseline", inputs({ p95_ms: 70, baseline: { p95_ms: 20, error_rate: 0.05 } }), 50.569645, "high"],
    // zero baseline error rate: 0.1 − 0 = 0.1 → 100c
    ["zero baseline error rate", inputs({ error_rate: 0.1, baseline: { p95_ms: 100, error_rate: 0 } }), 63.212056, "high"],
    // no baseline at all: latency has no reference (0), errors count in full (0.1 → 100c)
    ["no baseline", inputs({ p95_ms: 900, error_rate: 0.1, baseline: { p95_ms: null, error_rate: null } }), 63.212056, "high"],
    // NaN is read as "no data", like null
    ["NaN baseline", inputs({ p95_ms: 900, error_rate: 0.1, baseline: { p95_ms: NaN, error_rate: NaN } }), 63.212056, "high"],
    // no requests: nothing was hurt, whatever the faults
    ["no traffic", { requests: 0, faults: 50, p95_ms: null, error_rate: null, baseline: calm }, 0, "none"],
    // no latency in the window: that component is 0; faults 10/100 = 0.1 → 30 × (1 − e^−0.5) = 30 × 0.39346934
    ["no latency data", inputs({ faults: 10, p95_ms: null }), 11.80408, "low"],
  ] as const)("%s", (_, given, score, level) => {
    const impact = impactScore(given);
    expect(impact.score).toBeCloseTo(score, 4);
    expect(impact.level).toBe(level);
  });

  it("reports each component's measure and what it scores alone", () => {
    const { components } = impactScore(inputs({ faults: 20, p95_ms: 200, error_rate: 0.15 }));
    expect(components.fault_rate.value).toBeCloseTo(0.2, 12);
    expect(components.added_latency.value).toBe(1);
    expect(components.error_increase.value).toBeCloseTo(0.1, 12);
    expect(components.fault_rate.score).toBeCloseTo(18.963617, 5);
    expect(components.added_latency.score).toBeCloseTo(50.569645, 5);
    expect(components.error_increase.score).toBeCloseTo(63.212056, 5);
  });

  it("saturates: each component tops out at its weight, all of them at 100", () => {
    // 1000 faults per 100 requests: x = 10 = 50 kF, e^−50 ≈ 2e−22 → 30
    expect(impactScore(inputs({ faults: 1000 })).score).toBeCloseTo(30, 9);
    // p95 ×100: x = 99 → 80
    expect(impactScore(inputs({ p95_ms: 10_000 })).score).toBeCloseTo(80, 9);
    // every request fails: x = 0.95 = 9.5 kE, 1 − e^−9.5 = 0.999925 → 99.9925
    expect(impactScore(inputs({ error_rate: 1 })).score).toBeCloseTo(99.9925, 4);
    const worst = impactScore({ requests: 10, faults: 1e6, p95_ms: 1e9, error_rate: 1, baseline: { p95_ms: 1, error_rate: 0 } });
    // faults and latency saturate to 0.3 and 0.8; errors x = 1 = 10 kE:
    // 100 × (1 − 0.7 × 0.2 × e^−10) = 100 − 14 × 0.0000454 = 99.99936
    expect(worst.score).toBeCloseTo(99.99936, 5);
    expect(worst.level).toBe("critical");
  });

  it("the score is at least the largest component and at most their sum", () => {
    for (const [faults, p95_ms, error_rate] of [[5, 130, 0.07], [40, 110, 0.3], [1, 400, 0.05], [0, 0, 0.5]] as const) {
      const { score, components } = impactScore(inputs({ faults, p95_ms, error_rate }));
      const parts = Object.values(components).map((p) => p.score);
      expect(score).toBeGreaterThanOrEqual(Math.max(...parts));
      expect(score).toBeLessThanOrEqual(parts.reduce((a, b) => a + b, 0) + 1e-9);
      expect(score).toBeLessThanOrEqual(100);
    }
  });
});

describe("impactLevel", () => {
  it.each([
    [0, "none"], [4.999, "none"], [5, "low"], [24.99, "low"], [25, "medium"],
    [49.99, "medium"], [50, "high"], [74.99, "high"], [75, "critical"], [100, "critical"],
  ] as const)("%d is %s", (score, level) => expect(impactLevel(score)).toBe(level));
});

describe("measureImpact", () => {
  const NOW = Date.parse("2026-11-20T12:00:00Z");
  const M = 60_000;
  const window = { from: NOW - 10 * M, to: NOW };
  const req = (ts: number, latency_ms: number, status: number, env = "prod") => ev(ts, { latency_ms, status, env });
  const fault = (ts: number, env = "prod") => ev(ts, { fault: "latency", env }, "chaos", "latency");

  function events(): StoredEvent[] {
    return [
      // baseline (the 24 h before the window): four requests at 100 ms, no errors → p95 100, error rate 0
      ...[1, 2, 3, 4].map((h) => req(window.from - h * 3_600_000, 100, 200)),
      // before the baseline: ignored, though it would change both p95 and errors
      req(window.from - 25 * 3_600_000, 10_000, 500),
      // the window: ten requests at 200 ms, one a 500 → p95 200, error rate 0.1; two faults
      ...Array.from({ length: 10 }, (_, i) => req(window.from + i * M, 200, i === 0 ? 500 : 200)),
      fault(window.from),
      fault(NOW - 1),
      fault(NOW), // at `to`: outside
    ];
  }

  it("scores the window against the 24 hours before it", () => {
    const { blocks, dict } = blocksOf(events().slice(0, 8), events().slice(8));
    const m = measureImpact(blocks, dict, window, baselineBefore(window));
    // faults 2/10 = 0.2, p95 (200 − 100)/100 = 1, errors 0.1 − 0 = 0.1: all at their scale → 85.2640
    expect(m.inputs).toEqual({ requests: 10, faults: 2, p95_ms: 200, error_rate: 0.1, baseline: { p95_ms: 100, error_rate: 0 } });
    expect(m.baseline_requests).toBe(4);
    expect(m.score).toBeCloseTo(85.264, 3);
    expect(m.level).toBe("critical");
  });

  it("applies filters to requests and faults alike", () => {
    const noise = [
      ...Array.from({ length: 10 }, (_, i) => req(window.from + i * M, 5_000, 503, "staging")),
      ...Array.from({ length: 10 }, () => fault(window.from, "staging")),
    ];
    const { blocks, dict } = blocksOf(events(), noise);
    const prod = measureImpact(blocks, dict, window, baselineBefore(window), [{ dim: { prop: "env" }, in: ["prod"] }]);
    expect(prod.score).toBeCloseTo(85.264, 3);
    const all = measureImpact(blocks, dict, window, baselineBefore(window));
    expect(all.inputs.requests).toBe(20);
    expect(all.inputs.faults).toBe(12);
  });

  it("is zero with no traffic and has no baseline without one", () => {
    const { blocks, dict } = blocksOf([fault(window.from), req(window.from, 300, 500)]);
    const m = measureImpact(blocks, dict, window, baselineBefore(window));
    expect(m.inputs.baseline).toEqual({ p95_ms: null, error_rate: null });
    expect(m.baseline_requests).toBe(0);
    // 1 fault / 1 request: xF = 5 kF → ≈ 30; no latency reference; errors 1 − 0 → ≈ 100
    expect(m.components.added_latency.value).toBe(0);
    expect(m.components.error_increase.value).toBe(1);
    const empty = blocksOf([fault(window.from)]);
    expect(measureImpact(empty.blocks, empty.dict, window, baselineBefore(window))).toMatchObject({ score: 0, level: "none" });
  });

  it("baselineBefore is the given minutes right before the window", () => {
    expect(baselineBefore(window)).toEqual({ from: window.from - IMPACT.baselineMinutes * M, to: window.from });
    expect(baselineBefore(window, 60)).toEqual({ from: window.from - 60 * M, to: window.from });
  });
});

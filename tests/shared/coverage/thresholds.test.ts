// Coverage thresholds: defaults, overrides, and stored values out of their meaning's bounds.
import { describe, expect, it } from "vitest";
import { COVERAGE_QUERY_NAMES, coverageQueries, buildCoverageReport, resolveThresholds } from "../../../shared/coverage/index.ts";

describe("coverage thresholds", () => {
  it("default to 80% coverage, 30 stale days, 20% drift, high drift at 0.5", () => {
    expect(resolveThresholds(undefined)).toEqual({ coverageMin: 80, staleDays: 30, driftMax: 20, highDrift: 0.5 });
    expect(resolveThresholds({ unrelated: 3 })).toEqual({ coverageMin: 80, staleDays: 30, driftMax: 20, highDrift: 0.5 });
  });

  it("take the workspace's values", () => {
    expect(resolveThresholds({ coverage_min: 65, stale_days: 7, drift_max: 10, high_drift: 0.3 })).toEqual({ coverageMin: 65, staleDays: 7, driftMax: 10, highDrift: 0.3 });
  });

  it("clamp values beyond what they can mean", () => {
    expect(resolveThresholds({ coverage_min: 150, stale_days: -2, drift_max: -5, high_drift: 4 })).toEqual({ coverageMin: 100, staleDays: 0, driftMax: 0, highDrift: 1 });
  });
});

describe("buildCoverageReport", () => {
  it("refuses results that are not those of coverageQueries", () => {
    const n = coverageQueries().length;
    expect(() => buildCoverageReport([], { now: 0 })).toThrow(`expected ${n} results`);
  });

  it("keeps the range for the view's queries and reads mock states up to the range's end", () => {
    const range = { from: 1000, to: 2000 };
    const queries = coverageQueries({ range, utcOffsetMinutes: 60 });
    expect(queries.every((q) => q.utcOffsetMinutes === 60)).toBe(true);
    const mocks = queries.filter((q) => q.types?.includes("mock"));
    expect(mocks.map((q) => q.range)).toEqual([{ from: 0, to: 2000 }]);
    // the scenario trend compares the two weeks up to the range's end, whatever its start
    const trend = queries[COVERAGE_QUERY_NAMES.indexOf("scenarioTrendDays")]!;
    expect(trend.range).toEqual({ from: 2000 - 15 * 86_400_000, to: 2000 });
    expect(queries.filter((q) => !q.types?.includes("mock") && q !== trend).every((q) => q.range === range)).toBe(true);
  });
});

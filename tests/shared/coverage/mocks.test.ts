// Mock staleness and drift on a hand-computed workspace; now is 2026-11-23T12:00Z.
import { describe, expect, it } from "vitest";
import { coverageFromEvents } from "../../../shared/coverage/index.ts";
import { mock } from "./fixtures.ts";

const NOW = Date.parse("2026-11-23T12:00:00Z");

const EVENTS = [
  // A: level 2 → 3 on 10-10, then 3 again; drift 0.2 until 11-21, then 0
  mock("2026-10-01T00:00:00Z", { method: "GET", endpoint: "/users", reality_level: 2, drift: 0 }),
  mock("2026-10-10T00:00:00Z", { method: "GET", endpoint: "/users", reality_level: 3, drift: 0.1 }),
  mock("2026-10-20T00:00:00Z", { method: "GET", endpoint: "/users", reality_level: 3, drift: 0.2 }),
  mock("2026-11-21T06:00:00Z", { method: "GET", endpoint: "/users", reality_level: 3, drift: 0 }),
  // B: new on 11-20, level 1, drifting highly
  mock("2026-11-20T00:00:00Z", { method: "POST", endpoint: "/users", reality_level: 1, drift: 0.6 }),
  // C: known by name only, with breaking changes
  mock("2026-11-01T00:00:00Z", { reality_level: 4, drift: 0, breaking_changes: 2 }, "legacy-mock"),
  // D: level 4 → 2 on 11-15; no drift reported
  mock("2026-11-10T00:00:00Z", { method: "GET", endpoint: "/health", reality_level: 4 }),
  mock("2026-11-15T00:00:00Z", { method: "GET", endpoint: "/health", reality_level: 2 }),
  mock("2026-11-22T00:00:00Z", { method: "GET", endpoint: "/health", reality_level: 2 }),
  // F: level 3 → 4 → back to 3 on 11-12: it last changed then
  mock("2026-11-01T00:00:00Z", { method: "GET", endpoint: "/back", reality_level: 3 }),
  mock("2026-11-05T00:00:00Z", { method: "GET", endpoint: "/back", reality_level: 4 }),
  mock("2026-11-12T00:00:00Z", { method: "GET", endpoint: "/back", reality_level: 3 }),
  mock("2026-11-13T00:00:00Z", { method: "GET", endpoint: "/back", reality_level: 3 }),
  // E: states within one minute are one state, the least realistic
  mock("2026-11-22T10:00:10Z", { method: "GET", endpoint: "/ok", reality_level: 5, drift: 0 }),
  mock("2026-11-22T10:00:40Z", { method: "GET", endpoint: "/ok", reality_level: 4, drift: 0 }),
  // ... as is one reported under another name for the same method and endpoint
  mock("2026-11-22T10:00:50Z", { method: "GET", endpoint: "/ok", reality_level: 3, drift: 0 }, "ok, renamed"),
];

const report = (thresholds?: Record<string, number>, range?: { from: number; to: number }) => coverageFromEvents(EVENTS, { thresholds, now: NOW, range });

describe("staleness", () => {
  it("gives each mock's level, when it last changed, days stale and advice, most stale first", () => {
    const r = report();
    expect(r.staleness.map((m) => [m.mock, m.level, m.lastChanged, m.daysStale, m.stale, m.advice])).toEqual([
      // 10-10T00 → 11-23T12 is 44.5 days
      ["GET /users", 3, Date.parse("2026-10-10T00:00:00Z"), 44, true, "stale"],
      // 11-01 → 11-23T12: 22.5 days; breaking changes come first
      ["legacy-mock", 4, Date.parse("2026-11-01T00:00:00Z"), 22, false, "breaking"],
      // the level changed to 2 on 11-15 and stayed: 8.5 days
      // 11-12 → 11-23T12: 11.5 days
      ["GET /back", 3, Date.parse("2026-11-12T00:00:00Z"), 11, false, "ok"],
      ["GET /health", 2, Date.parse("2026-11-15T00:00:00Z"), 8, false, "low-realism"],
      // drift 0.6 ≥ 0.5
      ["POST /users", 1, Date.parse("2026-11-20T00:00:00Z"), 3, false, "drift"],
      ["GET /ok", 3, Date.parse("2026-11-22T10:00:00Z"), 1, false, "ok"],
    ]);
    expect(r.staleness[0]!.recommendation).toBe("re-record or re-verify against the live API");
    expect(r.staleness.find((m) => m.mock === "legacy-mock")).toMatchObject({ method: null, endpoint: null, breakingChanges: 2, recommendation: "review breaking changes" });
    expect(r.staleness.find((m) => m.mock === "GET /health")!.drift).toBeNull();
  });

  it("takes stale_days and high_drift from the thresholds", () => {
    const r = report({ stale_days: 5, high_drift: 0.7 });
    const advice = Object.fromEntries(r.staleness.map((m) => [m.mock, m.advice]));
    // D is 8 days stale now; B's 0.6 is no longer high, so its level 1 speaks
    expect(advice).toEqual({ "GET /back": "stale", "GET /users": "stale", "legacy-mock": "breaking", "GET /health": "stale", "POST /users": "low-realism", "GET /ok": "ok" });
  });
});

describe("drift", () => {
  it("counts mocks by their latest drift", () => {
    // A 0 (latest), B 0.6, C 0, E 0; D never reported drift
    expect(report().drift).toMatchObject({ mocks: 4, drifting: 1, percent: 25, highDrift: 1, highDriftAt: 0.5, maxPercent: 20, overThreshold: true });
    expect(report({ drift_max: 25, high_drift: 0.7 }).drift).toMatchObject({ highDrift: 0, maxPercent: 25, overThreshold: false });
  });

  it("gives percent drifting per day over the range, a state holding until the next", () => {
    const range = { from: Date.parse("2026-11-18T00:00:00Z"), to: Date.parse("2026-11-23T00:00:00Z") };
    const { trend } = report(undefined, range).drift;
    expect(trend.days).toEqual([18, 19, 20, 21, 22].map((d) => Date.UTC(2026, 10, d)));
    // 18, 19: A 0.2, C 0 │ 20: + B 0.6 │ 21: A back to 0 │ 22: + E 0
    expect(trend.mocks).toEqual([2, 2, 3, 3, 4]);
    expect(trend.drifting).toEqual([1, 1, 2, 1, 1]);
    expect(trend.percent.map((p) => Math.round(p * 100) / 100)).toEqual([50, 50, 66.67, 33.33, 25]);
  });

  it("reads mock states from before the range too, and none after it", () => {
    // the range ends before B, D's later states and E: A still 0.2 then
    const r = report(undefined, { from: Date.parse("2026-11-18T00:00:00Z"), to: Date.parse("2026-11-19T00:00:00Z") });
    expect(r.drift).toMatchObject({ mocks: 2, drifting: 1, percent: 50 });
    expect(r.staleness.map((m) => m.mock).sort()).toEqual(["GET /back", "GET /health", "GET /users", "legacy-mock"]);
    expect(r.staleness.find((m) => m.mock === "GET /health")!.lastChanged).toBe(Date.parse("2026-11-15T00:00:00Z"));
  });
});

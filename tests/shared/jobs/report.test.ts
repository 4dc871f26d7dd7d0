// The Jobs & cost report on a hand-computed workspace: breakdowns, costs per
// provider and strategy, the costliest jobs, durations, QC and top users.
import { describe, expect, it } from "vitest";
import { centsOf, jobsFromEvents } from "../../../shared/jobs/index.ts";
import { job, other } from "./fixtures.ts";

// By hand (8 jobs):
// openai:    a 0.10 succeeded 10s qc 80 (ann); a 0.30 failed 30s qc 60 (ann); b 1.25 succeeded 5s (bob)
// anthropic: b 2.00 succeeded 20s qc 90 (bob); c (no cost) cancelled 40s (cat)
// local:     c 0.05 running 2s (no user); c 0.05 error 4s qc 70 (cat)
// no provider: a 0.20 completed (ann)
const EVENTS = [
  job("2026-11-20T10:00:00Z", { provider: "openai", strategy: "multi_stage", status: "succeeded", cost_usd: 0.1, duration_s: 10, qc_score: 80, user: "ann" }, "a"),
  job("2026-11-20T11:00:00Z", { provider: "openai", strategy: "multi_stage", status: "failed", cost_usd: 0.3, duration_s: 30, qc_score: 60, user: "ann" }, "a"),
  job("2026-11-21T09:00:00Z", { provider: "openai", strategy: "single_shot", status: "success", cost_usd: 1.25, duration_s: 5, user: "bob" }, "b"),
  job("2026-11-21T10:00:00Z", { provider: "anthropic", strategy: "multi_stage", status: "succeeded", cost_usd: 2, duration_s: 20, qc_score: 90, user: "bob" }, "b"),
  job("2026-11-21T11:00:00Z", { provider: "anthropic", strategy: "multi_stage", status: "cancelled", duration_s: 40, user: "cat" }, "c"),
  job("2026-11-22T08:00:00Z", { provider: "local", strategy: "single_shot", status: "running", cost_usd: 0.05, duration_s: 2 }, "c"),
  job("2026-11-22T09:00:00Z", { provider: "local", strategy: "single_shot", status: "error", cost_usd: 0.05, duration_s: 4, qc_score: 70, user: "cat" }, "c"),
  job("2026-11-22T10:00:00Z", { strategy: "single_shot", status: "completed", cost_usd: 0.2, user: "ann" }, "a"),
  // not jobs: never read
  other("request", "2026-11-21T10:00:00Z", { cost_usd: 99, status: 200, user: "ann" }),
  other("track", "2026-11-21T10:00:00Z", { user: "bob", provider: "openai" }),
];

describe("jobs report", () => {
  const r = jobsFromEvents(EVENTS);

  it("sums the headline figures", () => {
    const s = r.summary;
    expect([s.jobs, centsOf(s.costUsd), s.costed]).toEqual([8, 395, 7]);
    expect(s.avgCostUsd).toBeCloseTo(3.95 / 7, 12);
    expect([s.minDurationS, s.maxDurationS]).toEqual([2, 40]);
    expect(s.avgDurationS).toBeCloseTo(111 / 7, 12);
    expect(s.avgQc).toBeCloseTo(75, 12);
    // finished: all but the running and the cancelled job; succeeded: succeeded ×2, success, completed
    expect([s.succeeded, s.finished, s.successRate]).toEqual([4, 6, 4 / 6]);
  });

  it("counts jobs by status, with each status's outcome and share", () => {
    expect(r.statuses.map((x) => [x.status, x.outcome, x.jobs])).toEqual([
      ["succeeded", "succeeded", 2],
      ["cancelled", "cancelled", 1],
      ["completed", "succeeded", 1],
      ["error", "failed", 1],
      ["failed", "failed", 1],
      ["running", "in-progress", 1],
      ["success", "succeeded", 1],
    ]);
    expect(r.statuses[0]!.share).toBe(0.25);
  });

  it("breaks jobs and cost down by provider, jobs without one in their own row", () => {
    expect(r.providers.map((p) => [p.provider, p.jobs, centsOf(p.costUsd), p.costed, p.succeeded, p.finished, p.minDurationS, p.maxDurationS])).toEqual([
      ["openai", 3, 165, 3, 2, 3, 5, 30],
      ["anthropic", 2, 200, 1, 1, 1, 20, 40],
      ["local", 2, 10, 2, 0, 1, 2, 4],
      [null, 1, 20, 1, 1, 1, NaN, NaN],
    ]);
    const openai = r.providers[0]!;
    expect(openai.avgCostUsd).toBeCloseTo(0.55, 12);
    expect(openai.avgDurationS).toBe(15);
    expect(openai.avgQc).toBe(70);
    expect(openai.share).toBe(3 / 8);
    // the cancelled anthropic job has no cost: the average is over the one that does
    expect(r.providers[1]!.avgCostUsd).toBe(2);
    expect(r.providers[1]!.successRate).toBe(1);
    expect(r.providers[3]!.avgQc).toBeNaN();
  });

  it("breaks jobs and cost down by strategy", () => {
    expect(r.strategies.map((x) => [x.strategy, x.jobs, x.share, centsOf(x.costUsd), x.costed])).toEqual([
      ["multi_stage", 4, 0.5, 240, 3],
      ["single_shot", 4, 0.5, 155, 4],
    ]);
    expect(r.strategies[0]!.avgCostUsd).toBeCloseTo(0.8, 12);
  });

  it("lists job names by total cost with runs, average and maximum", () => {
    expect(r.expensive.map((x) => [x.name, x.runs, centsOf(x.costUsd), centsOf(x.maxCostUsd)])).toEqual([
      ["b", 2, 325, 200],
      ["a", 3, 60, 30],
      ["c", 3, 10, 5],
    ]);
    expect(r.expensive[0]!.avgCostUsd).toBe(1.625);
  });

  it("ranks users by jobs and by cost, leaving out jobs without a user", () => {
    expect(r.usersByJobs.map((u) => [u.user, u.jobs, centsOf(u.costUsd)])).toEqual([
      ["ann", 3, 60],
      ["bob", 2, 325],
      ["cat", 2, 5],
    ]);
    expect(r.usersByCost.map((u) => u.user)).toEqual(["bob", "ann", "cat"]);
  });

  it("keeps only the ten costliest job names and the top ten users", () => {
    const many = Array.from({ length: 14 }, (_, i) => job(Date.UTC(2026, 10, 20, i), { cost_usd: (i + 1) / 100, user: `u${String(i).padStart(2, "0")}` }, `job-${i}`));
    const m = jobsFromEvents(many);
    expect(m.expensive.map((x) => x.name)).toEqual(Array.from({ length: 10 }, (_, i) => `job-${13 - i}`));
    expect(m.usersByCost).toHaveLength(10);
    expect(m.usersByCost[0]!.user).toBe("u13");
    // equal job counts: ties go by name
    expect(m.usersByJobs.map((u) => u.user)).toEqual(Array.from({ length: 10 }, (_, i) => `u${String(i).padStart(2, "0")}`));
  });

  it("narrows every figure by extra filters, as the filter bar does", () => {
    const n = jobsFromEvents(EVENTS, { filters: [{ dim: { prop: "provider" }, in: ["openai"] }] });
    expect([n.summary.jobs, centsOf(n.summary.costUsd)]).toEqual([3, 165]);
    expect(n.providers.map((p) => p.provider)).toEqual(["openai"]);
    expect(n.usersByJobs.map((u) => u.user)).toEqual(["ann", "bob"]);
  });

  it("answers an empty workspace with zeros and undefined averages", () => {
    const e = jobsFromEvents([]);
    expect([e.summary.jobs, e.summary.succeeded, e.summary.finished]).toEqual([0, 0, 0]);
    expect(e.summary.costUsd).toBeNaN();
    expect([e.summary.successRate, e.summary.avgCostUsd, e.summary.avgQc, e.summary.avgDurationS]).toEqual([NaN, NaN, NaN, NaN]);
    expect([e.statuses, e.providers, e.strategies, e.expensive, e.series, e.usersByJobs]).toEqual([[], [], [], [], [], []]);
  });

  it("leaves the cost unknown, not zero, where no job reports one", () => {
    const e = jobsFromEvents([job("2026-11-02T10:00:00Z", { status: "succeeded", strategy: "fast" }), job("2026-11-02T11:00:00Z", { status: "failed", strategy: "fast" })]);
    expect(e.summary.jobs).toBe(2);
    expect(e.summary.costUsd).toBeNaN();
    expect(e.strategies.map((s) => [s.strategy, s.jobs, s.costUsd])).toEqual([["fast", 2, NaN]]);
  });

  it("keeps the top ten users by cost in whole cents, ties by name, whatever the float sums below a cent", () => {
    // eleven users at $0.30; "zz" got there as 0.1 + 0.2, a hair above the others as a float
    const events = [job("2026-11-02T10:00:00Z", { user: "zz", cost_usd: 0.1 }), job("2026-11-02T10:01:00Z", { user: "zz", cost_usd: 0.2 })];
    for (const u of "abcdefghij") events.push(job("2026-11-02T10:02:00Z", { user: u, cost_usd: 0.3 }));
    const e = jobsFromEvents(events);
    expect(e.usersByCost.map((u) => u.user)).toEqual([..."abcdefghij"]);
  });
});

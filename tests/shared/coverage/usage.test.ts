// Scenario usage and persona CI hits on a hand-computed workspace; now is Monday 2026-11-23T12:00Z.
import { describe, expect, it } from "vitest";
import { coverageFromEvents } from "../../../shared/coverage/index.ts";
import { request, test } from "./fixtures.ts";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const day = (d: number) => Date.UTC(2026, 10, d);

const SCENARIO_EVENTS = [
  // happy: 2 tests this week, 1 request the week before → up, +100%
  test("2026-11-22T09:00:00Z", { scenario: "happy", status: "passed" }),
  test("2026-11-22T10:00:00Z", { scenario: "happy", status: "failed" }),
  request("2026-11-12T10:00:00Z", { scenario: "happy", status: 200 }),
  // empty: 1 request this week (a skipped test does not count), 2 tests the week before → down, −50%
  request("2026-11-20T10:00:00Z", { scenario: "empty", status: 404 }),
  test("2026-11-21T10:00:00Z", { scenario: "empty", status: "skipped" }),
  test("2026-11-11T10:00:00Z", { scenario: "empty", status: "passed" }),
  test("2026-11-11T11:00:00Z", { scenario: "empty", status: "passed" }),
  // slow: not declared, new this week
  test("2026-11-23T08:00:00Z", { scenario: "slow", status: "passed" }),
  // too old for either week: the previous week starts on 11-10
  test("2026-11-01T08:00:00Z", { scenario: "old", status: "passed" }),
  test("2026-11-09T23:00:00Z", { scenario: "old", status: "passed" }),
];

describe("scenario usage", () => {
  const r = coverageFromEvents(SCENARIO_EVENTS, { scenarios: ["happy", "empty", "timeout"], now: NOW });

  it("gives count, last used and the week-over-week trend, most used first", () => {
    expect(r.scenarios.map((s) => [s.scenario, s.declared, s.count, s.lastUsed, s.thisWeek, s.previousWeek, s.trend, s.direction])).toEqual([
      ["empty", true, 3, day(20), 1, 2, -0.5, "down"],
      ["happy", true, 3, day(22), 2, 1, 1, "up"],
      ["old", false, 2, day(9), 0, 0, null, "none"],
      ["slow", false, 1, day(23), 1, 0, null, "new"],
      ["timeout", true, 0, null, 0, 0, null, "none"],
    ]);
    expect(r.unusedScenarios).toEqual(["timeout"]);
  });

  it("compares whole weeks up to the range's end even when the range is shorter (the default last 7 days)", () => {
    // steady: one test a day at 10:00 from 11-04 to 11-23; the range holds the last 7 days only
    const steady = Array.from({ length: 20 }, (_, i) => test(new Date(Date.UTC(2026, 10, 4 + i, 10)).toISOString(), { scenario: "steady", status: "passed" }));
    const range = { from: NOW - 7 * 86_400_000, to: NOW };
    const [s] = coverageFromEvents(steady, { now: NOW, range }).scenarios;
    // in range (11-16 12:00 to 11-23 12:00): the tests of 11-17 to 11-23, 7; weeks 11-17..23 and 11-10..16: 7 each
    expect([s!.count, s!.thisWeek, s!.previousWeek, s!.trend, s!.direction]).toEqual([7, 7, 7, 0, "flat"]);
  });

  it("lays out the scenario × day heatmap from the first day of use to the last", () => {
    expect(r.heatmap.scenarios).toEqual(["empty", "happy", "old", "slow", "timeout"]);
    expect(r.heatmap.days).toHaveLength(23); // 11-01 to 11-23
    expect(r.heatmap.days[0]).toBe(day(1));
    const row = (s: string) => Object.fromEntries(r.heatmap.days.map((d, i) => [new Date(d).getUTCDate(), r.heatmap.counts[r.heatmap.scenarios.indexOf(s)]![i]]).filter(([, n]) => n !== 0));
    expect(row("empty")).toEqual({ 11: 2, 20: 1 });
    expect(row("happy")).toEqual({ 12: 1, 22: 2 });
    expect(row("timeout")).toEqual({});
  });

  it("spans the range's days when given one, counting only the range", () => {
    const ranged = coverageFromEvents(SCENARIO_EVENTS, { scenarios: ["happy"], now: NOW, range: { from: day(20), to: day(24) } });
    expect(ranged.heatmap.days).toEqual([day(20), day(21), day(22), day(23)]);
    expect(ranged.heatmap.scenarios).toEqual(["happy", "empty", "slow"]);
    expect(ranged.heatmap.counts).toEqual([
      [0, 0, 2, 0],
      [1, 0, 0, 0],
      [0, 0, 0, 1],
    ]);
  });
});

const PERSONA_EVENTS = [
  // admin: 2 tests in GitHub CI and 1 GitLab CI request count; a request outside CI and a skipped test do not
  test("2026-11-20T10:00:00Z", { persona: "admin", ci: "github", status: "passed" }),
  test("2026-11-20T11:00:00Z", { persona: "admin", ci: "github", status: "failed" }),
  request("2026-11-21T10:00:00Z", { persona: "admin", ci: "gitlab", run: "9", status: 200 }),
  request("2026-11-22T10:00:00Z", { persona: "admin", status: 200 }),
  test("2026-11-23T10:00:00Z", { persona: "admin", ci: "jenkins", status: "skipped" }),
  // guest: two CI requests known by their run alone
  request("2026-11-19T10:00:00Z", { persona: "guest", run: "5", status: 200 }),
  request("2026-11-19T11:00:00Z", { persona: "guest", run: "5", status: 500 }),
  // bot: not declared, one test posted without CI details
  test("2026-11-18T10:00:00Z", { persona: "bot", status: "passed" }),
];

describe("persona CI hits", () => {
  const { personas } = coverageFromEvents(PERSONA_EVENTS, { personas: ["admin", "guest", "auditor"], now: NOW });

  it("counts tests that ran and CI requests, with the last day and the CI systems", () => {
    expect(personas.personas.map((p) => [p.persona, p.declared, p.hits, p.tests, p.ciRequests, p.lastHit, p.ciSystems])).toEqual([
      ["admin", true, 3, 2, 1, day(21), ["github", "gitlab"]],
      ["guest", true, 2, 0, 2, day(19), []],
      ["bot", false, 1, 1, 0, day(18), []],
      ["auditor", true, 0, 0, 0, null, []],
    ]);
  });

  it("lists declared personas never hit", () => {
    expect(personas.neverHit).toEqual(["auditor"]);
  });
});

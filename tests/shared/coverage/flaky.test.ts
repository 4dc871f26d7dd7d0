// Flake detection on a hand-computed set of test runs.
import { describe, expect, it } from "vitest";
import { coverageFromEvents } from "../../../shared/coverage/index.ts";
import { test } from "./fixtures.ts";

const T = "2026-11-20T10:00:00Z";
const run = (suite: string, name: string, status: string, commit?: string, attempt = 1) => test(T, { suite, status, attempt, ...(commit ? { commit } : {}) }, name);
/** A run that names its CI run but no commit: a report posted without one. */
const ciRun = (name: string, status: string, ci: string, attempt = 1) => test(T, { suite: "U", status, attempt, run: ci }, name);

const EVENTS = [
  // S/flaky: c1 failed then passed on attempt 2 (both rules), c2 passed, c3 failed and passed in two runs → 2 of 3 commits
  run("S", "flaky", "failed", "c1"),
  run("S", "flaky", "passed", "c1", 2),
  run("S", "flaky", "passed", "c2"),
  run("S", "flaky", "failed", "c3"),
  run("S", "flaky", "passed", "c3"),
  // S/often: c1 errored and passed, c2 passed twice → 1 of 2 commits, 4 runs
  run("S", "often", "error", "c1"),
  run("S", "often", "passed", "c1"),
  run("S", "often", "passed", "c2"),
  run("S", "often", "passed", "c2"),
  // S/retry: passed on attempt 2 of c1 (the failed attempt was not reported), c2 passed → 1 of 2, 2 runs
  run("S", "retry", "passed", "c1", 2),
  run("S", "retry", "passed", "c2"),
  // consistently failing, and failing on its retry too: broken, not flaky
  run("S", "broken", "failed", "c1"),
  run("S", "broken", "failed", "c2"),
  run("S", "broken", "error", "c3"),
  run("S", "retry-fail", "failed", "c1"),
  run("S", "retry-fail", "failed", "c1", 2),
  // passing, and skipped once
  run("S", "ok", "passed", "c1"),
  run("S", "ok", "passed", "c2"),
  run("S", "ok", "skipped", "c3"),
  // the same name in another suite is another test
  run("T", "flaky", "passed", "c1"),
  run("T", "flaky", "passed", "c2"),
  // with neither a commit nor a run there is nothing to be flaky on
  run("S", "no-commit", "failed"),
  run("S", "no-commit", "passed"),
  // without a commit, the CI run is the unit: U/rerun passed on a retry in r1 (Surefire's flakyFailure), r2 passed → 1 of 2
  ciRun("rerun", "failed", "r1"),
  ciRun("rerun", "passed", "r1", 2),
  ciRun("rerun", "passed", "r2"),
  // U/steady failed in r1 and passed in r2: different runs, not flaky
  ciRun("steady", "failed", "r1"),
  ciRun("steady", "passed", "r2"),
];

describe("flaky tests", () => {
  const { flaky } = coverageFromEvents(EVENTS, { now: Date.parse(T) });

  it("finds tests that failed and passed on one commit, or passed on a retry", () => {
    expect(flaky.tests.map((t) => [t.suite, t.name, t.runs, t.failures, t.commits, t.flakyCommits])).toEqual([
      ["S", "flaky", 5, 2, 3, 2],
      ["S", "often", 4, 1, 2, 1], // same rate as retry, more runs
      ["U", "rerun", 3, 1, 2, 1], // judged by its CI runs
      ["S", "retry", 2, 0, 2, 1],
    ]);
    expect(flaky.tests.map((t) => t.flakeRate)).toEqual([2 / 3, 0.5, 0.5, 0.5]);
  });

  it("counts flaky tests among the tests that ran", () => {
    // S/flaky, often, retry, broken, retry-fail, ok, no-commit, T/flaky, U/rerun and U/steady
    expect(flaky).toMatchObject({ flaky: 4, testsSeen: 10 });
  });
});

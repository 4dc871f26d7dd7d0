/**
 * Flaky tests: per test (suite and name), the commits on which it was flaky —
 * it both failed (or errored) and passed on that commit, or it passed on a
 * retry (attempt 2 or later) — and its flake rate, flaky commits ÷ commits
 * seen. Runs that name no commit are judged by their CI run instead, each
 * such run a unit like a commit; runs with neither count as runs only.
 *
 * Counting without a row per (test, commit): with F the commits with a
 * failure, P with a pass and R with a pass on a retry (R ⊆ P),
 *   |F ∩ P| = |F| + |P| − |F ∪ P|            (distinct commits per status)
 *   flaky  = |(F ∩ P) ∪ R| = |F ∩ P| + |R| − |F ∩ R|
 * where F and R come as short lists of (test, commit) pairs.
 */
import type { CoverageResults } from "./results.ts";
import { amount, label, rowsOf, type Row } from "./rows.ts";

/** One test (suite and name) and how flaky it is. */
export interface FlakyTest {
  suite: string | null;
  name: string;
  /** Runs that were not skipped. */
  runs: number;
  /** Failed or errored runs. */
  failures: number;
  /** Distinct commits it ran on, and CI runs without a commit. */
  commits: number;
  flakyCommits: number;
  /** flakyCommits ÷ commits, 0..1. */
  flakeRate: number;
}

/** The flaky tests, and how many tests there were. */
export interface FlakySummary {
  /** Tests flaky on at least one commit: highest flake rate first, then most runs. */
  tests: FlakyTest[];
  /** How many tests are flaky. */
  flaky: number;
  /** Tests that ran. */
  testsSeen: number;
}

const keyOf = (row: Row): string => `${label(row, 0) ?? ""}\u0000${label(row, 1) ?? ""}`;

function byTest(rows: Row[], m: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) out.set(keyOf(row), (out.get(keyOf(row)) ?? 0) + amount(row, m));
  return out;
}

/** The commits (or runs) of each test's (test, unit) pairs, leaving out pairs without one. */
function commitsByTest(rows: Row[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const row of rows) {
    const commit = label(row, 2);
    if (commit === null) continue;
    let set = out.get(keyOf(row));
    if (set === undefined) out.set(keyOf(row), (set = new Set()));
    set.add(commit);
  }
  return out;
}

/** The coverage queries flakyTests reads. */
export const FLAKY_QUERY_NAMES = [
  "testRuns",
  "testFailures",
  "testPasses",
  "testDecided",
  "failedCommits",
  "retryPassCommits",
  "runOnlySeen",
  "runOnlyFailures",
  "runOnlyPasses",
  "runOnlyDecided",
  "failedRuns",
  "retryPassRuns",
] as const;

/** Per test, the units (commits, or runs without one) on which it was flaky, by the counting in the file comment. */
function flakyUnits(failed: Map<string, number>, passed: Map<string, number>, decided: Map<string, number>, failedPairs: Map<string, Set<string>>, retryPairs: Map<string, Set<string>>) {
  return (key: string): number => {
    const failedAndPassed = (failed.get(key) ?? 0) + (passed.get(key) ?? 0) - (decided.get(key) ?? 0);
    const retried = retryPairs.get(key) ?? new Set<string>();
    const failedSet = failedPairs.get(key) ?? new Set<string>();
    const both = [...retried].filter((c) => failedSet.has(c)).length;
    return failedAndPassed + retried.size - both;
  };
}

/** Flaky tests and how flaky. */
export function flakyTests(results: Pick<CoverageResults, (typeof FLAKY_QUERY_NAMES)[number]>): FlakySummary {
  const runs = rowsOf(results.testRuns);
  const failures = byTest(rowsOf(results.testFailures), 0);
  const onCommits = flakyUnits(
    byTest(rowsOf(results.testFailures), 1),
    byTest(rowsOf(results.testPasses), 1),
    byTest(rowsOf(results.testDecided), 0),
    commitsByTest(rowsOf(results.failedCommits)),
    commitsByTest(rowsOf(results.retryPassCommits)),
  );
  const onRuns = flakyUnits(
    byTest(rowsOf(results.runOnlyFailures), 0),
    byTest(rowsOf(results.runOnlyPasses), 0),
    byTest(rowsOf(results.runOnlyDecided), 0),
    commitsByTest(rowsOf(results.failedRuns)),
    commitsByTest(rowsOf(results.retryPassRuns)),
  );
  const runUnits = byTest(rowsOf(results.runOnlySeen), 0);
  const tests: FlakyTest[] = [];
  for (const row of runs) {
    const key = keyOf(row);
    const flakyCommits = onCommits(key) + onRuns(key);
    const commits = amount(row, 1) + (runUnits.get(key) ?? 0);
    tests.push({
      suite: label(row, 0),
      name: label(row, 1) ?? "",
      runs: amount(row, 0),
      failures: failures.get(key) ?? 0,
      commits,
      flakyCommits,
      flakeRate: commits === 0 ? 0 : flakyCommits / commits,
    });
  }
  const flaky = tests
    .filter((t) => t.flakyCommits > 0)
    .sort((a, b) => b.flakeRate - a.flakeRate || b.runs - a.runs || (a.suite ?? "").localeCompare(b.suite ?? "") || a.name.localeCompare(b.name));
  return { tests: flaky, flaky: flaky.length, testsSeen: tests.length };
}

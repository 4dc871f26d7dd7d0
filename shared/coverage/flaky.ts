/**
 * Flaky tests: per test (suite and name), the commits on which it was flaky —
 * it both failed (or errored) and passed on that commit, or it passed on a
 * retry (attempt 2 or later) — and its flake rate, flaky commits ÷ commits
 * seen. Runs without a `commit` count as runs but are judged on no commit.
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
  /** Distinct commits it ran on. */
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

/** The commits of each test's (test, commit) pairs, leaving out pairs without a commit. */
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
export const FLAKY_QUERY_NAMES = ["testRuns", "testFailures", "testPasses", "testDecided", "failedCommits", "retryPassCommits"] as const;

/** Flaky tests and how flaky. */
export function flakyTests(results: Pick<CoverageResults, (typeof FLAKY_QUERY_NAMES)[number]>): FlakySummary {
  const runs = rowsOf(results.testRuns);
  const failures = byTest(rowsOf(results.testFailures), 0);
  const failedCommits = byTest(rowsOf(results.testFailures), 1);
  const passedCommits = byTest(rowsOf(results.testPasses), 1);
  const decidedCommits = byTest(rowsOf(results.testDecided), 0);
  const failedPairs = commitsByTest(rowsOf(results.failedCommits));
  const retryPairs = commitsByTest(rowsOf(results.retryPassCommits));
  const tests: FlakyTest[] = [];
  for (const row of runs) {
    const key = keyOf(row);
    const failedAndPassed = (failedCommits.get(key) ?? 0) + (passedCommits.get(key) ?? 0) - (decidedCommits.get(key) ?? 0);
    const retried = retryPairs.get(key) ?? new Set<string>();
    const failed = failedPairs.get(key) ?? new Set<string>();
    const both = [...retried].filter((c) => failed.has(c)).length;
    const flakyCommits = failedAndPassed + retried.size - both;
    const commits = amount(row, 1);
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

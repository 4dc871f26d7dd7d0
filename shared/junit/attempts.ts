/**
 * The runs of one test case. A plain case ran once. Maven Surefire, when told
 * to rerun failing tests, records the extra runs inside the case: a test that
 * failed and then passed is flaky (`<flakyFailure>`, `<flakyError>`, one per
 * failed run, the case itself passed); a test that failed every time keeps its
 * `<failure>` or `<error>` for the first run and adds `<rerunFailure>` or
 * `<rerunError>` per rerun.
 */
import type { JunitCase, JunitDetail, TestAttempt, TestStatus } from "./report.ts";

function attempt(status: TestStatus, time: string | undefined, detail?: JunitDetail): TestAttempt {
  const out: TestAttempt = { status };
  if (time !== undefined) out.time = time;
  if (detail?.message !== undefined) out.message = detail.message;
  return out;
}

/** The runs of a test case, first run first; the last one is how the case ended. */
export function testAttempts(c: JunitCase): TestAttempt[] {
  const first = c.failures[0] ?? c.errors[0];
  const firstStatus: TestStatus = c.failures.length > 0 ? "failed" : c.errors.length > 0 ? "error" : c.skipped.length > 0 ? "skipped" : "passed";

  const reruns = [...c.rerunFailures.map((d) => ["failed", d] as const), ...c.rerunErrors.map((d) => ["error", d] as const)];
  if (firstStatus === "failed" || firstStatus === "error") {
    // the case's time is the first run's; a rerun only has a time when it says so
    return [attempt(firstStatus, c.time, first), ...reruns.map(([s, d]) => attempt(s, d.time, d))];
  }

  const flaky = [...c.flakyFailures.map((d) => ["failed", d] as const), ...c.flakyErrors.map((d) => ["error", d] as const)];
  if (firstStatus === "passed" && flaky.length > 0) {
    return [...flaky.map(([s, d]) => attempt(s, d.time, d)), attempt("passed", c.time)];
  }
  return [attempt(firstStatus, c.time, c.skipped[0])];
}

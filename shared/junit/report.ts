/**
 * A JUnit XML report as plain data: what the edge's XML decoder reads out of
 * the document, before any meaning is given to it. Test runners disagree on
 * the details (Surefire's reruns, pytest's properties, jest's file
 * attribute), so the decoder keeps what they write and the pure code decides.
 */

/** A `<failure>`, `<error>`, `<skipped>` or one of Surefire's flaky/rerun elements. */
export interface JunitDetail {
  message?: string;
  type?: string;
  /** Seconds as written, when the element has its own `time` (Surefire reruns may). */
  time?: string;
}

/** One `<testcase>`, with what it inherits from its enclosing suites. */
export interface JunitCase {
  /** The nearest enclosing `<testsuite name>`; empty when it has none. */
  suite: string;
  classname?: string;
  name: string;
  /** Seconds as written: `0.003`, `1,234.5`. */
  time?: string;
  /** The test case's own `timestamp` attribute. */
  timestamp?: string;
  /** The nearest enclosing suite's `timestamp` attribute. */
  suiteTimestamp?: string;
  /** jest-junit and others name the test file. */
  file?: string;
  /** `<properties><property name value/>` of the test case, in document order. */
  properties: [string, string][];
  failures: JunitDetail[];
  errors: JunitDetail[];
  skipped: JunitDetail[];
  /** Surefire: failed runs of a test that passed on a rerun. */
  flakyFailures: JunitDetail[];
  flakyErrors: JunitDetail[];
  /** Surefire: reruns of a test that failed every time. */
  rerunFailures: JunitDetail[];
  rerunErrors: JunitDetail[];
}

/** What a test run ended as, in the words of the `test` event's `status` prop. */
export type TestStatus = "passed" | "failed" | "error" | "skipped";

/** One execution of a test case: most cases have one, Surefire reruns add more. */
export interface TestAttempt {
  status: TestStatus;
  /** Seconds as written, when known for this run. */
  time?: string;
  message?: string;
}

/** A test case with nothing in it: a starting point for decoders and tests. */
export function emptyCase(name: string, suite = ""): JunitCase {
  return { suite, name, properties: [], failures: [], errors: [], skipped: [], flakyFailures: [], flakyErrors: [], rerunFailures: [], rerunErrors: [] };
}

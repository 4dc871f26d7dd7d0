/**
 * JUnit reports to `test` events: the parsed report's shape, the runs of a
 * case, durations, timestamps, what a test covers and the CI run it belongs to.
 */
export { emptyCase, type JunitCase, type JunitDetail, type TestAttempt, type TestStatus } from "./report.ts";
export { testAttempts } from "./attempts.ts";
export { durationMs } from "./duration.ts";
export { reportTime } from "./timestamp.ts";
export { COVER_KEYS, coversInProperties, coversInText, testCovers, type CoverProblem, type Covers } from "./covers.ts";
export { parseRunMeta, RUN_META_KEYS, type RunMeta } from "./run-meta.ts";
export { junitEvents, MESSAGE_CHARS, type JunitEvent, type JunitEventContext, type JunitProblem } from "./events.ts";

/**
 * The engine queries behind the Coverage & risk view. Each answers one small
 * grouped question; report.ts turns the answers into the report, so nothing
 * outside the engine ever reads an event.
 *
 * Why the shapes are as they are:
 * - A "CI request" is a request with a `ci` or a `run` prop. Filters all
 *   hold together, so each CI request question is asked twice, of two
 *   disjoint sets whose answers add up: requests with a run, and requests
 *   with a `ci` but no run. Grouping by the run instead would answer one row
 *   per endpoint and CI run.
 * - The engine has no latest-time measure: times come from day buckets
 *   ("last tested", "last used", "last hit" are days) and, for mock states,
 *   minute buckets, fine enough to order states.
 * - Flakiness per commit is counted from distinct commits per status (small
 *   results) plus the short lists of failing and retried (test, commit)
 *   pairs, rather than one row per test and commit.
 * - Mock states are read from all time up to the range's end: a mock last
 *   reported before the range is exactly the stale one to show.
 */
import type { Filter, GroupKey, Measure, Query } from "../query.ts";
import { DAY_MS } from "../engine/buckets.ts";

// a day more than two weeks: the range's end may fall inside a local day
const TWO_WEEKS_MS = 15 * DAY_MS;

/** What the queries are limited by: the view's range and the person's time zone. */
export interface CoverageQueryOptions {
  range?: { from: number; to: number };
  utcOffsetMinutes?: number;
}

// the props the coverage queries read (DESIGN.md, Events)
const METHOD = { prop: "method" } as const;
const ENDPOINT = { prop: "endpoint" } as const;
const RESPONSE = { prop: "response" } as const;
const STATUS = { prop: "status" } as const;
const SCENARIO = { prop: "scenario" } as const;
const PERSONA = { prop: "persona" } as const;
const CI = { prop: "ci" } as const;
const RUN = { prop: "run" } as const;
const SUITE = { prop: "suite" } as const;
const COMMIT = { prop: "commit" } as const;
const ATTEMPT = { prop: "attempt" } as const;
const NAME = { field: "name" } as const;
const REALITY = { prop: "reality_level" } as const;
const DRIFT = { prop: "drift" } as const;
const BREAKING = { prop: "breaking_changes" } as const;

const DAY: GroupKey = { bucket: "day" };
const MINUTE: GroupKey = { bucket: "minute" };
const COUNT: Measure = { fn: "count" };

/** A test that ran: skipped tests exercise nothing. Requests' numeric statuses never equal "skipped". */
const RAN: Filter = { dim: STATUS, notIn: ["skipped"] };
const FAILED: Filter = { dim: STATUS, in: ["failed", "error"] };
const PASSED: Filter = { dim: STATUS, in: ["passed"] };
/** A rerun: the second attempt or later. */
const RETRY: Filter = { dim: ATTEMPT, min: 2 };
/** A test run that names no commit (a report posted outside CI, say). */
const NO_COMMIT: Filter = { dim: COMMIT, present: false };
/** CI requests, in two disjoint parts: those with a run, and those with a `ci` but no run. */
const WITH_RUN: Filter[] = [{ dim: RUN, present: true }];
const CI_WITHOUT_RUN: Filter[] = [
  { dim: CI, present: true },
  { dim: RUN, present: false },
];

/** "twoWeeks": the 15 days up to the range's end, whatever its start, for week-on-week trends. */
type Scope = "range" | "upToEnd" | "twoWeeks";

interface Def {
  scope: Scope;
  query: Omit<Query, "range" | "utcOffsetMinutes">;
}

/** The queries, by name; their order here is the order of coverageQueries' results. */
const DEFS = {
  /** [method, endpoint, response] → count of tests that ran */
  testCodes: { scope: "range", query: { types: ["test"], filters: [RAN], groupBy: [METHOD, ENDPOINT, RESPONSE], measures: [COUNT] } },
  /** [method, endpoint, day] → count of tests that ran */
  testDays: { scope: "range", query: { types: ["test"], filters: [RAN], groupBy: [METHOD, ENDPOINT, DAY], measures: [COUNT] } },
  /** [method, endpoint, scenario] → count of tests that ran */
  testScenarios: { scope: "range", query: { types: ["test"], filters: [RAN], groupBy: [METHOD, ENDPOINT, SCENARIO], measures: [COUNT] } },
  /** [method, endpoint, status] → count of CI requests with a run */
  runRequestCodes: { scope: "range", query: { types: ["request"], filters: WITH_RUN, groupBy: [METHOD, ENDPOINT, STATUS], measures: [COUNT] } },
  /** [method, endpoint, status] → count of CI requests with a `ci` and no run */
  ciRequestCodes: { scope: "range", query: { types: ["request"], filters: CI_WITHOUT_RUN, groupBy: [METHOD, ENDPOINT, STATUS], measures: [COUNT] } },
  /** [method, endpoint, scenario] → count of CI requests with a run */
  runRequestScenarios: { scope: "range", query: { types: ["request"], filters: WITH_RUN, groupBy: [METHOD, ENDPOINT, SCENARIO], measures: [COUNT] } },
  /** [method, endpoint, scenario] → count of CI requests with a `ci` and no run */
  ciRequestScenarios: { scope: "range", query: { types: ["request"], filters: CI_WITHOUT_RUN, groupBy: [METHOD, ENDPOINT, SCENARIO], measures: [COUNT] } },
  /** [scenario, day] → count of tests that ran and of requests */
  scenarioDays: { scope: "range", query: { types: ["test", "request"], filters: [RAN], groupBy: [SCENARIO, DAY], measures: [COUNT] } },
  /** the same over the two weeks before the range's end: the trend compares them even when the range is shorter */
  scenarioTrendDays: { scope: "twoWeeks", query: { types: ["test", "request"], filters: [RAN], groupBy: [SCENARIO, DAY], measures: [COUNT] } },
  /** [persona, ci, day] → count of tests that ran */
  personaTests: { scope: "range", query: { types: ["test"], filters: [RAN], groupBy: [PERSONA, CI, DAY], measures: [COUNT] } },
  /** [persona, ci, day] → count of CI requests with a run */
  personaRunRequests: { scope: "range", query: { types: ["request"], filters: WITH_RUN, groupBy: [PERSONA, CI, DAY], measures: [COUNT] } },
  /** [persona, ci, day] → count of CI requests with a `ci` and no run */
  personaCiRequests: { scope: "range", query: { types: ["request"], filters: CI_WITHOUT_RUN, groupBy: [PERSONA, CI, DAY], measures: [COUNT] } },
  /** [method, endpoint, name, minute] → count, min reality_level, max drift, max breaking_changes of mock states */
  mockStates: {
    scope: "upToEnd",
    query: {
      types: ["mock"],
      groupBy: [METHOD, ENDPOINT, NAME, MINUTE],
      measures: [COUNT, { fn: "min", of: REALITY }, { fn: "max", of: DRIFT }, { fn: "max", of: BREAKING }],
    },
  },
  /** [suite, name] → runs, distinct commit, of tests that ran */
  testRuns: { scope: "range", query: { types: ["test"], filters: [RAN], groupBy: [SUITE, NAME], measures: [COUNT, { fn: "distinct", of: COMMIT }] } },
  /** [suite, name] → failures, distinct commit with a failure */
  testFailures: { scope: "range", query: { types: ["test"], filters: [FAILED], groupBy: [SUITE, NAME], measures: [COUNT, { fn: "distinct", of: COMMIT }] } },
  /** [suite, name] → passes, distinct commit with a pass */
  testPasses: { scope: "range", query: { types: ["test"], filters: [PASSED], groupBy: [SUITE, NAME], measures: [COUNT, { fn: "distinct", of: COMMIT }] } },
  /** [suite, name] → distinct commit with a failure or a pass */
  testDecided: {
    scope: "range",
    query: { types: ["test"], filters: [{ dim: STATUS, in: ["failed", "error", "passed"] }], groupBy: [SUITE, NAME], measures: [{ fn: "distinct", of: COMMIT }] },
  },
  /** [suite, name, commit] → failures: the (test, commit) pairs that failed */
  failedCommits: { scope: "range", query: { types: ["test"], filters: [FAILED], groupBy: [SUITE, NAME, COMMIT], measures: [COUNT] } },
  /** [suite, name, commit] → passes on a retry */
  retryPassCommits: { scope: "range", query: { types: ["test"], filters: [PASSED, RETRY], groupBy: [SUITE, NAME, COMMIT], measures: [COUNT] } },
  // the same five questions of runs without a commit, judged by their CI run instead (flaky.ts)
  /** [suite, name] → distinct run without a commit, of tests that ran */
  runOnlySeen: { scope: "range", query: { types: ["test"], filters: [RAN, NO_COMMIT], groupBy: [SUITE, NAME], measures: [{ fn: "distinct", of: RUN }] } },
  /** [suite, name] → distinct run without a commit with a failure */
  runOnlyFailures: { scope: "range", query: { types: ["test"], filters: [FAILED, NO_COMMIT], groupBy: [SUITE, NAME], measures: [{ fn: "distinct", of: RUN }] } },
  /** [suite, name] → distinct run without a commit with a pass */
  runOnlyPasses: { scope: "range", query: { types: ["test"], filters: [PASSED, NO_COMMIT], groupBy: [SUITE, NAME], measures: [{ fn: "distinct", of: RUN }] } },
  /** [suite, name] → distinct run without a commit with a failure or a pass */
  runOnlyDecided: {
    scope: "range",
    query: { types: ["test"], filters: [{ dim: STATUS, in: ["failed", "error", "passed"] }, NO_COMMIT], groupBy: [SUITE, NAME], measures: [{ fn: "distinct", of: RUN }] },
  },
  /** [suite, name, run] → failures in runs without a commit */
  failedRuns: { scope: "range", query: { types: ["test"], filters: [FAILED, NO_COMMIT], groupBy: [SUITE, NAME, RUN], measures: [COUNT] } },
  /** [suite, name, run] → passes on a retry in runs without a commit */
  retryPassRuns: { scope: "range", query: { types: ["test"], filters: [PASSED, RETRY, NO_COMMIT], groupBy: [SUITE, NAME, RUN], measures: [COUNT] } },
} satisfies Record<string, Def>;

/** The name of one coverage query. */
export type CoverageQueryName = keyof typeof DEFS;

/** Every coverage query's name, in the order of {@link coverageQueries}. */
export const COVERAGE_QUERY_NAMES = Object.keys(DEFS) as CoverageQueryName[];

/**
 * The engine queries of the Coverage & risk view, to run together with
 * `runQueries`; hand their results, in this order, to `buildCoverageReport`.
 * `names` picks some of them, in the order given (the Overview's headline
 * cards need only a few; see headlines.ts).
 */
export function coverageQueries(options: CoverageQueryOptions = {}, names: readonly CoverageQueryName[] = COVERAGE_QUERY_NAMES): Query[] {
  const { range, utcOffsetMinutes } = options;
  return names.map((name) => {
    const def: Def = DEFS[name];
    const scoped =
      range === undefined
        ? {}
        : def.scope === "range"
          ? { range }
          : def.scope === "upToEnd"
            ? { range: { from: 0, to: range.to } }
            : { range: { from: range.to - TWO_WEEKS_MS, to: range.to } };
    return { ...def.query, ...scoped, ...(utcOffsetMinutes ? { utcOffsetMinutes } : {}) };
  });
}

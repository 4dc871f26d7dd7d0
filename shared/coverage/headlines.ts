/**
 * The Coverage & risk figures that need no workspace config: flaky tests and
 * drifting mocks, for the Overview's headline cards. They come from some of
 * the coverage queries (HEADLINE_QUERY_NAMES, not all) and the same functions the full report
 * uses, so the Overview and the Coverage view cannot disagree. Endpoint
 * coverage needs the endpoint catalog, so it stays in the full report.
 */
import type { QueryResult } from "../query.ts";
import { driftSummary, type DriftSummary } from "./drift.ts";
import { FLAKY_QUERY_NAMES, flakyTests, type FlakySummary } from "./flaky.ts";
import { mockHistories } from "./mock-states.ts";
import type { CoverageQueryName } from "./queries.ts";
import type { CoverageInput } from "./report.ts";
import { resolveThresholds } from "./thresholds.ts";

/** The coverage queries the headlines read, in the order their results are expected. */
export const HEADLINE_QUERY_NAMES = ["mockStates", ...FLAKY_QUERY_NAMES] as const satisfies readonly CoverageQueryName[];

/** Flaky tests and drift, as in the full report. */
export interface CoverageHeadlines {
  flaky: FlakySummary;
  drift: DriftSummary;
}

/**
 * The headlines from the results of `coverageQueries(options, HEADLINE_QUERY_NAMES)`,
 * given in that order. Without `input.thresholds` the defaults apply, which
 * only changes the drift figures that compare against a threshold
 * (`highDrift`, `overThreshold`), never the counts.
 *
 * @throws RangeError when the number of results does not match the queries.
 */
export function buildCoverageHeadlines(results: readonly QueryResult[], input: Omit<CoverageInput, "catalog" | "personas" | "scenarios">): CoverageHeadlines {
  if (results.length !== HEADLINE_QUERY_NAMES.length) {
    throw new RangeError(`expected ${HEADLINE_QUERY_NAMES.length} results, in the order of HEADLINE_QUERY_NAMES, got ${results.length}`);
  }
  const named = Object.fromEntries(HEADLINE_QUERY_NAMES.map((name, i) => [name, results[i]!])) as Record<(typeof HEADLINE_QUERY_NAMES)[number], QueryResult>;
  return {
    flaky: flakyTests(named),
    drift: driftSummary(mockHistories(named), resolveThresholds(input.thresholds), input.now, input.range, input.utcOffsetMinutes ?? 0),
  };
}

/**
 * The Jobs & cost figures for the Overview's cards: the summary query alone,
 * read by the same function the full report uses, so the Overview and the
 * Jobs view cannot disagree.
 */
import type { QueryResult } from "../query.ts";
import { rowsOf } from "../coverage/rows.ts";
import type { JobsQueryName } from "./queries.ts";
import { summaryOf, type JobsSummary } from "./report.ts";

/** The jobs queries the headlines read. */
export const JOBS_HEADLINE_QUERY_NAMES = ["summary"] as const satisfies readonly JobsQueryName[];

/**
 * The summary from the results of `jobsQueries(options, JOBS_HEADLINE_QUERY_NAMES)`.
 *
 * @throws RangeError when there is not exactly one result.
 */
export function buildJobsHeadlines(results: readonly QueryResult[]): JobsSummary {
  if (results.length !== JOBS_HEADLINE_QUERY_NAMES.length) throw new RangeError(`expected 1 result (the summary query), got ${results.length}`);
  return summaryOf(rowsOf(results[0]!)[0]);
}

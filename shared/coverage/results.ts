/**
 * The coverage queries' results by name, so each computation reads the
 * answers it needs without counting positions.
 */
import type { QueryResult } from "../query.ts";
import { COVERAGE_QUERY_NAMES, type CoverageQueryName } from "./queries.ts";

/** Each coverage query's result, by the query's name. */
export type CoverageResults = Record<CoverageQueryName, QueryResult>;

/**
 * Names results given in the order of `coverageQueries`.
 *
 * @throws RangeError when there are not exactly as many results as queries.
 */
export function nameResults(results: readonly QueryResult[]): CoverageResults {
  if (results.length !== COVERAGE_QUERY_NAMES.length) {
    throw new RangeError(`expected ${COVERAGE_QUERY_NAMES.length} results, in the order of coverageQueries(), got ${results.length}`);
  }
  return Object.fromEntries(COVERAGE_QUERY_NAMES.map((name, i) => [name, results[i]!])) as CoverageResults;
}

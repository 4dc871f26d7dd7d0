/**
 * The query engine: the one place that scans events (DESIGN.md, Queries).
 * Pure code over columnar blocks, run in the aggregation worker and in tests:
 * results depend only on the arguments and share no memory with anything.
 * Its one piece of state is a pool of work arrays reused between runs
 * (arena.ts), which a caller may replace with its own Arena.
 *
 * Semantics beyond shared/query.ts:
 * - `in`/`notIn` compare text, a number's text being String(n); events
 *   without the prop never match `in` and always match `notIn`.
 * - Ranges and numeric measures read numeric columns and text that is a
 *   decimal number (see numberOfText); absent values are skipped.
 * - Grouping by a prop puts events without it in the group {@link NONE_LABEL}.
 * - Percentiles interpolate linearly between closest ranks (percentile.ts).
 * - An ungrouped query always returns one row, even when nothing matched.
 */
export { runQueries, runQuery } from "./run.ts";
export { matchingRows } from "./matching.ts";
export { NONE_LABEL, numberOfText } from "./values.ts";
export { Arena } from "./arena.ts";
export { IncrementalQueries, sliceRows } from "./incremental.ts";

/**
 * The Overview's Coverage & risk cards: flaky tests and drifting mocks, from
 * the coverage queries they need (shared/coverage/headlines.ts), narrowed by
 * the filter bar as the Coverage view narrows them, so both show the same
 * numbers for the same filters.
 *
 * No coverage config here: reading it (fetched or kept) goes through the
 * config schemas, i.e. full zod, which the Overview must not load. These two
 * figures need none (thresholds only change drift's threshold comparisons,
 * which the Overview does not show); endpoint coverage does, so the Overview
 * links to the Coverage view for it.
 */
import { buildCoverageHeadlines, HEADLINE_QUERY_NAMES, type CoverageHeadlines } from "../../../shared/coverage/headlines.ts";
import { barFilters, filteredCoverageQueries } from "../panels/coverage.ts";
import type { FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

/** Null until the stored events are loaded. */
export function coverageHeadlinesJob(session: WorkspaceSession, filters: FilterState): Job<CoverageHeadlines> | null {
  if (session.dataset() === null) return null;
  const version = session.version();
  const ctx = timeContext(session, filters);
  // as in coverage-data.ts: "all time" has no range, so mock states run over everything stored
  const range = ctx.selection.range;
  const queries = filteredCoverageQueries(range, ctx.offsetMinutes, barFilters(filters), HEADLINE_QUERY_NAMES);
  const now = session.now();
  return {
    // unlike the full report, not keyed on now: the figures shown do not move with it (the drift trend, which does, is not shown)
    key: JSON.stringify([version, queries]),
    queries,
    read: (results) => buildCoverageHeadlines(results, { now, range, utcOffsetMinutes: ctx.offsetMinutes }),
  };
}

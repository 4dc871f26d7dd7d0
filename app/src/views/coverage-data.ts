/**
 * The Coverage & risk view's data module: the coverage queries (narrowed by
 * the filter bar, panels/coverage.ts) in one job for the aggregation worker,
 * and their results turned into the report by shared/coverage with the
 * workspace's coverage config.
 */
import { buildCoverageReport, type CoverageReport } from "../../../shared/coverage/index.ts";
import { barFilters, coverageInput, filteredCoverageQueries } from "../panels/coverage.ts";
import type { FilterState } from "../routing/filter-state.ts";
import type { CoverageConfig } from "./coverage-edge.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

/** Null until the stored events are loaded and the config is known (fetched, kept from before, or known to be unavailable). */
export function coverageJob(session: WorkspaceSession, filters: FilterState, config: CoverageConfig | null): Job<CoverageReport> | null {
  if (session.dataset() === null || config === null) return null;
  const version = session.version();
  const ctx = timeContext(session, filters);
  // "all time" has no range: mock states and scenario days then run over everything stored
  const range = ctx.selection.range;
  const narrowing = barFilters(filters);
  const queries = filteredCoverageQueries(range, ctx.offsetMinutes, narrowing);
  // now moves every minute: days stale and the scenario trend count to it
  const input = coverageInput(config, session.now(), range, ctx.offsetMinutes, narrowing);
  return {
    key: JSON.stringify([version, queries, input]),
    queries,
    read: (results) => buildCoverageReport(results, input),
  };
}

/**
 * The Overview's Jobs & cost cards: the jobs summary query alone, narrowed
 * by the filter bar as the Jobs view narrows it, so both show the same
 * numbers for the same filters.
 */
import { buildJobsHeadlines, JOBS_HEADLINE_QUERY_NAMES, type JobsSummary } from "../../../shared/jobs/index.ts";
import { filteredJobsQueries, JOBS_TYPE } from "../panels/jobs.ts";
import type { FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

/** Null until the stored events are loaded. */
export function jobsHeadlinesJob(session: WorkspaceSession, filters: FilterState): Job<JobsSummary> | null {
  if (session.dataset() === null) return null;
  const version = session.version();
  const ctx = timeContext(session, filters, [JOBS_TYPE]);
  // the summary has no series: the bucket does not matter
  const queries = filteredJobsQueries(ctx.selection.range, ctx.offsetMinutes, "day", filters, JOBS_HEADLINE_QUERY_NAMES);
  return { key: JSON.stringify([version, queries]), queries, read: buildJobsHeadlines };
}

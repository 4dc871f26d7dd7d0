/**
 * The Jobs & cost view's data module: the jobs queries (narrowed by the
 * filter bar, panels/jobs.ts) in one job for the aggregation worker, and
 * their results turned into the report by shared/jobs.
 */
import { buildJobsReport, type JobBucket, type JobsReport } from "../../../shared/jobs/index.ts";
import { filteredJobsQueries, JOBS_TYPE } from "../panels/jobs.ts";
import type { FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

/** Null until the stored events are loaded. */
export function jobsJob(session: WorkspaceSession, filters: FilterState, bucket: JobBucket): Job<JobsReport> | null {
  if (session.dataset() === null) return null;
  const version = session.version();
  const ctx = timeContext(session, filters, [JOBS_TYPE]);
  // "all time" has no range, so nothing stored is cut off; the series still spans the stored events' days
  const queries = filteredJobsQueries(ctx.selection.range, ctx.offsetMinutes, bucket, filters);
  const input = { bucket, range: ctx.range ?? undefined, utcOffsetMinutes: ctx.offsetMinutes };
  return {
    key: JSON.stringify([version, queries, input]),
    queries,
    read: (results) => buildJobsReport(results, input),
  };
}

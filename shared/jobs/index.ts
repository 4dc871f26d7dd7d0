/**
 * Jobs & cost (DESIGN.md, Views 5): engine queries over `job` events, and
 * the pure report built from their results. The app runs `jobsQueries` in
 * its aggregation worker and renders `buildJobsReport`; tests and the CLI
 * call `jobsFromEvents`.
 */
export { jobsQueries, JOBS_QUERY_NAMES, JOB_BUCKETS, type JobBucket, type JobsQueryName, type JobsQueryOptions } from "./queries.ts";
export {
  buildJobsReport,
  summaryOf,
  type ExpensiveJob,
  type JobsInput,
  type JobsReport,
  type JobsSummary,
  type ProviderRow,
  type StatusCount,
  type StrategyRow,
  type UserRow,
} from "./report.ts";
export { buildJobsHeadlines, JOBS_HEADLINE_QUERY_NAMES } from "./headlines.ts";
export { jobsFromEvents } from "./from-events.ts";
export { jobsSeries, bucketStarts, type JobsPoint } from "./series.ts";
export { centsOf, roundedUsd } from "./money.ts";
export { CANCELLED_STATUSES, IN_PROGRESS_STATUSES, SUCCESS_STATUSES, outcomeOf, type JobOutcome } from "./statuses.ts";

/**
 * The Jobs & cost view's queries, apart from the session: the jobs queries of
 * shared/jobs narrowed by the filter bar. Its status and env selects and any
 * prop filter (provider, strategy, user...) narrow every query; protocol,
 * endpoint and method are request props that jobs do not carry, so a filter
 * left on them from the Traffic view is not applied here, where it would
 * drop every job. The type is always `job`.
 */
import { jobsQueries, type JobBucket, type JobsQueryName } from "../../../shared/jobs/queries.ts";
import type { Filter, Query } from "../../../shared/query.ts";
import { propFilters, type FilterState } from "../routing/filter-state.ts";

/** The one event type the view reads. */
export const JOBS_TYPE = "job";

/** Filter bar props that only requests carry: not applied to jobs. */
export const REQUEST_ONLY_PROPS: readonly string[] = ["protocol", "endpoint", "method"];

/** The filters every jobs query gets from the filter bar. */
export function jobFilters(filters: FilterState): Filter[] {
  return propFilters(filters).filter((f) => !("prop" in f.dim && REQUEST_ONLY_PROPS.includes(f.dim.prop)));
}

/** The filter bar's filters that the view leaves out (for a notice), as "name=value". */
export function ignoredFilters(filters: FilterState): string[] {
  return REQUEST_ONLY_PROPS.flatMap((p) => {
    const v = filters.fields[p as keyof FilterState["fields"]];
    return v === undefined ? [] : [`${p}=${v}`];
  });
}

/** The jobs queries (all, or those `names` picks) for a range, time zone and series bucket, narrowed by the filter bar. */
export function filteredJobsQueries(
  range: { from: number; to: number } | undefined,
  utcOffsetMinutes: number,
  bucket: JobBucket,
  filters: FilterState,
  names?: readonly JobsQueryName[],
): Query[] {
  return jobsQueries({ range, utcOffsetMinutes, bucket, filters: jobFilters(filters) }, names);
}

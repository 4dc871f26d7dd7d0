/**
 * The engine queries behind the Jobs & cost view, over `job` events. Each
 * answers one small grouped question; report.ts reads the answers, so
 * nothing outside the engine reads an event.
 *
 * Why the shapes are as they are:
 * - Counts of succeeded and finished jobs come as rates over the group
 *   (statuses.ts says which statuses count); rate × count gives them back
 *   exactly after rounding, so one query serves jobs and outcomes.
 * - A job without `cost_usd` is not free: its cost is unknown. Averages of
 *   cost, duration and QC are over the jobs that report the prop, and the
 *   share of jobs with a cost comes along so the report can say how many.
 * - Top users skip jobs that name no user: an anonymous group would take a
 *   place in the top ten and answer nobody's question.
 */
import type { Filter, GroupKey, Measure, Query } from "../query.ts";
import { CANCELLED_STATUSES, IN_PROGRESS_STATUSES, spellings, SUCCESS_STATUSES } from "./statuses.ts";

/** The time buckets the view's series offers. */
export const JOB_BUCKETS = ["day", "week", "month"] as const;
export type JobBucket = (typeof JOB_BUCKETS)[number];

/**
 * Rows asked for where the report ranks by cost in whole cents: the engine
 * cuts by float sums, so sums that tie at the cent would be cut by noise
 * below it. The report keeps its top ten of these (report.ts, TOP).
 */
export const RANKED_ROWS = 50;

/** What the queries are limited by: the view's range, the person's time zone, the series bucket and the filter bar's filters. */
export interface JobsQueryOptions {
  range?: { from: number; to: number } | undefined;
  utcOffsetMinutes?: number | undefined;
  /** The series' bucket; day unless told. */
  bucket?: JobBucket | undefined;
  /** Added to every query (the filter bar's narrowing). */
  filters?: readonly Filter[] | undefined;
}

// the props the queries read (DESIGN.md, Events: job)
export const STATUS = { prop: "status" } as const;
export const PROVIDER = { prop: "provider" } as const;
export const STRATEGY = { prop: "strategy" } as const;
export const COST = { prop: "cost_usd" } as const;
export const DURATION = { prop: "duration_s" } as const;
export const USER = { prop: "user" } as const;
export const QC = { prop: "qc_score" } as const;
const NAME = { field: "name" } as const;

const SUCCEEDED: Filter = { dim: STATUS, in: spellings(SUCCESS_STATUSES) };
/** A job with an outcome: it has a status that is neither in progress nor cancelled. */
const FINISHED: Filter[] = [
  { dim: STATUS, present: true },
  { dim: STATUS, notIn: spellings([...IN_PROGRESS_STATUSES, ...CANCELLED_STATUSES]) },
];

const COUNT: Measure = { fn: "count" };
const COST_SUM: Measure = { fn: "sum", of: COST };
const COST_AVG: Measure = { fn: "avg", of: COST };
// a range with no bounds: any numeric cost_usd
const COSTED: Measure = { fn: "rate", where: [{ dim: COST }] };
const SUCCESS_SHARE: Measure = { fn: "rate", where: [SUCCEEDED] };
const FINISHED_SHARE: Measure = { fn: "rate", where: FINISHED };
const DURATIONS: Measure[] = [
  { fn: "min", of: DURATION },
  { fn: "avg", of: DURATION },
  { fn: "max", of: DURATION },
];
const QC_AVG: Measure = { fn: "avg", of: QC };

/** The measures of a summary row, in this order (the headline cards and each provider). */
export const SUMMARY_MEASURES = ["jobs", "cost", "avgCost", "costed", "minDuration", "avgDuration", "maxDuration", "avgQc", "succeeded", "finished"] as const;
const SUMMARY: Measure[] = [COUNT, COST_SUM, COST_AVG, COSTED, ...DURATIONS, QC_AVG, SUCCESS_SHARE, FINISHED_SHARE];

type Def = Omit<Query, "range" | "utcOffsetMinutes" | "types">;

function defs(bucket: JobBucket) {
  const byCost = (groupBy: GroupKey[], limit: number, extra: Filter[] = []): Def => ({
    filters: extra,
    groupBy,
    measures: [COUNT, COST_SUM],
    orderBy: { measure: 1 },
    limit,
  });
  return {
    /** ungrouped → SUMMARY_MEASURES */
    summary: { measures: SUMMARY },
    /** [status] → count, most first */
    byStatus: { groupBy: [STATUS], measures: [COUNT], orderBy: { measure: 0 } },
    /** [provider] → SUMMARY_MEASURES, most jobs first */
    byProvider: { groupBy: [PROVIDER], measures: SUMMARY, orderBy: { measure: 0 } },
    /** [strategy] → count, cost, avg cost, share with a cost; most jobs first */
    byStrategy: { groupBy: [STRATEGY], measures: [COUNT, COST_SUM, COST_AVG, COSTED], orderBy: { measure: 0 } },
    /** [name] → runs, cost, avg cost, max cost: the ten costliest job names */
    expensive: { groupBy: [NAME], measures: [COUNT, COST_SUM, COST_AVG, { fn: "max", of: COST }], orderBy: { measure: 1 }, limit: RANKED_ROWS },
    /** [bucket] → count, cost, share succeeded, share finished */
    series: { groupBy: [{ bucket }], measures: [COUNT, COST_SUM, SUCCESS_SHARE, FINISHED_SHARE] },
    /** [user] → count, cost: the ten users with most jobs */
    usersByJobs: { ...byCost([USER], 10, [{ dim: USER, present: true }]), orderBy: { measure: 0 } },
    /** [user] → count, cost: the ten users who spent most */
    usersByCost: byCost([USER], RANKED_ROWS, [{ dim: USER, present: true }]),
  } satisfies Record<string, Def>;
}

/** The name of one jobs query. */
export type JobsQueryName = keyof ReturnType<typeof defs>;

/** Every jobs query's name, in the order of {@link jobsQueries}. */
export const JOBS_QUERY_NAMES = Object.keys(defs("day")) as JobsQueryName[];

/**
 * The engine queries of the Jobs & cost view, to run together with
 * `runQueries`; hand their results, in this order, to `buildJobsReport`.
 * `names` picks some of them, in the order given (the Overview's cards need
 * only the summary).
 */
export function jobsQueries(options: JobsQueryOptions = {}, names: readonly JobsQueryName[] = JOBS_QUERY_NAMES): Query[] {
  const { range, utcOffsetMinutes, bucket = "day", filters = [] } = options;
  const all: Record<JobsQueryName, Def> = defs(bucket);
  return names.map((name) => {
    const def = all[name];
    return {
      ...def,
      types: ["job"],
      filters: [...(def.filters ?? []), ...filters],
      ...(range ? { range } : {}),
      ...(utcOffsetMinutes ? { utcOffsetMinutes } : {}),
    };
  });
}

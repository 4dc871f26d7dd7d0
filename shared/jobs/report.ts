/**
 * The Jobs & cost report (DESIGN.md, Views 5): the jobs queries' results in,
 * every figure of the view out. Pure and small: it reads grouped results,
 * never events. Money stays as the engine summed it (float64 USD); money.ts
 * rounds it to cents where it is shown.
 */
import type { QueryResult } from "../query.ts";
import { amount, label, rowsOf, type Row } from "../coverage/rows.ts";
import { JOBS_QUERY_NAMES, type JobBucket, type JobsQueryName } from "./queries.ts";
import { centsOf } from "./money.ts";
import { countOf, jobsSeries, type JobsPoint } from "./series.ts";
import { outcomeOf, type JobOutcome } from "./statuses.ts";

/** The moment and bucket the queries were made for. */
export interface JobsInput {
  bucket?: JobBucket | undefined;
  /** The range given to jobsQueries: the series spans its buckets. */
  range?: { from: number; to: number } | undefined;
  utcOffsetMinutes?: number | undefined;
}

/** Headline figures, of all jobs or of one provider. Averages are over the jobs that report the prop; NaN when none does. */
export interface JobsSummary {
  jobs: number;
  /** Total cost_usd, as the engine summed it. */
  costUsd: number;
  /** Jobs that report a cost_usd. */
  costed: number;
  avgCostUsd: number;
  minDurationS: number;
  avgDurationS: number;
  maxDurationS: number;
  /** Mean qc_score, on whatever scale senders use (the demo: 0–100). */
  avgQc: number;
  succeeded: number;
  /** Jobs with an outcome: not in progress, not cancelled, with a status (statuses.ts). */
  finished: number;
  /** succeeded ÷ finished; NaN when none finished. */
  successRate: number;
}

/** Jobs per status. `status` is null for jobs without one. */
export interface StatusCount {
  status: string | null;
  outcome: JobOutcome;
  jobs: number;
  /** Of all jobs. */
  share: number;
}

export interface ProviderRow extends JobsSummary {
  provider: string | null;
  share: number;
}

export interface StrategyRow {
  strategy: string | null;
  jobs: number;
  share: number;
  costUsd: number;
  costed: number;
  avgCostUsd: number;
}

/** A job name among the costliest. */
export interface ExpensiveJob {
  name: string;
  runs: number;
  costUsd: number;
  avgCostUsd: number;
  maxCostUsd: number;
}

export interface UserRow {
  user: string;
  jobs: number;
  costUsd: number;
}

/** Every figure of the Jobs & cost view. */
export interface JobsReport {
  summary: JobsSummary;
  /** Most jobs first. */
  statuses: StatusCount[];
  providers: ProviderRow[];
  strategies: StrategyRow[];
  /** Top 10 job names by total cost. */
  expensive: ExpensiveJob[];
  bucket: JobBucket;
  series: JobsPoint[];
  /** Top 10 users by jobs, and by cost; jobs without a user are left out. */
  usersByJobs: UserRow[];
  usersByCost: UserRow[];
}

/** A summary from a row whose measures are SUMMARY_MEASURES. */
export function summaryOf(row: Row | undefined): JobsSummary {
  const v = (m: number) => row?.values[m] ?? NaN;
  const jobs = row ? amount(row, 0) : 0;
  const succeeded = countOf(v(8), jobs);
  const finished = countOf(v(9), jobs);
  return {
    jobs,
    // no job reporting a cost leaves the cost unknown, not zero
    costUsd: row && countOf(v(3), jobs) > 0 ? amount(row, 1) : NaN,
    costed: countOf(v(3), jobs),
    avgCostUsd: v(2),
    minDurationS: v(4),
    avgDurationS: v(5),
    maxDurationS: v(6),
    avgQc: v(7),
    succeeded,
    finished,
    successRate: finished > 0 ? succeeded / finished : NaN,
  };
}

/** Rows of the ranked tables shown. */
const TOP = 10;

const share = (part: number, whole: number) => (whole > 0 ? part / whole : NaN);

function userRows(result: QueryResult): UserRow[] {
  return rowsOf(result).map((r) => ({ user: label(r, 0) ?? "", jobs: amount(r, 0), costUsd: amount(r, 1) }));
}

/**
 * Rows ranked by cost as shown, in whole cents, then by name. The engine
 * ranks by the float sums, where 0.1 + 0.2 outweighs 0.3; the two read
 * "$0.30" alike, so they should tie.
 */
function byCents<T extends { costUsd: number }>(rows: T[], name: (row: T) => string): T[] {
  return rows.sort((a, b) => centsOf(b.costUsd) - centsOf(a.costUsd) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

/** Names results given in the order of `jobsQueries`. @throws RangeError when the count is wrong. */
function nameResults(results: readonly QueryResult[]): Record<JobsQueryName, QueryResult> {
  if (results.length !== JOBS_QUERY_NAMES.length) {
    throw new RangeError(`expected ${JOBS_QUERY_NAMES.length} results, in the order of jobsQueries(), got ${results.length}`);
  }
  return Object.fromEntries(JOBS_QUERY_NAMES.map((name, i) => [name, results[i]!])) as Record<JobsQueryName, QueryResult>;
}

/**
 * The report from the results of `jobsQueries(options)`, given in that
 * order; `input` should repeat the options' bucket, range and offset.
 *
 * @throws RangeError when the number of results does not match the queries.
 */
export function buildJobsReport(results: readonly QueryResult[], input: JobsInput = {}): JobsReport {
  const r = nameResults(results);
  const summary = summaryOf(rowsOf(r.summary)[0]);
  const total = summary.jobs;
  const bucket = input.bucket ?? "day";
  return {
    summary,
    statuses: rowsOf(r.byStatus).map((row) => {
      const status = label(row, 0);
      return { status, outcome: outcomeOf(status), jobs: amount(row, 0), share: share(amount(row, 0), total) };
    }),
    providers: rowsOf(r.byProvider).map((row) => {
      const s = summaryOf(row);
      return { provider: label(row, 0), share: share(s.jobs, total), ...s };
    }),
    strategies: rowsOf(r.byStrategy).map((row) => {
      const jobs = amount(row, 0);
      const costed = countOf(row.values[3] ?? NaN, jobs);
      return { strategy: label(row, 0), jobs, share: share(jobs, total), costUsd: costed > 0 ? amount(row, 1) : NaN, avgCostUsd: row.values[2] ?? NaN, costed };
    }),
    expensive: byCents(
      rowsOf(r.expensive).map((row) => ({
        name: String(row.keys[0] ?? ""),
        runs: amount(row, 0),
        costUsd: amount(row, 1),
        avgCostUsd: row.values[2] ?? NaN,
        maxCostUsd: row.values[3] ?? NaN,
      })),
      (x) => x.name,
    ).slice(0, TOP),
    bucket,
    series: jobsSeries(r.series, bucket, input.range, input.utcOffsetMinutes ?? 0),
    usersByJobs: userRows(r.usersByJobs),
    usersByCost: byCents(userRows(r.usersByCost), (u) => u.user).slice(0, TOP),
  };
}

/**
 * The Jobs & cost report as the rows each panel exports and the series its
 * charts draw. Pure; money is exported in dollars rounded to cents (what the
 * view shows), next to nothing else that would disagree with it.
 */
import type { JobsPoint, JobsReport } from "../../../shared/jobs/index.ts";
import { roundedUsd } from "../../../shared/jobs/money.ts";
import type { JobsSummary } from "../../../shared/jobs/report.ts";
import type { ExportTable } from "./export-table.ts";
import type { OverviewRow } from "./overview-tables.ts";
import type { TimeSeries } from "./time-series.ts";

const usd = (amount: number) => (Number.isFinite(amount) ? roundedUsd(amount) : null);
const iso = (t: number) => new Date(t).toISOString();

export function summaryTable(r: JobsReport): ExportTable {
  const s = r.summary;
  return {
    header: ["jobs", "cost_usd", "jobs_with_cost", "avg_cost_usd", "succeeded", "finished", "success_rate", "avg_qc_score", "min_duration_s", "avg_duration_s", "max_duration_s"],
    rows: [[s.jobs, usd(s.costUsd), s.costed, usd(s.avgCostUsd), s.succeeded, s.finished, s.successRate, s.avgQc, s.minDurationS, s.avgDurationS, s.maxDurationS]],
  };
}

export function statusTable(r: JobsReport): ExportTable {
  return { header: ["status", "outcome", "jobs", "share"], rows: r.statuses.map((x) => [x.status, x.outcome, x.jobs, x.share]) };
}

export function providerTable(r: JobsReport): ExportTable {
  return {
    header: ["provider", "jobs", "share", "cost_usd", "avg_cost_usd", "succeeded", "finished", "success_rate", "avg_qc_score"],
    rows: r.providers.map((p) => [p.provider, p.jobs, p.share, usd(p.costUsd), usd(p.avgCostUsd), p.succeeded, p.finished, p.successRate, p.avgQc]),
  };
}

export function strategyTable(r: JobsReport): ExportTable {
  return {
    header: ["strategy", "jobs", "share", "cost_usd", "avg_cost_usd"],
    rows: r.strategies.map((x) => [x.strategy, x.jobs, x.share, usd(x.costUsd), usd(x.avgCostUsd)]),
  };
}

export function durationTable(r: JobsReport): ExportTable {
  return {
    header: ["provider", "jobs", "min_duration_s", "avg_duration_s", "max_duration_s"],
    rows: r.providers.map((p) => [p.provider, p.jobs, p.minDurationS, p.avgDurationS, p.maxDurationS]),
  };
}

export function expensiveTable(r: JobsReport): ExportTable {
  return {
    header: ["job", "runs", "cost_usd", "avg_cost_usd", "max_cost_usd"],
    rows: r.expensive.map((x) => [x.name, x.runs, usd(x.costUsd), usd(x.avgCostUsd), usd(x.maxCostUsd)]),
  };
}

export function seriesTable(r: JobsReport): ExportTable {
  return {
    header: [`${r.bucket}_start`, "jobs", "cost_usd", "succeeded", "finished", "success_rate"],
    rows: r.series.map((p) => [iso(p.start), p.jobs, usd(p.costUsd), p.succeeded, p.finished, p.successRate]),
  };
}

export function usersTable(rows: JobsReport["usersByJobs"]): ExportTable {
  return { header: ["user", "jobs", "cost_usd"], rows: rows.map((u) => [u.user, u.jobs, usd(u.costUsd)]) };
}

/** One measure of the series as chart data: xs in epoch seconds; undefined rates are gaps. */
export function seriesChart(points: readonly JobsPoint[], label: string, value: (p: JobsPoint) => number): TimeSeries {
  return {
    xs: points.map((p) => p.start / 1000),
    series: [{ label, values: points.map((p) => (Number.isFinite(value(p)) ? value(p) : null)) }],
  };
}

/** The three series charts: jobs, cost (in dollars rounded to cents, as the table says) and success rate. */
export function seriesCharts(r: JobsReport): { jobs: TimeSeries; cost: TimeSeries; success: TimeSeries } {
  return {
    jobs: seriesChart(r.series, "jobs", (p) => p.jobs),
    cost: seriesChart(r.series, "cost", (p) => roundedUsd(p.costUsd)),
    success: seriesChart(r.series, "success rate", (p) => p.successRate),
  };
}

/** The Overview's Jobs & cost cards as export rows; money in dollars rounded to cents, as shown. */
export function jobsCardRows(s: JobsSummary): OverviewRow[] {
  return [
    ["jobs", s.jobs],
    ["job_cost_usd", roundedUsd(s.costUsd)],
    ["jobs_succeeded", s.succeeded],
    ["jobs_finished", s.finished],
    ["job_success_rate", Number.isFinite(s.successRate) ? s.successRate : null],
  ];
}

// The Jobs & cost view's data, as the aggregation worker computes it: the jobs
// queries narrowed by the filter bar, run by the engine over a hand-computed
// workspace, the report built from their results, each panel's export table
// and chart series, the Overview's cards, and money as the view writes it.
import { describe, expect, it } from "vitest";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import { runQueries } from "../../shared/engine/index.ts";
import type { PropValue, StoredEvent } from "../../shared/event.ts";
import { buildJobsHeadlines, buildJobsReport, JOBS_HEADLINE_QUERY_NAMES, type JobsReport } from "../../shared/jobs/index.ts";
import { filteredJobsQueries, ignoredFilters, jobFilters } from "../../app/src/panels/jobs.ts";
import { formatQc, formatSeconds, formatUsd } from "../../app/src/panels/jobs-format.ts";
import {
  durationTable,
  expensiveTable,
  jobsCardRows,
  providerTable,
  seriesCharts,
  seriesTable,
  statusTable,
  strategyTable,
  summaryTable,
  usersTable,
} from "../../app/src/panels/jobs-tables.ts";
import { parseFilters, type FilterState } from "../../app/src/routing/filter-state.ts";

let seq = 0;
function job(ts: string, name: string, props: Record<string, PropValue>): StoredEvent {
  seq++;
  return { seq, id: `j${seq}`, ts: Date.parse(ts), received_at: Date.parse(ts), type: "job", name, props };
}

// By hand: 3 openai jobs ($0.10 + $0.20 + $1.00), 1 local ($0.05, failed), one request that is no job
const EVENTS: StoredEvent[] = [
  job("2026-11-20T10:00:00Z", "summarise", { provider: "openai", strategy: "multi_stage", status: "succeeded", cost_usd: 0.1, duration_s: 12, qc_score: 90, user: "ann", env: "prod" }),
  job("2026-11-20T11:00:00Z", "summarise", { provider: "openai", strategy: "multi_stage", status: "succeeded", cost_usd: 0.2, duration_s: 18, qc_score: 80, user: "ann", env: "prod" }),
  job("2026-11-21T09:00:00Z", "long-form", { provider: "openai", strategy: "single_shot", status: "failed", cost_usd: 1, duration_s: 95, user: "bob", env: "prod" }),
  job("2026-11-22T09:00:00Z", "summarise", { provider: "local", strategy: "single_shot", status: "failed", cost_usd: 0.05, duration_s: 4, qc_score: 40, user: "cat", env: "dev" }),
  { seq: 99, id: "r1", ts: Date.parse("2026-11-21T09:00:00Z"), received_at: 0, type: "request", name: "GET /", props: { status: 200, protocol: "http", cost_usd: 5 } },
];
const RANGE = { from: Date.parse("2026-11-20T00:00:00Z"), to: Date.parse("2026-11-23T00:00:00Z") };

function report(filters: FilterState, events = EVENTS): JobsReport {
  const dict = newDictionary();
  const queries = filteredJobsQueries(RANGE, 0, "day", filters);
  return buildJobsReport(runQueries([encodeBlock(events, dict)], dict, queries), { bucket: "day", range: RANGE, utcOffsetMinutes: 0 });
}

describe("jobs panels", () => {
  const all = report(parseFilters(new URLSearchParams()));

  it("reads job events only, and every panel's export says what the view shows", () => {
    expect(summaryTable(all)).toEqual({
      header: ["jobs", "cost_usd", "jobs_with_cost", "avg_cost_usd", "succeeded", "finished", "success_rate", "avg_qc_score", "min_duration_s", "avg_duration_s", "max_duration_s"],
      rows: [[4, 1.35, 4, 0.34, 2, 4, 0.5, 70, 4, 32.25, 95]],
    });
    expect(statusTable(all).rows).toEqual([
      ["failed", "failed", 2, 0.5],
      ["succeeded", "succeeded", 2, 0.5],
    ]);
    expect(providerTable(all).rows).toEqual([
      ["openai", 3, 0.75, 1.3, 0.43, 2, 3, 2 / 3, 85],
      ["local", 1, 0.25, 0.05, 0.05, 0, 1, 0, 40],
    ]);
    expect(strategyTable(all).rows).toEqual([
      ["multi_stage", 2, 0.5, 0.3, 0.15],
      ["single_shot", 2, 0.5, 1.05, 0.53],
    ]);
    expect(durationTable(all).rows).toEqual([
      ["openai", 3, 12, 125 / 3, 95],
      ["local", 1, 4, 4, 4],
    ]);
    expect(expensiveTable(all).rows).toEqual([
      ["long-form", 1, 1, 1, 1],
      ["summarise", 3, 0.35, 0.12, 0.2],
    ]);
    expect(usersTable(all.usersByCost).rows).toEqual([
      ["bob", 1, 1],
      ["ann", 2, 0.3],
      ["cat", 1, 0.05],
    ]);
    expect(seriesTable(all)).toEqual({
      header: ["day_start", "jobs", "cost_usd", "succeeded", "finished", "success_rate"],
      rows: [
        ["2026-11-20T00:00:00.000Z", 2, 0.3, 2, 2, 1],
        ["2026-11-21T00:00:00.000Z", 1, 1, 0, 1, 0],
        ["2026-11-22T00:00:00.000Z", 1, 0.05, 0, 1, 0],
      ],
    });
  });

  it("draws the series as uPlot data: seconds on x, cost in cents-rounded dollars, gaps where no job finished", () => {
    const withRunning = report(parseFilters(new URLSearchParams()), [...EVENTS, job("2026-11-22T12:00:00Z", "x", { status: "running" })]);
    const charts = seriesCharts(withRunning);
    expect(charts.jobs.xs).toEqual([RANGE.from / 1000, RANGE.from / 1000 + 86_400, RANGE.from / 1000 + 2 * 86_400]);
    expect(charts.jobs.series[0]!.values).toEqual([2, 1, 2]);
    expect(charts.cost.series[0]!.values).toEqual([0.3, 1, 0.05]);
    const idle = report(parseFilters(new URLSearchParams()), [job("2026-11-21T12:00:00Z", "x", { status: "running" })]);
    expect(seriesCharts(idle).success.series[0]!.values).toEqual([null, null, null]);
  });

  it("is narrowed by the status, env and prop filters, and not by request-only filters", () => {
    expect(report(parseFilters(new URLSearchParams("status=failed"))).summary.jobs).toBe(2);
    expect(report(parseFilters(new URLSearchParams("env=prod&prop.provider=openai"))).summary.jobs).toBe(3);
    expect(report(parseFilters(new URLSearchParams("prop.user=ann"))).usersByJobs.map((u) => u.user)).toEqual(["ann"]);
    const carried = parseFilters(new URLSearchParams("protocol=http&endpoint=/x&method=GET"));
    expect(jobFilters(carried)).toEqual([]);
    expect(ignoredFilters(carried)).toEqual(["protocol=http", "endpoint=/x", "method=GET"]);
    expect(report(carried).summary.jobs).toBe(4);
  });

  it("gives the Overview's cards the Jobs view's numbers", () => {
    const dict = newDictionary();
    const queries = filteredJobsQueries(RANGE, 0, "day", parseFilters(new URLSearchParams()), JOBS_HEADLINE_QUERY_NAMES);
    const headlines = buildJobsHeadlines(runQueries([encodeBlock(EVENTS, dict)], dict, queries));
    expect(headlines).toEqual(all.summary);
    expect(jobsCardRows(headlines)).toEqual([
      ["jobs", 4],
      ["job_cost_usd", 1.35],
      ["jobs_succeeded", 2],
      ["jobs_finished", 4],
      ["job_success_rate", 0.5],
    ]);
  });
});

describe("jobs formatting", () => {
  it("writes money in US dollars with two decimals, from whole cents", () => {
    expect([formatUsd(0.1 + 0.2), formatUsd(1234.5), formatUsd(0), formatUsd(0.005), formatUsd(NaN)]).toEqual(["$0.30", "$1,234.50", "$0.00", "$0.01", "—"]);
    expect(formatUsd(100_000 * 0.01 + 1e-9)).toBe("$1,000.00");
  });

  it("writes durations and QC scores", () => {
    expect([formatSeconds(4.25), formatSeconds(200), formatSeconds(3900), formatSeconds(NaN)]).toEqual(["4.3 s", "3 min 20 s", "1 h 5 min", "—"]);
    expect(formatQc(85.55)).toMatch(/^85[.,]6$/);
  });
});

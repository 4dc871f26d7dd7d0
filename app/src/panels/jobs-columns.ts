/**
 * The Jobs & cost tables' columns. Sorting reads the raw value (money as the
 * engine's sum, which orders as its cents do); cells say it the way the
 * cards do, money in dollars with two decimals.
 */
import type { ExpensiveJob, ProviderRow, StatusCount, StrategyRow, UserRow } from "../../../shared/jobs/index.ts";
import type { Column } from "../components/table.tsx";
import { formatInteger, formatPercent } from "../components/format.ts";
import { formatQc, formatSeconds, formatUsd, orNone } from "./jobs-format.ts";

const OUTCOME_TEXT: Record<StatusCount["outcome"], string> = {
  succeeded: "success",
  failed: "failure",
  cancelled: "cancelled: not in the rate",
  "in-progress": "not finished: not in the rate",
  unknown: "no status: not in the rate",
};

const jobs = <R extends { jobs: number }>(): Column<R> => ({ key: "jobs", label: "Jobs", value: (r) => r.jobs, render: (r) => formatInteger(r.jobs), numeric: true });
const share = <R extends { share: number }>(): Column<R> => ({ key: "share", label: "Share", value: (r) => r.share, render: (r) => formatPercent(r.share), numeric: true, title: "Of all jobs shown" });
const cost = <R extends { costUsd: number }>(label = "Cost"): Column<R> => ({ key: "costUsd", label, value: (r) => r.costUsd, render: (r) => formatUsd(r.costUsd), numeric: true });
const avgCost = <R extends { avgCostUsd: number }>(): Column<R> => ({
  key: "avgCostUsd",
  label: "Avg cost",
  value: (r) => r.avgCostUsd,
  render: (r) => formatUsd(r.avgCostUsd),
  numeric: true,
  title: "Per job that reports cost_usd",
});

export const STATUS_COLUMNS: Column<StatusCount>[] = [
  { key: "status", label: "Status", value: (r) => orNone(r.status) },
  { key: "outcome", label: "Counts as", value: (r) => OUTCOME_TEXT[r.outcome] },
  jobs(),
  share(),
];

export const PROVIDER_COLUMNS: Column<ProviderRow>[] = [
  { key: "provider", label: "Provider", value: (r) => orNone(r.provider) },
  jobs(),
  share(),
  cost("Total cost"),
  avgCost(),
  { key: "successRate", label: "Success", value: (r) => r.successRate, render: (r) => formatPercent(r.successRate), numeric: true, title: "Succeeded ÷ finished" },
  { key: "avgQc", label: "Avg QC", value: (r) => r.avgQc, render: (r) => formatQc(r.avgQc), numeric: true, title: "Mean qc_score of the jobs that report one" },
];

export const STRATEGY_COLUMNS: Column<StrategyRow>[] = [{ key: "strategy", label: "Strategy", value: (r) => orNone(r.strategy) }, jobs(), share(), cost("Total cost"), avgCost()];

export const DURATION_COLUMNS: Column<ProviderRow>[] = [
  { key: "provider", label: "Provider", value: (r) => orNone(r.provider) },
  jobs(),
  { key: "min", label: "Min", value: (r) => r.minDurationS, render: (r) => formatSeconds(r.minDurationS), numeric: true, title: "Shortest duration_s" },
  { key: "avg", label: "Avg", value: (r) => r.avgDurationS, render: (r) => formatSeconds(r.avgDurationS), numeric: true, title: "Mean duration_s" },
  { key: "max", label: "Max", value: (r) => r.maxDurationS, render: (r) => formatSeconds(r.maxDurationS), numeric: true, title: "Longest duration_s" },
];

export const EXPENSIVE_COLUMNS: Column<ExpensiveJob>[] = [
  { key: "name", label: "Job", value: (r) => r.name },
  { key: "runs", label: "Runs", value: (r) => r.runs, render: (r) => formatInteger(r.runs), numeric: true },
  cost("Total"),
  avgCost(),
  { key: "maxCostUsd", label: "Max", value: (r) => r.maxCostUsd, render: (r) => formatUsd(r.maxCostUsd), numeric: true, title: "Costliest single run" },
];

export const USER_COLUMNS: Column<UserRow>[] = [{ key: "user", label: "User", value: (r) => r.user }, jobs(), cost()];

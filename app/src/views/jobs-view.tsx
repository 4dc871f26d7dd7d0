/**
 * Jobs & cost (DESIGN.md, Views 5): headline cards; jobs, cost and success
 * rate over time; jobs by status, provider and strategy with their cost;
 * the most expensive jobs; duration by provider; top users by jobs and by
 * cost. Renders only: the report comes from shared/jobs through jobs-data.ts.
 */
import { createSignal, Show, type JSX } from "solid-js";
import type { JobBucket, JobsReport } from "../../../shared/jobs/index.ts";
import { BarList } from "../components/bar-list.tsx";
import { Card } from "../components/card.tsx";
import { ExportMenu } from "../components/export-menu.tsx";
import { FilterBar } from "../components/filter-bar.tsx";
import { formatCount, formatInteger, formatPercent } from "../components/format.ts";
import { Panel, type PanelState } from "../components/panel.tsx";
import { Table } from "../components/table.tsx";
import { ignoredFilters, JOBS_TYPE } from "../panels/jobs.ts";
import { DURATION_COLUMNS, EXPENSIVE_COLUMNS, PROVIDER_COLUMNS, STATUS_COLUMNS, STRATEGY_COLUMNS, USER_COLUMNS } from "../panels/jobs-columns.ts";
import { formatQc, formatSeconds, formatUsd, orNone } from "../panels/jobs-format.ts";
import { durationTable, expensiveTable, providerTable, statusTable, strategyTable, summaryTable, usersTable } from "../panels/jobs-tables.ts";
import "../styles/jobs.css";
import { filterOptionsJob } from "./filter-options-data.ts";
import { jobsJob } from "./jobs-data.ts";
import { JobsSeries } from "./jobs-series.tsx";
import { NoData } from "./no-data.tsx";
import { createPanelRun } from "./panel-run.ts";
import { useServices } from "./services.tsx";
import { timeContext, type ViewProps } from "./view-context.ts";

/** Below this share of finished jobs succeeding, the card turns red. */
const LOW_SUCCESS = 0.9;

export function JobsView(props: ViewProps): JSX.Element {
  const services = useServices();
  const [bucket, setBucket] = createSignal<JobBucket>("day");
  const run = createPanelRun(services, () => jobsJob(props.session, props.filters, bucket()));
  // created after the panels' run, so its queries go to the worker after theirs
  const options = createPanelRun(services, () => filterOptionsJob(props.session, props.filters, [JOBS_TYPE]));
  const data = run.value;
  const name = () => props.workspace.name;

  const state = (): PanelState => {
    const d = data();
    if (d === undefined) return run.error() ? "error" : "loading";
    return d.summary.jobs === 0 ? "empty" : "ready";
  };
  const panelState = (has: (r: JobsReport) => boolean): PanelState => (state() === "ready" && !has(data()!) ? "empty" : state());
  const exportEvents = (format: "csv" | "json") => services.aggregator.exportEvents(timeContext(props.session, props.filters, [JOBS_TYPE]).selection, format);
  const card = (f: (r: JobsReport) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  const table = <T,>(f: (r: JobsReport) => T) => () => {
    const d = data();
    return d ? f(d) : null;
  };

  return (
    <>
      <FilterBar state={props.filters} options={options.value()} onChange={(s) => props.setFilters(s)} fixedType={JOBS_TYPE}>
        <ExportMenu name="jobs" workspace={name()} table={table(summaryTable)} events={exportEvents} tableLabel="Summary" testId="export-jobs" />
      </FilterBar>
      <Show when={run.error() && data() !== undefined}>
        <p class="notice notice-bad" role="alert">
          Could not update the report: {run.error()}
        </p>
      </Show>
      <Show when={ignoredFilters(props.filters).length > 0}>
        <p class="notice" role="status" data-testid="jobs-ignored-filters">
          Jobs carry no protocol, endpoint or method, so request filters do not narrow this view: {ignoredFilters(props.filters).join(", ")} is left out here.
        </p>
      </Show>

      <h2 class="visually-hidden">Summary</h2>
      <div class="cards" aria-busy={run.pending()}>
        <Card testId="card-jobs" label="Jobs" value={card((r) => formatCount(r.summary.jobs))} title={card((r) => formatInteger(r.summary.jobs))} loading={!data()} />
        <Card
          testId="card-cost"
          label="Total cost"
          value={card((r) => formatUsd(r.summary.costUsd))}
          detail={card((r) => (r.summary.costed < r.summary.jobs ? `${formatInteger(r.summary.jobs - r.summary.costed)} jobs report no cost` : "USD"))}
          loading={!data()}
        />
        <Card testId="card-avg-cost" label="Avg cost per job" value={card((r) => formatUsd(r.summary.avgCostUsd))} detail="of jobs that report a cost" loading={!data()} />
        <Card
          testId="card-success"
          label="Success rate"
          value={card((r) => formatPercent(r.summary.successRate))}
          detail={card((r) => `${formatInteger(r.summary.succeeded)} of ${formatInteger(r.summary.finished)} finished`)}
          tone={(data()?.summary.successRate ?? 1) < LOW_SUCCESS ? "bad" : "normal"}
          title="Succeeded ÷ finished jobs; jobs still running, cancelled or without a status are not counted"
          loading={!data()}
        />
        <Card testId="card-qc" label="Avg QC score" value={card((r) => formatQc(r.summary.avgQc))} detail="qc_score, as sent" loading={!data()} />
        <Card
          testId="card-duration"
          label="Avg duration"
          value={card((r) => formatSeconds(r.summary.avgDurationS))}
          detail={card((r) => `${formatSeconds(r.summary.minDurationS)} to ${formatSeconds(r.summary.maxDurationS)}`)}
          loading={!data()}
        />
      </div>

      <Show when={state() !== "empty"} fallback={<NoData filters={props.filters} setFilters={(s) => props.setFilters(s)} noun="jobs" />}>
        <div class="panels">
          <JobsSeries report={data()} state={state()} error={run.error()} workspace={name()} bucket={bucket()} onBucket={setBucket} />
          <Panel
            title="Jobs by status"
            description="Success rate = succeeded, success, completed or passed ÷ finished; jobs still running, cancelled or without a status are left out"
            state={state()}
            error={run.error()}
            testId="panel-jobs-status"
            workspace={name()}
            table={table(statusTable)}
          >
            <Table testId="table-jobs-status" caption="Jobs by status" columns={STATUS_COLUMNS} rows={data()!.statuses} sort={{ key: "jobs", dir: "desc" }} />
          </Panel>
          <Panel title="By strategy" description="Jobs and cost per strategy" state={state()} error={run.error()} testId="panel-jobs-strategies" workspace={name()} table={table(strategyTable)}>
            <div class="jobs-breakdown">
            <BarList
              testId="jobs-strategy-bars"
              label="Jobs by strategy"
              bars={data()!.strategies.map((s) => ({ label: orNone(s.strategy), value: s.jobs, display: formatInteger(s.jobs), detail: formatPercent(s.share) }))}
            />
            <Table testId="table-jobs-strategies" caption="Jobs by strategy" columns={STRATEGY_COLUMNS} rows={data()!.strategies} sort={{ key: "jobs", dir: "desc" }} />
            </div>
          </Panel>
          <Panel
            title="By provider"
            description="Jobs, cost, success rate and mean QC score per provider"
            state={state()}
            error={run.error()}
            testId="panel-jobs-providers"
            workspace={name()}
            table={table(providerTable)}
            wide
          >
            <div class="jobs-breakdown">
            <BarList
              testId="jobs-provider-bars"
              label="Jobs by provider"
              bars={data()!.providers.map((p) => ({ label: orNone(p.provider), value: p.jobs, display: formatInteger(p.jobs), detail: `${formatPercent(p.share)} · ${formatUsd(p.costUsd)}` }))}
            />
            <Table testId="table-jobs-providers" caption="Jobs by provider" columns={PROVIDER_COLUMNS} rows={data()!.providers} sort={{ key: "jobs", dir: "desc" }} />
            </div>
          </Panel>
          <Panel
            title="Most expensive jobs"
            description="The 10 job names that cost most in total, with their runs, average and costliest run"
            state={panelState((r) => r.expensive.length > 0 && r.summary.costed > 0)}
            empty="No job in this range reports cost_usd."
            error={run.error()}
            testId="panel-jobs-expensive"
            workspace={name()}
            table={table(expensiveTable)}
            wide
          >
            <Table testId="table-jobs-expensive" caption="Most expensive jobs" columns={EXPENSIVE_COLUMNS} rows={data()!.expensive} sort={{ key: "costUsd", dir: "desc" }} />
          </Panel>
          <Panel
            title="Top users by jobs"
            description="The 10 users who ran most jobs"
            state={panelState((r) => r.usersByJobs.length > 0)}
            empty="No job in this range names a user."
            error={run.error()}
            testId="panel-jobs-users"
            workspace={name()}
            table={table((r) => usersTable(r.usersByJobs))}
          >
            <Table testId="table-jobs-users" caption="Top users by jobs" columns={USER_COLUMNS} rows={data()!.usersByJobs} sort={{ key: "jobs", dir: "desc" }} />
          </Panel>
          <Panel
            title="Top users by cost"
            description="The 10 users whose jobs cost most"
            state={panelState((r) => r.usersByCost.length > 0)}
            empty="No job in this range names a user."
            error={run.error()}
            testId="panel-jobs-user-cost"
            workspace={name()}
            table={table((r) => usersTable(r.usersByCost))}
          >
            <Table testId="table-jobs-user-cost" caption="Top users by cost" columns={USER_COLUMNS} rows={data()!.usersByCost} sort={{ key: "costUsd", dir: "desc" }} />
          </Panel>
          <Panel
            title="Duration by provider"
            description="Shortest, mean and longest duration_s"
            state={panelState((r) => Number.isFinite(r.summary.avgDurationS))}
            empty="No job in this range reports duration_s."
            error={run.error()}
            testId="panel-jobs-duration"
            workspace={name()}
            table={table(durationTable)}
            wide
          >
            <Table testId="table-jobs-duration" caption="Duration by provider" columns={DURATION_COLUMNS} rows={data()!.providers} sort={{ key: "avg", dir: "desc" }} />
          </Panel>
        </div>
      </Show>
    </>
  );
}

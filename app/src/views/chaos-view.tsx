/**
 * Chaos & alerts (DESIGN.md, Views 6): injected faults per time bucket by
 * kind, the peak, latency while faults were injected against the baseline,
 * the impact severity score with its parts, the most affected endpoints; then
 * the alerts (chaos-alerts.tsx). Renders results only: the queries are in
 * panels/chaos.ts and panels/chaos-impact.ts, run by chaos-data.ts.
 */
import { Show, type JSX } from "solid-js";
import { BarList } from "../components/bar-list.tsx";
import { Card } from "../components/card.tsx";
import { Chart } from "../components/chart.tsx";
import { ChaosImpact, formatScore } from "../components/chaos-impact.tsx";
import { ExportMenu } from "../components/export-menu.tsx";
import { FilterBar } from "../components/filter-bar.tsx";
import { formatCount, formatDateTime, formatInteger, formatMs, formatPercent, PER_BUCKET } from "../components/format.ts";
import { Panel, type PanelState } from "../components/panel.tsx";
import { Table, type Column } from "../components/table.tsx";
import { affectedEndpoints, type AffectedEndpoint, type LatencyStats } from "../panels/chaos-impact.ts";
import { affectedEndpointsTable, faultKindsTable, impactTable, latencyTable } from "../panels/chaos-tables.ts";
import { seriesTable } from "../panels/traffic-tables.ts";
import { ChaosAlerts } from "./chaos-alerts.tsx";
import { chaosJob, impactJob } from "./chaos-data.ts";
import { filterOptionsJob } from "./filter-options-data.ts";
import { createPanelRun } from "./panel-run.ts";
import { useServices } from "./services.tsx";
import { timeContext, type ViewProps } from "./view-context.ts";


const ENDPOINT_COLUMNS: Column<AffectedEndpoint>[] = [
  { key: "endpoint", label: "Endpoint", value: (r) => r.endpoint, render: (r) => <span class="mono">{r.endpoint}</span> },
  { key: "faults", label: "Faults", value: (r) => r.faults, render: (r) => formatInteger(r.faults), numeric: true },
  { key: "kinds", label: "Kinds", value: (r) => r.kinds, render: (r) => formatInteger(r.kinds), numeric: true, title: "Distinct fault kinds" },
  { key: "requests", label: "Requests", value: (r) => r.requests, render: (r) => formatInteger(r.requests), numeric: true, title: "Requests while faults were injected" },
  { key: "faultRate", label: "Faults/request", value: (r) => r.faultRate, render: (r) => formatPercent(r.faultRate), numeric: true },
  { key: "errorRate", label: "Error rate", value: (r) => r.errorRate, render: (r) => formatPercent(r.errorRate), numeric: true, title: "Share of requests with status 500 or above" },
  { key: "p95", label: "p95", value: (r) => r.p95, render: (r) => formatMs(r.p95), numeric: true },
];

export function ChaosView(props: ViewProps): JSX.Element {
  const services = useServices();
  const run = createPanelRun(services, () => chaosJob(props.session, props.filters));
  const impactRun = createPanelRun(services, () => impactJob(props.session, run.value()));
  const options = createPanelRun(services, () => filterOptionsJob(props.session, props.filters, ["chaos", "request"]));
  const data = run.value;
  const impact = () => (data()?.span ? impactRun.value() : undefined);
  const name = () => props.workspace.name;

  const state = (): PanelState => {
    const d = data();
    if (d === undefined) return run.error() ? "error" : "loading";
    return d.summary.faults === 0 ? "empty" : "ready";
  };
  const impactState = (): PanelState => {
    if (state() !== "ready") return state();
    return impact() === undefined ? (impactRun.error() ? "error" : "loading") : "ready";
  };
  const exportEvents = (format: "csv" | "json") => services.aggregator.exportEvents(timeContext(props.session, props.filters, ["chaos"]).selection, format);
  const card = (f: (d: NonNullable<ReturnType<typeof data>>) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  const endpoints = () => affectedEndpoints(data()?.endpoints ?? [], impact());

  return (
    <>
      <FilterBar state={props.filters} options={options.value()} onChange={(s) => props.setFilters(s)} fixedType="chaos">
        <ExportMenu name="chaos" workspace={name()} events={exportEvents} testId="export-chaos" />
      </FilterBar>
      <Show when={(run.error() && data() !== undefined) || (impactRun.error() && impact() !== undefined)}>
        <p class="notice notice-bad" role="alert">
          Could not update the charts: {run.error() ?? impactRun.error()}
        </p>
      </Show>

      <h2 class="visually-hidden">Faults</h2>
      <div class="cards" aria-busy={run.pending() || impactRun.pending()}>
        <Card testId="card-faults" label="Faults injected" value={card((d) => formatCount(d.summary.faults))} detail={card((d) => `${d.summary.kinds} kinds · ${d.summary.endpoints} endpoints`)} loading={!data()} />
        <Card
          testId="card-peak"
          label="Peak"
          value={card((d) => (d.peak ? formatDateTime(d.peak.at) : "—"))}
          detail={card((d) => (d.peak ? `${formatInteger(d.peak.faults)} faults ${PER_BUCKET[d.bucket]}` : "no faults"))}
          loading={!data()}
        />
        <Card
          testId="card-impact"
          label="Impact score"
          value={impact() ? formatScore(impact()!.impact.score) : "—"}
          detail={impact()?.impact.level ?? ""}
          tone={(impact()?.impact.score ?? 0) >= 50 ? "bad" : "normal"}
          loading={impactState() === "loading"}
        />
        <Card testId="card-fault-p95" label="p95 during faults" value={impact() ? formatMs(impact()!.during.p95) : "—"} detail={impact() ? `baseline ${formatMs(impact()!.baseline.p95)}` : ""} loading={impactState() === "loading"} />
      </div>

      <Show
        when={state() !== "empty"}
        fallback={
          <div class="empty-state" data-testid="chaos-empty">
            <p class="empty-title">No injected faults in this range</p>
            <p class="empty-hint">Chaos events (type "chaos", one per injected fault, its kind in the "fault" prop) show here. Try a longer range or fewer filters.</p>
          </div>
        }
      >
        <div class="panels">
          <Panel
            title="Faults over time"
            description={`Injected faults by kind, ${PER_BUCKET[data()?.bucket ?? "hour"]}`}
            state={state()}
            error={run.error()}
            testId="panel-faults-over-time"
            workspace={name()}
            table={() => {
              const d = data();
              return d ? seriesTable(d.faults, (k) => `faults_${k}`) : null;
            }}
            wide
          >
            <Chart data={data()!.faults} format={formatCount} fill label={`Injected faults ${PER_BUCKET[data()!.bucket]}, by kind`} testId="chart-faults" />
          </Panel>
          <Panel title="Fault kinds" description="Faults by kind, with the average injected delay" state={state()} error={run.error()} testId="panel-fault-kinds" workspace={name()} table={() => faultKindsTable(data()?.kinds ?? [])}>
            <BarList
              testId="fault-kinds"
              label="Faults by kind"
              bars={(data()?.kinds ?? []).map((k) => ({ label: k.fault, value: k.faults, display: formatInteger(k.faults), detail: Number.isFinite(k.avgDelayMs) ? `avg delay ${formatMs(k.avgDelayMs)}` : undefined }))}
            />
          </Panel>
          <Panel
            title="Impact severity"
            description="How much the faults hurt requests, against the 24 hours before them"
            state={impactState()}
            error={impactRun.error()}
            testId="panel-impact"
            workspace={name()}
            table={() => (impact() ? impactTable(impact()!) : null)}
          >
            <ChaosImpact impact={impact()!.impact} testId="impact" />
          </Panel>
          <Panel
            title="Latency during faults"
            description={`Requests' latency_ms from the first bucket with faults to the last (${PER_BUCKET[data()?.bucket ?? "hour"]}), against the 24 hours before`}
            state={impactState()}
            error={impactRun.error()}
            testId="panel-fault-latency"
            workspace={name()}
            table={() => (impact() ? latencyTable(impact()!) : null)}
          >
            <LatencyCompare during={impact()!.during} baseline={impact()!.baseline} />
          </Panel>
          <Panel
            title="Most affected endpoints"
            description="Endpoints by faults received, with their requests while faults were injected"
            state={state()}
            error={run.error()}
            testId="panel-affected-endpoints"
            workspace={name()}
            table={() => affectedEndpointsTable(endpoints())}
            wide
          >
            <Table testId="table-affected-endpoints" caption="Most affected endpoints" columns={ENDPOINT_COLUMNS} rows={endpoints()} sort={{ key: "faults", dir: "desc" }} />
          </Panel>
        </div>
      </Show>

      <h2 class="view-section-title">Alerts</h2>
      <ChaosAlerts workspace={props.workspace} session={props.session} filters={props.filters} setFilters={(s) => props.setFilters(s)} />
    </>
  );
}

function LatencyCompare(props: { during: LatencyStats; baseline: LatencyStats }): JSX.Element {
  const rows: Array<[string, "p50" | "p95" | "p99" | "avg"]> = [
    ["p50", "p50"],
    ["p95", "p95"],
    ["p99", "p99"],
    ["average", "avg"],
  ];
  return (
    <table class="table latency-compare" data-testid="latency-compare">
      <caption class="visually-hidden">Latency during faults and in the baseline</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col" class="num">During faults</th>
          <th scope="col" class="num">Baseline</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, key]) => (
          <tr>
            <th scope="row">{label}</th>
            <td class="num">{formatMs(props.during[key])}</td>
            <td class="num">{formatMs(props.baseline[key])}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">requests</th>
          <td class="num">{formatInteger(props.during.requests)}</td>
          <td class="num">{formatInteger(props.baseline.requests)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/**
 * Traffic (DESIGN.md, Views 2): headline cards, requests over time by
 * protocol, latency percentiles over time, errors by status, protocol
 * breakdown, top endpoints and the hour-of-week heatmap. Renders results
 * only; every number comes from the queries in panels/traffic.ts, run in one
 * call by traffic-data.ts. On a first open each panel draws as soon as its
 * own query answered; the cards and the empty state wait for the summary.
 */
import { createEffect, Show, type JSX } from "solid-js";
import { BarList } from "../components/bar-list.tsx";
import { Card } from "../components/card.tsx";
import { Chart } from "../components/chart.tsx";
import { ExportMenu } from "../components/export-menu.tsx";
import { FilterBar } from "../components/filter-bar.tsx";
import { formatCount, formatInteger, formatMs, formatPercent, formatRate, PER_BUCKET } from "../components/format.ts";
import { Heatmap } from "../components/heatmap.tsx";
import { heldOffScreen } from "../components/off-screen.ts";
import { Panel, type PanelState } from "../components/panel.tsx";
import { Table, type Column } from "../components/table.tsx";
import {
  endpointsTable,
  heatmapTable,
  protocolTable,
  seriesTable,
  statusTable,
  summaryTable,
  type EndpointRow,
} from "../panels/traffic-tables.ts";
import { NoData } from "./no-data.tsx";
import { createPanelRun } from "./panel-run.ts";
import { useServices } from "./services.tsx";
import { filterOptionsJob } from "./filter-options-data.ts";
import { trafficJob } from "./traffic-data.ts";
import { timeContext, type ViewProps } from "./view-context.ts";


/** User Timing mark for tools (benches, DevTools): the first Traffic results of this page are on screen. */
const TRAFFIC_DRAWN_MARK = "tally:traffic-drawn";
let drawnMarked = false;
/** User Timing mark: Traffic results after the first are on screen (detail: the requests they count). */
const TRAFFIC_UPDATED_MARK = "tally:traffic-updated";

/** Above this share of server errors the card turns red. */
const BAD_ERROR_RATE = 0.05;

const ENDPOINT_COLUMNS: Column<EndpointRow>[] = [
  {
    key: "endpoint",
    label: "Endpoint",
    value: (r) => `${r.endpoint} ${r.method}`,
    render: (r) => (
      <>
        <span class="method">{r.method}</span> <span class="mono">{r.endpoint}</span>
      </>
    ),
  },
  { key: "requests", label: "Requests", value: (r) => r.requests, render: (r) => formatInteger(r.requests), numeric: true },
  {
    key: "errorRate",
    label: "Error rate",
    value: (r) => r.errorRate,
    render: (r) => <span classList={{ bad: r.errorRate > BAD_ERROR_RATE }}>{formatPercent(r.errorRate)}</span>,
    numeric: true,
    title: "Share of requests with status 500 or above",
  },
  { key: "p95", label: "p95", value: (r) => r.p95, render: (r) => formatMs(r.p95), numeric: true, title: "95th percentile of latency_ms" },
];

export function TrafficView(props: ViewProps): JSX.Element {
  const services = useServices();
  const run = createPanelRun(services, () => trafficJob(props.session, props.filters));
  // created after the panels' run, so its queries go to the worker after theirs
  const options = createPanelRun(services, () => filterOptionsJob(props.session, props.filters, ["request"]));
  const data = run.value;
  const name = () => props.workspace.name;

  const summary = () => data()?.summary;
  // what each panel draws: below the fold, a live update redraws it once the page is idle
  const requestSeries = heldOffScreen(() => data()?.requests);
  const latencySeries = heldOffScreen(() => data()?.latency);
  const statuses = heldOffScreen(() => data()?.statuses);
  const protocols = heldOffScreen(() => data()?.protocols);
  const endpoints = heldOffScreen(() => data()?.endpoints);
  const heatmap = heldOffScreen(() => data()?.heatmap);

  const state = (): PanelState => {
    const s = summary();
    if (s === undefined) return run.error() ? "error" : "loading";
    return s.requests === 0 ? "empty" : "ready";
  };
  /** A panel's state: loading until its own part is in, then empty unless it `has` something. */
  const panelState = (part: unknown, has = true): PanelState => {
    const s = state();
    if (s !== "ready") return s;
    if (part === undefined) return run.error() ? "error" : "loading";
    return has ? "ready" : "empty";
  };
  // the results the drawn mark stands for; the two effects below may run in either order
  let firstComplete: ReturnType<typeof data>;
  const exportEvents = (format: "csv" | "json") => services.aggregator.exportEvents(timeContext(props.session, props.filters, ["request"]).selection, format);

  // once per page: results render synchronously and uPlot draws in a microtask, so a task
  // queued from the next frame runs after that frame painted every panel
  // every later update too, with the events it shows: a live batch's apply-and-redraw ends here
  createEffect(() => {
    const d = data();
    if (d === undefined || !d.complete || !drawnMarked || d === firstComplete) return;
    const requests = d.summary?.requests ?? 0;
    // only the latest is kept: a dashboard left open would otherwise gather one mark per update
    requestAnimationFrame(() => setTimeout(() => (performance.clearMarks(TRAFFIC_UPDATED_MARK), performance.mark(TRAFFIC_UPDATED_MARK, { detail: { requests } }))));
  });

  createEffect(() => {
    if (drawnMarked || !data()?.complete) return;
    drawnMarked = true;
    firstComplete = data();
    const workspace = props.workspace.id;
    performance.mark("tally:traffic-results", { detail: { workspace } });
    requestAnimationFrame(() => setTimeout(() => performance.mark(TRAFFIC_DRAWN_MARK, { detail: { workspace } })));
  });

  // a card waits for the summary (with the rates read from it); the panels wait for their own parts
  const card = (f: (s: NonNullable<ReturnType<typeof summary>>, d: NonNullable<ReturnType<typeof data>>) => string | undefined) => {
    const d = data();
    return (d?.summary && f(d.summary, d)) ?? "…";
  };

  return (
    <>
      <FilterBar state={props.filters} options={options.value()} onChange={(s) => props.setFilters(s)} fixedType="request">
        <ExportMenu
          name="traffic"
          workspace={name()}
          table={() => {
            const d = data();
            return d?.summary && d.rps !== undefined ? summaryTable(d.summary, d.rps) : null;
          }}
          events={exportEvents}
          tableLabel="Summary"
          testId="export-traffic"
        />
      </FilterBar>
      <Show when={run.error() && data() !== undefined}>
        <p class="notice notice-bad" role="alert">
          Could not update the charts: {run.error()}
        </p>
      </Show>

      <h2 class="visually-hidden">Summary</h2>
      <div class="cards" aria-busy={run.pending()}>
        <Card testId="card-requests" label="Requests" value={card((s) => formatCount(s.requests))} title={card((s) => formatInteger(s.requests))} loading={!summary()} />
        <Card
          testId="card-error-rate"
          label="Error rate"
          value={card((s) => formatPercent(s.errorRate))}
          detail="status ≥ 500"
          tone={(summary()?.errorRate ?? 0) > BAD_ERROR_RATE ? "bad" : "normal"}
          loading={!summary()}
        />
        <Card testId="card-rps" label="Request rate" value={card((_, d) => (d.rps !== undefined ? formatRate(d.rps) : undefined))} detail={card((_, d) => (d.peakRps !== undefined ? `peak ${formatRate(d.peakRps)}` : undefined))} loading={!summary()} />
        <Card testId="card-p50" label="p50 latency" value={card((s) => formatMs(s.p50))} loading={!summary()} />
        <Card testId="card-p95" label="p95 latency" value={card((s) => formatMs(s.p95))} loading={!summary()} />
        <Card testId="card-p99" label="p99 latency" value={card((s) => formatMs(s.p99))} loading={!summary()} />
      </div>

      <Show when={state() !== "empty"} fallback={<NoData filters={props.filters} setFilters={(s) => props.setFilters(s)} noun="requests" />}>
        <div class="panels">
          <Panel
            title="Requests over time"
            description={`By protocol, ${PER_BUCKET[data()?.bucket ?? "hour"]}`}
            state={panelState(data()?.requests)}
            error={run.error()}
            testId="panel-requests-over-time"
            ref={requestSeries.ref}
            workspace={name()}
            table={() => {
              const d = data();
              return d?.requests ? seriesTable(d.requests, (p) => `requests_${p}`) : null;
            }}
            wide
          >
            <Chart data={requestSeries()!} format={formatCount} fill label={`Requests ${PER_BUCKET[data()!.bucket]}, by protocol`} testId="chart-requests" />
          </Panel>
          <Panel
            title="Latency"
            description={`p50, p95 and p99 of latency_ms, ${PER_BUCKET[data()?.bucket ?? "hour"]}`}
            state={panelState(data()?.latency, Number.isFinite(summary()?.p50 ?? NaN))}
            empty="No request in this range reports latency_ms."
            error={run.error()}
            testId="panel-latency"
            ref={latencySeries.ref}
            workspace={name()}
            table={() => {
              const d = data();
              return d?.latency ? seriesTable(d.latency, (p) => `${p}_ms`) : null;
            }}
            wide
          >
            <Chart data={latencySeries()!} format={formatMs} label={`Latency percentiles ${PER_BUCKET[data()!.bucket]}`} testId="chart-latency" />
          </Panel>
          <Panel
            title="Errors by status"
            description="Requests answered 400 or above; error rate counts 500 and above"
            state={panelState(data()?.statuses, (data()?.statuses?.length ?? 0) > 0)}
            empty="No error answers in this range."
            error={run.error()}
            testId="panel-errors"
            ref={statuses.ref}
            workspace={name()}
            table={() => {
              const d = data();
              return d?.statuses ? statusTable(d.statuses) : null;
            }}
          >
            <BarList
              testId="errors-by-status"
              label="Requests by error status"
              tone="error"
              bars={statuses()!.map((s) => ({ label: s.label, value: s.requests, display: formatInteger(s.requests) }))}
            />
          </Panel>
          <Panel
            title="Protocols"
            description="Requests, error rate and p95 per protocol"
            state={panelState(data()?.protocols)}
            error={run.error()}
            testId="panel-protocols"
            ref={protocols.ref}
            workspace={name()}
            table={() => {
              const d = data();
              return d?.protocols ? protocolTable(d.protocols) : null;
            }}
          >
            <BarList
              testId="protocol-breakdown"
              label="Requests by protocol"
              bars={protocols()!.map((p) => ({
                label: p.label,
                value: p.requests,
                display: formatInteger(p.requests),
                detail: `${formatPercent(p.requests / summary()!.requests)} · ${formatPercent(p.errorRate)} errors · p95 ${formatMs(p.p95)}`,
              }))}
            />
          </Panel>
          <Panel
            title="Top endpoints"
            description="The 100 busiest method and endpoint pairs; sort by any column"
            state={panelState(data()?.endpoints)}
            error={run.error()}
            testId="panel-endpoints"
            ref={endpoints.ref}
            workspace={name()}
            table={() => {
              const d = data();
              return d?.endpoints ? endpointsTable(d.endpoints) : null;
            }}
            wide
          >
            <Table testId="table-endpoints" caption="Top endpoints" columns={ENDPOINT_COLUMNS} rows={endpoints()!} sort={{ key: "requests", dir: "desc" }} />
          </Panel>
          <Panel
            title="Busiest hours"
            description="Requests by weekday and hour, in your time zone"
            state={panelState(data()?.heatmap)}
            error={run.error()}
            testId="panel-heatmap"
            ref={heatmap.ref}
            workspace={name()}
            table={() => {
              const d = data();
              return d?.heatmap ? heatmapTable(d.heatmap) : null;
            }}
            wide
          >
            <Heatmap testId="heatmap" caption="Requests by hour of week" cells={heatmap()!} describe={(v) => `${formatInteger(v)} requests`} />
          </Panel>
        </div>
      </Show>
    </>
  );
}

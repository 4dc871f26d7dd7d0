/**
 * Overview (DESIGN.md, Views 1): the headline cards of every view (Traffic;
 * Coverage & risk, Product, Jobs & cost and Chaos & alerts for a workspace
 * that has their kinds of event), and how many events of each type the
 * filters select.
 */
import { createSignal, For, lazy, Show, Suspense, type JSX } from "solid-js";
import { Card } from "../components/card.tsx";
import { ExportMenu } from "../components/export-menu.tsx";
import { FilterBar } from "../components/filter-bar.tsx";
import { formatCount, formatInteger, formatMs, formatPercent, formatRate } from "../components/format.ts";
import { overviewTable, type OverviewRow } from "../panels/overview-tables.ts";
import { filtersToParams } from "../routing/filter-state.ts";
import { viewHash } from "../routing/hash-route.ts";
import { NoData } from "./no-data.tsx";
import { filterOptionsJob } from "./filter-options-data.ts";
import { overviewJob } from "./overview-data.ts";
import { createPanelRun } from "./panel-run.ts";
import { useServices } from "./services.tsx";
import { timeContext, type ViewProps } from "./view-context.ts";

// the Coverage, Product, Jobs and Chaos cards bring their views' query builders and report functions (~20 kB): as chunks of
// their own they stay out of the shell and load while the first cards compute; the service worker precaches them
const OverviewCoverage = lazy(() => import("./overview-coverage.tsx").then((m) => ({ default: m.OverviewCoverage })));
const OverviewProduct = lazy(() => import("./overview-product.tsx").then((m) => ({ default: m.OverviewProduct })));
const OverviewJobs = lazy(() => import("./overview-jobs.tsx").then((m) => ({ default: m.OverviewJobs })));
const OverviewChaos = lazy(() => import("./overview-chaos.tsx").then((m) => ({ default: m.OverviewChaos })));

const TYPE_LABELS: Record<string, string> = {
  request: "Requests",
  test: "Test runs",
  mock: "Mock states",
  job: "Jobs",
  chaos: "Chaos faults",
  track: "Product events",
};

export function OverviewView(props: ViewProps): JSX.Element {
  const services = useServices();
  const run = createPanelRun(services, () => overviewJob(props.session, props.filters));
  // created after the panels' run, so its queries go to the worker after theirs
  const options = createPanelRun(services, () => filterOptionsJob(props.session, props.filters));
  const data = run.value;
  // the card groups' numbers, handed up for the export
  const [coverageRows, setCoverageRows] = createSignal<OverviewRow[]>([]);
  const [productRows, setProductRows] = createSignal<OverviewRow[]>([]);
  const [jobsRows, setJobsRows] = createSignal<OverviewRow[]>([]);
  const [chaosRows, setChaosRows] = createSignal<OverviewRow[]>([]);
  const name = () => props.workspace.name;
  const value = (f: (d: NonNullable<ReturnType<typeof data>>) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  const trafficLink = () => viewHash(props.workspace.id, "traffic", filtersToParams(props.filters));
  // a group shows for a workspace storing its kind of event (and hides itself under a type filter its view does not
  // read); it waits for the overview's own results, so its queries never delay the first cards
  const stores = (...types: string[]) => data()?.stored !== undefined && types.some((t) => data()!.stored.has(t));
  const exportEvents = (format: "csv" | "json") => services.aggregator.exportEvents(timeContext(props.session, props.filters).selection, format);

  return (
    <>
      <FilterBar state={props.filters} options={options.value()} onChange={(s) => props.setFilters(s)}>
        <ExportMenu
          name="overview"
          workspace={name()}
          table={() => {
            const d = data();
            return d ? overviewTable(d.traffic, d.rps, d.types, [...coverageRows(), ...productRows(), ...jobsRows(), ...chaosRows()]) : null;
          }}
          events={exportEvents}
          tableLabel="Overview numbers"
          testId="export-overview"
        />
      </FilterBar>
      <Show when={run.error()}>
        <p class="notice notice-bad" role="alert">
          Could not compute the overview: {run.error()}
        </p>
      </Show>

      <Show when={data()?.events !== 0} fallback={<NoData filters={props.filters} setFilters={(s) => props.setFilters(s)} noun="events" />}>
        <section class="section" aria-labelledby="overview-traffic">
          <div class="section-head">
            <h2 id="overview-traffic" class="section-title">
              Traffic
            </h2>
            <a class="link" href={trafficLink()} data-testid="open-traffic">
              Open Traffic →
            </a>
          </div>
          <div class="cards">
            <Card testId="card-requests" label="Requests" value={value((d) => formatCount(d.traffic.requests))} loading={!data()} />
            <Card
              testId="card-error-rate"
              label="Error rate"
              value={value((d) => formatPercent(d.traffic.errorRate))}
              detail="status ≥ 500"
              tone={(data()?.traffic.errorRate ?? 0) > 0.05 ? "bad" : "normal"}
              loading={!data()}
            />
            <Card testId="card-p95" label="p95 latency" value={value((d) => formatMs(d.traffic.p95))} loading={!data()} />
            <Card testId="card-rps" label="Request rate" value={value((d) => formatRate(d.rps))} loading={!data()} />
          </div>
        </section>

        <Suspense fallback={<p class="panel-placeholder" role="status">Loading…</p>}>
          <Show when={stores("test", "mock")}>
            <OverviewCoverage workspaceId={props.workspace.id} session={props.session} filters={props.filters} onRows={setCoverageRows} />
          </Show>
          <Show when={stores("track")}>
            <OverviewProduct workspaceId={props.workspace.id} session={props.session} filters={props.filters} onRows={setProductRows} />
          </Show>
          <Show when={stores("job")}>
            <OverviewJobs workspaceId={props.workspace.id} session={props.session} filters={props.filters} onRows={setJobsRows} />
          </Show>
          <Show when={stores("chaos")}>
            <OverviewChaos workspaceId={props.workspace.id} session={props.session} filters={props.filters} onRows={setChaosRows} />
          </Show>
        </Suspense>

        <section class="section" aria-labelledby="overview-types">
          <div class="section-head">
            <h2 id="overview-types" class="section-title">
              Events by type
            </h2>
          </div>
          <div class="cards">
            <Card testId="card-events" label="All events" value={value((d) => formatCount(d.events))} title={value((d) => formatInteger(d.events))} loading={!data()} />
            <For each={data()?.types ?? []}>
              {(t) => <Card testId={`card-events-${t.type}`} label={TYPE_LABELS[t.type] ?? t.type} value={formatCount(t.count)} title={formatInteger(t.count)} />}
            </For>
          </div>
        </section>
      </Show>
    </>
  );
}

/**
 * Product (DESIGN.md, Views 4): headline cards (users, DAU, WAU, MAU,
 * stickiness), active users over time, feature adoption with its trend,
 * experiments with their verdicts, segments, and funnels, with the forms
 * admins define experiment goals and funnels in. Renders only: the report is
 * the aggregation worker's (product-data.ts), the settings come from the
 * edge (product-config-data.ts).
 */
import { createSignal, For, Show, type JSX } from "solid-js";
import "../styles/product.css";
import { Card } from "../components/card.tsx";
import { Chart } from "../components/chart.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { ExperimentEditor } from "../components/experiment-editor.tsx";
import { ExportMenu } from "../components/export-menu.tsx";
import { FilterBar } from "../components/filter-bar.tsx";
import { formatAgo, formatCount, formatInteger, formatPercent } from "../components/format.ts";
import { FunnelEditor } from "../components/funnel-editor.tsx";
import { Panel, type PanelState } from "../components/panel.tsx";
import { Table } from "../components/table.tsx";
import { activeChart, GRAINS, NO_SETTINGS, SEGMENT_LABEL, stickiness, type Grain } from "../panels/product.ts";
import { ENGAGEMENT_RULE, SEGMENT_ORDER, SEGMENT_RULES } from "../panels/product-segments.ts";
import { activeUsersTable, adoptionTable, experimentsTable, funnelsTable, productSummaryTable, segmentsTable } from "../panels/product-tables.ts";
import type { ProductReport } from "../../../shared/product/types.ts";
import { filterOptionsJob } from "./filter-options-data.ts";
import { NoData } from "./no-data.tsx";
import { createPanelRun } from "./panel-run.ts";
import { ADOPTION_COLUMNS, SEGMENT_COLUMNS } from "./product-columns.tsx";
import { createProductConfig } from "./product-config-data.ts";
import { productJob, storedTrackJob } from "./product-data.ts";
import { createProductRun } from "./product-run.ts";
import { ExperimentList } from "./product-experiments.tsx";
import { FunnelList } from "./product-funnels.tsx";
import { useServices } from "./services.tsx";
import { timeContext, type ViewProps } from "./view-context.ts";

/** What a first track event looks like, for the empty view. */
const EXAMPLE = '{ "type": "track", "name": "report_exported", "props": { "user": "u_42", "feature": "export" } }';

export function ProductView(props: ViewProps): JSX.Element {
  const services = useServices();
  // the page keys views by workspace, so the workspace is fixed for this view's life
  const config = createProductConfig(props.workspace, props.session);
  // the events are all stored here: without any copy of the settings yet (never fetched, the fetch still under way, or the
  // edge refused or is out of reach) the report runs at once on defaults, and again when the settings arrive
  const settings = () => config.config() ?? NO_SETTINGS;
  const run = createProductRun(services, () => productJob(props.session, props.filters, settings()));
  const stored = createPanelRun(services, () => storedTrackJob(props.session));
  // created after the report's run, so its queries go to the worker after it
  const options = createPanelRun(services, () => filterOptionsJob(props.session, props.filters, ["track"]));
  const [grain, setGrain] = createSignal<Grain>("daily");
  const data = run.value;
  const name = () => props.workspace.name;

  const state = (): PanelState => (data() !== undefined ? "ready" : run.error() ? "error" : "loading");
  const listState = (has: (r: ProductReport) => boolean): PanelState => (state() === "ready" && !has(data()!) ? "empty" : state());
  const none = () => stored.value() === 0;
  const exportEvents = (format: "csv" | "json") => services.aggregator.exportEvents(timeContext(props.session, props.filters, ["track"]).selection, format);
  const card = (f: (r: ProductReport) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  // the report lists the segments in their fixed order (power, regular, new, at risk)
  const segments = () => data()?.segments ?? [];
  const seen = () => (data()?.experiments ?? []).map((e) => ({ experiment: e.experiment, variants: e.variants.map((v) => v.variant) }));
  const noun = () => GRAINS.find((g) => g.grain === grain())!.noun;

  return (
    <>
      <FilterBar state={props.filters} options={options.value()} onChange={(s) => props.setFilters(s)} fixedType="track">
        <ExportMenu name="product" workspace={name()} table={() => (data() ? productSummaryTable(data()!) : null)} events={exportEvents} tableLabel="Summary" testId="export-product" />
      </FilterBar>
      <Show when={run.error() && data() !== undefined}>
        <p class="notice notice-bad" role="alert">
          Could not update the report: {run.error()}
        </p>
      </Show>
      <Show when={config.offline()}>
        <p class="notice" role="status" data-testid="product-config-offline">
          {config.fetchedAt() !== null
            ? `Offline: experiment goals and funnels are as fetched ${formatAgo(config.fetchedAt(), props.session.now())}.`
            : "Offline: experiment goals and funnels have not been fetched yet; experiments use their default goal and no funnel shows until they are."}
        </p>
      </Show>
      <Show when={config.error()}>
        <p class="notice notice-bad" role="alert" data-testid="product-config-error">
          Could not fetch the experiment goals and funnels: {config.error()}{" "}
          <button type="button" class="button button-small" onClick={() => config.refetch()}>
            Retry
          </button>
        </p>
      </Show>

      <h2 class="visually-hidden">Summary</h2>
      <div class="cards" aria-busy={run.pending()}>
        <Card testId="card-users" label="Users" value={card((r) => formatCount(r.users))} title={card((r) => formatInteger(r.users))} detail={card((r) => `${formatInteger(r.events)} track events in range`)} loading={!data()} />
        <Card testId="card-dau" label="DAU" value={card((r) => formatCount(r.active.dau))} detail="users in the last day" loading={!data()} />
        <Card testId="card-wau" label="WAU" value={card((r) => formatCount(r.active.wau))} detail="users in the last 7 days" loading={!data()} />
        <Card testId="card-mau" label="MAU" value={card((r) => formatCount(r.active.mau))} detail="users in the last 30 days" loading={!data()} />
        <Card testId="card-stickiness" label="Stickiness" value={card((r) => formatPercent(stickiness(r.active)))} detail="DAU ÷ MAU" loading={!data()} />
      </div>

      <Show
        when={!none()}
        fallback={
          <EmptyState title="No track events yet" hint="The Product view counts track events: post one per thing a user does (to the events API with a write token, or with tally post), naming the user and, where it applies, the feature, experiment and variant; an experiment's default goal is a track event of it with converted = true." testId="product-no-track">
            <code class="code product-example">{EXAMPLE}</code>
          </EmptyState>
        }
      >
        <Show
          when={data()?.events !== 0}
          fallback={
            <NoData filters={props.filters} setFilters={(s) => props.setFilters(s)} noun="track events" />
          }
        >
          <div class="panels">
            <Panel
              title="Active users"
              description={`Distinct users with a track event per ${noun()}, in your time zone`}
              state={listState((r) => r.users > 0)}
              error={run.error()}
              empty="No track event in this range names a user (the user prop)."
              testId="panel-active-users"
              workspace={name()}
              table={() => (data() ? activeUsersTable(data()!.active, grain(), timeContext(props.session, props.filters, ["track"]).offsetMinutes) : null)}
              wide
            >
              <div class="segmented product-grain" role="group" aria-label="Active users per">
                <For each={GRAINS}>
                  {(g) => (
                    <button type="button" class="segment" aria-pressed={grain() === g.grain} onClick={() => setGrain(g.grain)} data-testid={`grain-${g.grain}`}>
                      {g.label}
                    </button>
                  )}
                </For>
              </div>
              <Chart data={activeChart(data()!.active, grain())} format={formatCount} fill label={`Distinct active users per ${noun()}`} testId="chart-active-users" />
            </Panel>
            <Panel
              title="Feature adoption"
              description="Users of each feature (the feature prop), their share of active users, and the same share in the period before"
              state={listState((r) => r.adoption.length > 0)}
              error={run.error()}
              empty="No track event in this range names a feature (the feature prop)."
              testId="panel-adoption"
              workspace={name()}
              table={() => (data() ? adoptionTable(data()!.adoption) : null)}
            >
              <div class="product-table">
                <Table testId="table-adoption" caption="Feature adoption" columns={ADOPTION_COLUMNS} rows={data()!.adoption} sort={{ key: "users", dir: "desc" }} />
              </div>
            </Panel>
            <Panel
              title="Segments"
              description="Users with an event in the range, by how they used the product up to its end (or now)"
              state={listState((r) => r.segments.some((s) => s.users > 0))}
              error={run.error()}
              empty="No track event in this range names a user (the user prop)."
              testId="panel-segments"
              workspace={name()}
              table={() => (data() ? segmentsTable(segments()) : null)}
            >
              <div class="product-table">
                <Table testId="table-segments" caption="Segments" columns={SEGMENT_COLUMNS} rows={segments()} />
              </div>
              <dl class="product-rules" data-testid="segment-rules">
                <For each={SEGMENT_ORDER}>
                  {(s) => (
                    <div>
                      <dt>{SEGMENT_LABEL[s]}</dt>
                      <dd>{SEGMENT_RULES[s]}</dd>
                    </div>
                  )}
                </For>
              </dl>
              <p class="rule-hint">{ENGAGEMENT_RULE}</p>
            </Panel>
            <Panel
              title="Experiments"
              description="Per experiment and variant (the experiment and variant props): users, conversions to the goal, and how each variant compares with the control"
              state={state()}
              error={run.error()}
              testId="panel-experiments"
              workspace={name()}
              table={() => (data() ? experimentsTable(data()!.experiments) : null)}
              wide
            >
              <Show when={data()!.experiments.length > 0} fallback={<p class="panel-placeholder">No track event in this range names an experiment and a variant.</p>}>
                <ExperimentList experiments={data()!.experiments} />
              </Show>
            </Panel>
            <Panel
              title="Funnels"
              description="Users who did each step in order, each within the funnel's window from their first step"
              state={state()}
              error={run.error()}
              testId="panel-funnels"
              workspace={name()}
              table={() => (data() ? funnelsTable(data()!.funnels) : null)}
              wide
            >
              <Show when={data()!.funnels.length > 0} fallback={<p class="panel-placeholder">No funnel is defined yet. An admin adds one below.</p>}>
                <FunnelList funnels={data()!.funnels} />
              </Show>
            </Panel>
          </div>
        </Show>
      </Show>
      {/* mounted once, outside the Shows above: the events count going to 0 and back (a range ageing, a sync) must not remount the editors and lose a half-typed draft */}
      <section aria-labelledby="product-settings-title" data-testid="product-settings">
        <h2 id="product-settings-title" class="view-section-title">
          Experiment goals and funnels
        </h2>
        <h3 class="product-subtitle">Goals and controls</h3>
        <ExperimentEditor workspace={props.workspace} config={config.config()} seen={seen()} onSaved={(c) => config.replace(c)} />
        <h3 class="product-subtitle">Funnel definitions</h3>
        <FunnelEditor workspace={props.workspace} config={config.config()} onSaved={(c) => config.replace(c)} />
      </section>
    </>
  );
}

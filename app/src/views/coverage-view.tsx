/**
 * Coverage & risk (DESIGN.md, Views 3): headline cards, endpoint coverage
 * against the workspace's catalog (with the OpenAPI import for admins),
 * scenario usage and its scenario × day heatmap, persona CI hits, mock
 * staleness with recommendations, drift with its trend, and flaky tests.
 * Renders only: the report comes from shared/coverage through
 * coverage-data.ts, the config from coverage-config-data.ts.
 */
import { createMemo, Show, type JSX } from "solid-js";
import type { CoverageReport } from "../../../shared/coverage/index.ts";
import { Card } from "../components/card.tsx";
import { CatalogImport } from "../components/catalog-import.tsx";
import { CoverageSettingsEditor } from "../components/coverage-settings.tsx";
import { Chart } from "../components/chart.tsx";
import { ExportMenu } from "../components/export-menu.tsx";
import { FilterBar } from "../components/filter-bar.tsx";
import { formatAgo, formatInteger, formatPercent } from "../components/format.ts";
import { GridHeatmap } from "../components/grid-heatmap.tsx";
import { Panel, type PanelState } from "../components/panel.tsx";
import { Table } from "../components/table.tsx";
import {
  driftSeries,
  driftTable,
  endpointCoverageTable,
  flakyTable,
  heatmapGrid,
  personaTable,
  scenarioHeatmapTable,
  scenarioTable,
  stalenessTable,
  summaryTable,
  undocumentedTable,
} from "../panels/coverage-tables.ts";
import { ENDPOINT_COLUMNS, FLAKY_COLUMNS, formatDay, PERSONA_COLUMNS, SCENARIO_COLUMNS, STALENESS_COLUMNS, UNDOCUMENTED_COLUMNS } from "./coverage-columns.tsx";
import { createCoverageConfig } from "./coverage-config-data.ts";
import { COVERAGE_TYPES } from "../panels/coverage.ts";
import { coverageJob } from "./coverage-data.ts";
import { filterOptionsJob } from "./filter-options-data.ts";
import { createPanelRun } from "./panel-run.ts";
import { useServices } from "./services.tsx";
import { timeContext, type ViewProps } from "./view-context.ts";

const EMPTY_CONFIG = { catalog: [], personas: [], scenarios: [], thresholds: {}, catalogVersion: 0 };

export function CoverageView(props: ViewProps): JSX.Element {
  const services = useServices();
  // the page keys views by workspace, so the workspace is fixed for this view's life
  const config = createCoverageConfig(props.workspace, props.session);
  // without any copy of the config (never fetched, and the edge refused or is out of reach), the rest of the report still shows
  const known = () => config.config() ?? (config.error() !== null || config.offline() ? EMPTY_CONFIG : null);
  const run = createPanelRun(services, () => coverageJob(props.session, props.filters, known()));
  const options = createPanelRun(services, () => filterOptionsJob(props.session, props.filters, [...COVERAGE_TYPES]));
  const data = run.value;
  const name = () => props.workspace.name;
  const catalogSize = () => config.config()?.catalog.length ?? 0;

  const state = (): PanelState => (data() !== undefined ? "ready" : run.error() ? "error" : "loading");
  const listState = (has: (r: CoverageReport) => boolean): PanelState => (state() === "ready" && !has(data()!) ? "empty" : state());
  const exportEvents = (format: "csv" | "json") => services.aggregator.exportEvents(timeContext(props.session, props.filters, [...COVERAGE_TYPES]).selection, format);
  const card = (f: (r: CoverageReport) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  const heatmap = createMemo(() => {
    const d = data();
    return d ? heatmapGrid(d.heatmap, d.scenarios.map((s) => s.scenario), 30, formatDay) : { columns: [], rows: [] };
  });

  return (
    <>
      <FilterBar state={props.filters} options={options.value()} onChange={(s) => props.setFilters(s)}>
        <ExportMenu name="coverage" workspace={name()} table={() => (data() ? summaryTable(data()!) : null)} events={exportEvents} tableLabel="Summary" testId="export-coverage" />
      </FilterBar>
      <Show when={run.error() && data() !== undefined}>
        <p class="notice notice-bad" role="alert">
          Could not update the report: {run.error()}
        </p>
      </Show>
      <Show when={config.offline()}>
        <p class="notice" role="status" data-testid="coverage-config-offline">
          {config.fetchedAt() !== null
            ? `Offline: the endpoint catalog, personas and thresholds are as fetched ${formatAgo(config.fetchedAt(), props.session.now())}.`
            : "Offline: the endpoint catalog, personas and thresholds have not been fetched yet; coverage against the catalog shows once they are."}
        </p>
      </Show>
      <Show when={config.error()}>
        <p class="notice notice-bad" role="alert" data-testid="coverage-config-error">
          Could not fetch the coverage config: {config.error()}{" "}
          <button type="button" class="button button-small" onClick={() => config.refetch()}>
            Retry
          </button>
        </p>
      </Show>

      <h2 class="visually-hidden">Summary</h2>
      <div class="cards" aria-busy={run.pending()}>
        <Card
          testId="card-coverage"
          label="Endpoint coverage"
          value={card((r) => (r.overall.endpoints === 0 ? "—" : formatPercent(r.overall.coverage)))}
          detail={card((r) =>
            r.overall.endpoints === 0 ? "no endpoint catalog" : `${formatInteger(r.overall.exercised)} of ${formatInteger(r.overall.documented)} codes · min ${formatPercent(r.overall.minCoverage)}`,
          )}
          tone={data() && data()!.overall.endpoints > 0 && data()!.overall.coverage < data()!.overall.minCoverage ? "bad" : "normal"}
          loading={!data()}
        />
        <Card
          testId="card-under-threshold"
          label="Endpoints under threshold"
          value={card((r) => formatInteger(r.overall.underThreshold))}
          detail={card((r) => `of ${formatInteger(r.overall.endpoints)} in the catalog`)}
          tone={(data()?.overall.underThreshold ?? 0) > 0 ? "bad" : "normal"}
          loading={!data()}
        />
        <Card
          testId="card-drift"
          label="Drifting mocks"
          value={card((r) => (r.drift.mocks === 0 ? "—" : formatPercent(r.drift.percent / 100)))}
          detail={card((r) => (r.drift.mocks === 0 ? "no mock reports drift" : `${formatInteger(r.drift.drifting)} of ${formatInteger(r.drift.mocks)} · max ${formatPercent(r.drift.maxPercent / 100)}`))}
          tone={data()?.drift.overThreshold ? "bad" : "normal"}
          loading={!data()}
        />
        <Card
          testId="card-flaky"
          label="Flaky tests"
          value={card((r) => formatInteger(r.flaky.flaky))}
          detail={card((r) => `of ${formatInteger(r.flaky.testsSeen)} tests run`)}
          tone={(data()?.flaky.flaky ?? 0) > 0 ? "bad" : "normal"}
          loading={!data()}
        />
      </div>

      <div class="panels">
        <Panel
          title="Endpoint coverage"
          description={`Documented response codes exercised by tests or CI requests, per catalog endpoint; under ${formatPercent(data()?.overall.minCoverage ?? 0.8)} is flagged`}
          state={state()}
          error={run.error()}
          testId="panel-endpoint-coverage"
          workspace={name()}
          table={catalogSize() > 0 ? () => (data() ? endpointCoverageTable(data()!) : null) : undefined}
          wide
        >
          <Show
            when={catalogSize() > 0 && (data()?.endpoints.length ?? 0) > 0}
            fallback={
              <div class="empty-state" data-testid="coverage-no-catalog">
                <p class="empty-title">No endpoint catalog yet: import an OpenAPI document</p>
                <p class="empty-hint">Coverage counts the response codes the catalog documents that tests (their endpoint, method and response props) or CI requests exercised. Admins import the catalog here or with `tally catalog import openapi.yaml`.</p>
              </div>
            }
          >
            <Table testId="table-endpoint-coverage" caption="Endpoint coverage" columns={ENDPOINT_COLUMNS} rows={data()!.endpoints} sort={{ key: "coverage", dir: "asc" }} />
          </Show>
          {/* one control for both states, so its notice outlives the switch from empty to table */}
          <CatalogImport workspace={props.workspace} catalog={config.config()?.catalog ?? []} onImported={(c) => config.replace(c)} />
        </Panel>
        <Show when={(data()?.undocumented.length ?? 0) > 0}>
          <Panel
            title="Tested but not in the catalog"
            description="Endpoints tests or CI requests reached that the catalog does not document"
            state={state()}
            testId="panel-undocumented"
            workspace={name()}
            table={() => (data() ? undocumentedTable(data()!) : null)}
            wide
          >
            <Table testId="table-undocumented" caption="Endpoints not in the catalog" columns={UNDOCUMENTED_COLUMNS} rows={data()!.undocumented} sort={{ key: "tests", dir: "desc" }} />
          </Panel>
        </Show>
        <Panel
          title="Scenario usage"
          description="Uses by tests and requests, the last day used, and this week against the week before"
          state={listState((r) => r.scenarios.length > 0)}
          error={run.error()}
          empty="No test or request names a scenario in this range, and none is declared."
          testId="panel-scenarios"
          workspace={name()}
          table={() => (data() ? scenarioTable(data()!) : null)}
        >
          <Table testId="table-scenarios" caption="Scenario usage" columns={SCENARIO_COLUMNS} rows={data()!.scenarios} sort={{ key: "count", dir: "desc" }} />
          <Show when={data()!.unusedScenarios.length > 0}>
            <p class="notice" data-testid="scenarios-unused">
              Declared but not used: <span class="mono">{data()!.unusedScenarios.join(", ")}</span>
            </p>
          </Show>
        </Panel>
        <Panel
          title="Scenarios by day"
          description={`Uses per scenario and day, in your time zone${heatmap().rows.length < (data()?.heatmap.scenarios.length ?? 0) ? `; the ${heatmap().rows.length} most used` : ""}`}
          state={listState((r) => r.heatmap.scenarios.length > 0 && r.heatmap.days.length > 0)}
          error={run.error()}
          empty="No scenario was used in this range."
          testId="panel-scenario-heatmap"
          workspace={name()}
          table={() => (data() ? scenarioHeatmapTable(data()!.heatmap) : null)}
          wide
        >
          <GridHeatmap testId="scenario-heatmap" caption="Scenario uses by day" columns={heatmap().columns} rows={heatmap().rows} describe={(v) => `${formatInteger(v)} uses`} />
        </Panel>
        <Panel
          title="Persona CI hits"
          description="Tests and CI requests per persona, the last day hit and the CI systems"
          state={listState((r) => r.personas.personas.length > 0)}
          error={run.error()}
          empty="No test or CI request names a persona in this range, and none is declared."
          testId="panel-personas"
          workspace={name()}
          table={() => (data() ? personaTable(data()!) : null)}
        >
          <Table testId="table-personas" caption="Persona CI hits" columns={PERSONA_COLUMNS} rows={data()!.personas.personas} sort={{ key: "hits", dir: "desc" }} />
          <Show when={data()!.personas.neverHit.length > 0}>
            <p class="notice notice-bad" data-testid="personas-never-hit">
              Declared but never hit: <span class="mono">{data()!.personas.neverHit.join(", ")}</span>
            </p>
          </Show>
        </Panel>
        <Panel
          title="Reality-level staleness"
          description={`Each mock's reality level, when it last changed and what to do; ${formatInteger(data()?.thresholds.staleDays ?? 30)} days or more is stale`}
          state={listState((r) => r.staleness.length > 0)}
          error={run.error()}
          empty="No mock has reported its state (mock events with reality_level)."
          testId="panel-staleness"
          workspace={name()}
          table={() => (data() ? stalenessTable(data()!) : null)}
          wide
        >
          <Table testId="table-staleness" caption="Mock staleness" columns={STALENESS_COLUMNS} rows={data()!.staleness} sort={{ key: "daysStale", dir: "desc" }} />
        </Panel>
        <Panel
          title="Drift"
          description={`Mocks whose responses drift from the live API; high drift is ${formatPercent(data()?.drift.highDriftAt ?? 0.5)} or more`}
          state={listState((r) => r.drift.mocks > 0)}
          error={run.error()}
          empty="No mock reports drift."
          testId="panel-drift"
          workspace={name()}
          table={() => (data() ? driftTable(data()!) : null)}
          wide
        >
          <p class="panel-description" data-testid="drift-summary">
            {formatInteger(data()!.drift.mocks)} mocks · {formatInteger(data()!.drift.drifting)} drifting ({formatPercent(data()!.drift.percent / 100)}, max{" "}
            {formatPercent(data()!.drift.maxPercent / 100)}) · {formatInteger(data()!.drift.highDrift)} high drift
          </p>
          <Show when={data()!.drift.trend.days.length > 1} fallback={<p class="panel-placeholder">One day of drift reports so far: the trend draws from the second day.</p>}>
            <Chart data={driftSeries(data()!.drift.trend, data()!.drift.maxPercent)} format={(v) => formatPercent(v / 100)} label="Share of drifting mocks per day, against the maximum" testId="chart-drift" />
          </Show>
        </Panel>
        <Panel
          title="Flaky tests"
          description="Tests that failed and passed on the same commit, or passed on a retry; flake rate is flaky commits ÷ commits"
          state={listState((r) => r.flaky.tests.length > 0)}
          error={run.error()}
          empty="No flaky test in this range."
          testId="panel-flaky"
          workspace={name()}
          table={() => (data() ? flakyTable(data()!) : null)}
          wide
        >
          <Table testId="table-flaky" caption="Flaky tests" columns={FLAKY_COLUMNS} rows={data()!.flaky.tests} sort={{ key: "flakeRate", dir: "desc" }} />
        </Panel>
      </div>

      <h2 class="view-section-title">What coverage is judged by</h2>
      <p class="panel-description">
        Declared personas and scenarios (the ones never hit or used are listed above) and the thresholds: minimum coverage {formatPercent(data()?.overall.minCoverage ?? 0.8)}, stale after{" "}
        {formatInteger(data()?.thresholds.staleDays ?? 30)} days, at most {formatPercent((data()?.drift.maxPercent ?? 20) / 100)} drifting mocks, high drift at {formatPercent(data()?.drift.highDriftAt ?? 0.5)}.
      </p>
      <CoverageSettingsEditor workspace={props.workspace} config={config.config()} onSaved={(c) => config.replace(c)} />
    </>
  );
}

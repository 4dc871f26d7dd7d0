/**
 * The Overview's Coverage & risk cards: flaky tests and drifting mocks, as
 * the Coverage view shows them (same queries, same report functions), and a
 * link to that view for endpoint coverage, which needs the workspace's
 * endpoint catalog (see coverage-headlines-data.ts for why it is not here).
 */
import { createEffect, onCleanup, Show, type JSX } from "solid-js";
import { Card } from "../components/card.tsx";
import { formatInteger, formatPercent } from "../components/format.ts";
import { COVERAGE_TYPES } from "../panels/coverage.ts";
import { coverageCardRows, type OverviewRow } from "../panels/overview-tables.ts";
import { filtersToParams, type FilterState } from "../routing/filter-state.ts";
import { viewHash } from "../routing/hash-route.ts";
import { coverageHeadlinesJob } from "./coverage-headlines-data.ts";
import { createPanelRun } from "./panel-run.ts";
import { OverviewSection } from "./overview-section.tsx";
import { useServices } from "./services.tsx";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface OverviewCoverageProps {
  workspaceId: string;
  session: WorkspaceSession;
  filters: FilterState;
  /** The cards' export rows, for the Overview's export; [] while there are none to show. */
  onRows(rows: OverviewRow[]): void;
}

export function OverviewCoverage(props: OverviewCoverageProps): JSX.Element {
  // under a type filter the view does not read, its cards would only say "none"
  const shown = () => props.filters.type === null || (COVERAGE_TYPES as readonly string[]).includes(props.filters.type);
  const run = createPanelRun(useServices(), () => (shown() ? coverageHeadlinesJob(props.session, props.filters) : null));
  const data = run.value;
  const value = (f: (d: NonNullable<ReturnType<typeof data>>) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  const empty = () => {
    const d = data();
    return d !== undefined && d.flaky.testsSeen === 0 && d.drift.mocks === 0;
  };
  createEffect(() => {
    const d = data();
    props.onRows(shown() && d ? coverageCardRows(d) : []);
  });
  onCleanup(() => props.onRows([]));
  const link = () => viewHash(props.workspaceId, "coverage", filtersToParams(props.filters));

  return (
    <Show when={shown()}>
      <OverviewSection
        id="coverage"
        title="Coverage & risk"
        href={link()}
        linkText="Endpoint coverage and more →"
        linkTestId="open-coverage"
        error={run.error()}
        empty={empty()}
        emptyText="No test runs or mock states in this range."
      >
        <div class="cards" aria-busy={run.pending()}>
          {/* the values and details are the Coverage view's cards', so the two read the same */}
          <Card
            testId="overview-card-flaky"
            label="Flaky tests"
            value={value((d) => formatInteger(d.flaky.flaky))}
            detail={value((d) => `of ${formatInteger(d.flaky.testsSeen)} tests run`)}
            tone={(data()?.flaky.flaky ?? 0) > 0 ? "bad" : "normal"}
            loading={!data()}
          />
          <Card
            testId="overview-card-drift"
            label="Drifting mocks"
            value={value((d) => (d.drift.mocks === 0 ? "—" : formatPercent(d.drift.percent / 100)))}
            // no "max" nor threshold tone: drift_max is in the config, which the Overview does not read
            detail={value((d) => (d.drift.mocks === 0 ? "no mock reports drift" : `${formatInteger(d.drift.drifting)} of ${formatInteger(d.drift.mocks)} mocks`))}
            loading={!data()}
          />
        </div>
      </OverviewSection>
    </Show>
  );
}

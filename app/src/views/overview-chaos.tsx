/**
 * The Overview's Chaos & alerts cards: faults injected, affected endpoints,
 * the peak and the impact score, from the Chaos view's own two jobs
 * (chaos-data.ts), so both read the same. Events only: active alerts come
 * from the edge (chaos-alerts-data.ts), so they stay in the Chaos view,
 * which the section links to.
 */
import { createEffect, onCleanup, Show, type JSX } from "solid-js";
import { Card } from "../components/card.tsx";
import { formatScore } from "../components/chaos-impact.tsx";
import { formatCount, formatDateTime, formatInteger } from "../components/format.ts";
import { chaosCardRows, type OverviewRow } from "../panels/overview-tables.ts";
import { filtersToParams, type FilterState } from "../routing/filter-state.ts";
import { viewHash } from "../routing/hash-route.ts";
import { chaosJob, impactJob } from "./chaos-data.ts";
import { createPanelRun } from "./panel-run.ts";
import { OverviewSection } from "./overview-section.tsx";
import { useServices } from "./services.tsx";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface OverviewChaosProps {
  workspaceId: string;
  session: WorkspaceSession;
  filters: FilterState;
  /** The cards' export rows, for the Overview's export; [] while there are none to show. */
  onRows(rows: OverviewRow[]): void;
}

export function OverviewChaos(props: OverviewChaosProps): JSX.Element {
  const services = useServices();
  // the Chaos view reads chaos events whatever the type filter; here another type chosen means the chaos cards are not wanted
  const shown = () => props.filters.type === null || props.filters.type === "chaos";
  const run = createPanelRun(services, () => (shown() ? chaosJob(props.session, props.filters) : null));
  // the impact job measures requests over the faults' span: it waits for the first job, as in the Chaos view
  const impactRun = createPanelRun(services, () => impactJob(props.session, run.value()));
  const data = run.value;
  const impact = () => (data()?.span ? impactRun.value() : undefined);
  const impactLoading = () => data() === undefined || (data()!.span !== null && impact() === undefined && !impactRun.error());
  const value = (f: (d: NonNullable<ReturnType<typeof data>>) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  createEffect(() => {
    const d = data();
    props.onRows(shown() && d ? chaosCardRows(d, impact()) : []);
  });
  onCleanup(() => props.onRows([]));
  const link = () => viewHash(props.workspaceId, "chaos", filtersToParams(props.filters));
  const error = () => run.error() ?? impactRun.error();

  return (
    <Show when={shown()}>
      <OverviewSection
        id="chaos"
        title="Chaos & alerts"
        href={link()}
        linkText="Open Chaos & alerts →"
        linkTestId="open-chaos"
        error={error()}
        empty={data()?.summary.faults === 0}
        emptyText="No injected faults in this range."
      >
        <div class="cards" aria-busy={run.pending() || impactRun.pending()}>
          <Card
            testId="overview-card-faults"
            label="Faults injected"
            value={value((d) => formatCount(d.summary.faults))}
            detail={value((d) => `${formatInteger(d.summary.kinds)} kinds`)}
            loading={!data()}
          />
          <Card testId="overview-card-fault-endpoints" label="Affected endpoints" value={value((d) => formatInteger(d.summary.endpoints))} loading={!data()} />
          <Card
            testId="overview-card-peak"
            label="Peak"
            value={value((d) => (d.peak ? formatDateTime(d.peak.at) : "—"))}
            detail={value((d) => (d.peak ? `${formatInteger(d.peak.faults)} faults` : "no faults"))}
            loading={!data()}
          />
          <Card
            testId="overview-card-impact"
            label="Impact score"
            value={impact() ? formatScore(impact()!.impact.score) : impactLoading() ? "…" : "—"}
            detail={impact()?.impact.level ?? ""}
            tone={(impact()?.impact.score ?? 0) >= 50 ? "bad" : "normal"}
            loading={impactLoading()}
          />
        </div>
      </OverviewSection>
    </Show>
  );
}

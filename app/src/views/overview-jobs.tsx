/**
 * The Overview's Jobs & cost cards: jobs, total cost and success rate, as
 * the Jobs view shows them (same summary query, same report function), and a
 * link to that view for the breakdowns.
 */
import { createEffect, onCleanup, Show, type JSX } from "solid-js";
import type { JobsSummary } from "../../../shared/jobs/index.ts";
import { Card } from "../components/card.tsx";
import { formatCount, formatInteger, formatPercent } from "../components/format.ts";
import { JOBS_TYPE } from "../panels/jobs.ts";
import { formatUsd } from "../panels/jobs-format.ts";
import { jobsCardRows } from "../panels/jobs-tables.ts";
import type { OverviewRow } from "../panels/overview-tables.ts";
import { filtersToParams, type FilterState } from "../routing/filter-state.ts";
import { viewHash, type ViewName } from "../routing/hash-route.ts";
import { jobsHeadlinesJob } from "./jobs-headlines-data.ts";
import { OverviewSection } from "./overview-section.tsx";
import { createPanelRun } from "./panel-run.ts";
import { useServices } from "./services.tsx";
import type { WorkspaceSession } from "./workspace-session.ts";

/** The same props as OverviewCoverage's, so the Overview places both alike. */
export interface OverviewJobsProps {
  workspaceId: string;
  session: WorkspaceSession;
  filters: FilterState;
  /** The cards' export rows, for the Overview's export; [] while there are none to show. */
  onRows(rows: OverviewRow[]): void;
}

/** Below this share of finished jobs succeeding, the card turns red (as in the Jobs view). */
const LOW_SUCCESS = 0.9;

const JOBS_VIEW: ViewName = "jobs";

export function OverviewJobs(props: OverviewJobsProps): JSX.Element {
  // under another type filter, the cards would only say "none"
  const shown = () => props.filters.type === null || props.filters.type === JOBS_TYPE;
  const run = createPanelRun(useServices(), () => (shown() ? jobsHeadlinesJob(props.session, props.filters) : null));
  const data = run.value;
  const value = (f: (d: JobsSummary) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  createEffect(() => {
    const d = data();
    props.onRows(shown() && d && d.jobs > 0 ? jobsCardRows(d) : []);
  });
  onCleanup(() => props.onRows([]));
  const link = () => viewHash(props.workspaceId, JOBS_VIEW, filtersToParams(props.filters));

  return (
    <Show when={shown()}>
      <OverviewSection
        id="jobs"
        title="Jobs & cost"
        href={link()}
        linkText="Providers, costliest jobs and more →"
        linkTestId="open-jobs"
        error={run.error()}
        empty={data() !== undefined && data()!.jobs === 0}
        emptyText="No jobs in this range."
      >
        <div class="cards" aria-busy={run.pending()}>
          {/* the values and details are the Jobs view's cards', so the two read the same */}
          <Card testId="overview-card-jobs" label="Jobs" value={value((d) => formatCount(d.jobs))} title={value((d) => formatInteger(d.jobs))} loading={!data()} />
          <Card
            testId="overview-card-job-cost"
            label="Job cost"
            value={value((d) => formatUsd(d.costUsd))}
            detail={value((d) => `${formatUsd(d.avgCostUsd)} per job`)}
            loading={!data()}
          />
          <Card
            testId="overview-card-job-success"
            label="Job success rate"
            value={value((d) => formatPercent(d.successRate))}
            detail={value((d) => `${formatInteger(d.succeeded)} of ${formatInteger(d.finished)} finished`)}
            tone={(data()?.successRate ?? 1) < LOW_SUCCESS ? "bad" : "normal"}
            loading={!data()}
          />
        </div>
      </OverviewSection>
    </Show>
  );
}

/**
 * The Overview's data module: Traffic's headline queries, the event counts
 * by type and the types stored, in one job; the Coverage and Chaos cards run
 * jobs of their own (overview-coverage.tsx, overview-chaos.tsx). The filter options are a job of
 * their own (filter-options-data.ts).
 */
import { OVERVIEW_PANELS, readTypeCounts } from "../panels/overview.ts";
import { buildPanels } from "../panels/panel-set.ts";
import { readSummary, requestsPerSecond, type Summary } from "../panels/traffic.ts";
import type { FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface OverviewData {
  traffic: Summary;
  rps: number;
  types: Array<{ type: string; count: number }>;
  /** Events the filters select, of every type. */
  events: number;
  /** The event types the workspace stores, whatever the filters. */
  stored: Set<string>;
}

export function overviewJob(session: WorkspaceSession, filters: FilterState): Job<OverviewData> | null {
  if (session.dataset() === null) return null;
  const version = session.version();
  const all = timeContext(session, filters);
  const requests = timeContext(session, filters, ["request"]);
  const panels = buildPanels(OVERVIEW_PANELS, { selection: all.selection, requests: requests.selection });
  const queries = panels.queries;
  return {
    key: JSON.stringify([version, queries]),
    queries,
    read(results) {
      const r = panels.name(results);
      const traffic = readSummary(r.traffic);
      return {
        traffic,
        rps: requestsPerSecond(traffic.requests, requests.range),
        types: readTypeCounts(r.byType),
        events: r.byType.matched,
        stored: new Set(readTypeCounts(r.stored).map((t) => t.type)),
      };
    },
  };
}

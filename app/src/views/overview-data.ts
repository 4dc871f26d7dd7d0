/**
 * The Overview's data module: the headline queries of every view that exists
 * and the event counts by type, in one job. The filter options are a job of
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
      };
    },
  };
}

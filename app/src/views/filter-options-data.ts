/**
 * The filter bar's options as a job of their own. A view runs its panels'
 * job first and this one after it, so the charts never wait for the select
 * lists, which nobody reads before the charts are on screen.
 */
import type { EventType } from "../../../shared/event.ts";
import { filterOptionQueries, readFilterOptions, type FilterOptions } from "../panels/filter-options.ts";
import type { FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

/** Options for the selects over `types` (all types when omitted: the filters' type applies). */
export function filterOptionsJob(session: WorkspaceSession, filters: FilterState, types?: EventType[]): Job<FilterOptions> | null {
  if (session.dataset() === null) return null;
  const version = session.version();
  const { selection } = timeContext(session, filters, types);
  const queries = filterOptionQueries(selection, types ?? selection.types);
  return { key: JSON.stringify([version, queries]), queries, read: readFilterOptions };
}

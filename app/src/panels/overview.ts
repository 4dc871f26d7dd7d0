/**
 * The Overview's panels: Traffic's headline numbers, how many events of each
 * type the filters select, and which types the workspace stores at all (a
 * view's card group shows only for a workspace that has its kind of event).
 * The Coverage and Chaos cards run their views' own jobs
 * (coverage-headlines-data.ts, chaos-data.ts), not queries written here.
 */
import type { Query, QueryResult } from "../../../shared/query.ts";
import type { Selection } from "../data/api.ts";
import { keyLabels, measureAt } from "./columns.ts";
import type { PanelDefs } from "./panel-set.ts";
import { summaryQuery } from "./traffic.ts";

export interface OverviewContext {
  /** The filters' selection, with the type filter if one is set. */
  selection: Selection;
  /** The same selection limited to request events, for the Traffic cards. */
  requests: Selection;
}

export const OVERVIEW_PANELS = {
  traffic: (ctx) => summaryQuery(ctx.requests),
  /** [type] → count */
  byType: (ctx): Query => {
    const { range, types, filters } = ctx.selection;
    return {
      ...(range ? { range } : {}),
      ...(types ? { types } : {}),
      filters: filters ?? [],
      groupBy: [{ field: "type" }],
      measures: [{ fn: "count" }],
      orderBy: { measure: 0 },
    };
  },
  /** [type] → count over everything stored: no range, no filters */
  stored: (): Query => ({ groupBy: [{ field: "type" }], measures: [{ fn: "count" }] }),
} satisfies PanelDefs<OverviewContext>;

/** Event counts by type, most first. */
export function readTypeCounts(result: QueryResult): Array<{ type: string; count: number }> {
  const types = keyLabels(result.keys[0]);
  return types.map((type, row) => ({ type, count: measureAt(result, 0, row) }));
}

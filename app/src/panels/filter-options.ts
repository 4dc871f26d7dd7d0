/**
 * Options for the filter bar's selects: the values each well-known prop takes
 * in the selected range, most frequent first. They ignore the other filters,
 * so picking one value never hides the others of the same select.
 */
import { NONE_LABEL } from "../../../shared/engine/index.ts";
import type { EventType } from "../../../shared/event.ts";
import type { Query, QueryResult } from "../../../shared/query.ts";
import type { Selection } from "../data/api.ts";
import { FIELD_PROPS, type FieldProp } from "../routing/filter-state.ts";
import { keyLabels, measureAt } from "./columns.ts";

/** Values offered per select; a select with more still accepts a value from the URL. */
const MAX_OPTIONS = 200;

export interface FilterOption {
  value: string;
  count: number;
}

export type FilterOptions = { type: FilterOption[] } & Record<FieldProp, FilterOption[]>;

/** One query per select: [type] and [prop] → count, most frequent first. */
export function filterOptionQueries(selection: Selection, types: EventType[] | undefined): Query[] {
  const range = selection.range ? { range: selection.range } : {};
  const typed = types ? { types } : {};
  return [
    { ...range, groupBy: [{ field: "type" }], measures: [{ fn: "count" }], orderBy: { measure: 0 } },
    ...FIELD_PROPS.map(
      (prop): Query => ({ ...range, ...typed, groupBy: [{ prop }], measures: [{ fn: "count" }], orderBy: { measure: 0 }, limit: MAX_OPTIONS }),
    ),
  ];
}

/** Number of queries {@link filterOptionQueries} makes. */
export const FILTER_OPTION_QUERIES = 1 + FIELD_PROPS.length;

function options(result: QueryResult | undefined): FilterOption[] {
  if (result === undefined) return [];
  return keyLabels(result.keys[0])
    .map((value, row) => ({ value, count: measureAt(result, 0, row) }))
    // the group of events without the prop cannot be filtered on, so it is not offered
    .filter((o) => o.value !== NONE_LABEL);
}

export function readFilterOptions(results: QueryResult[]): FilterOptions {
  const out = { type: options(results[0]) } as FilterOptions;
  FIELD_PROPS.forEach((prop, i) => (out[prop] = options(results[i + 1])));
  return out;
}

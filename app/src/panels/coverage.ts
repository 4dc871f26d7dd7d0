/**
 * The Coverage & risk view's queries and report, apart from the session: the
 * coverage queries of shared/coverage narrowed by the filter bar, and the
 * report's input from the workspace's coverage config. The filter bar's type
 * and prop filters narrow every query, so "endpoint = /users/{id}" shows that
 * endpoint's tests, scenarios and mocks; the range bounds them as
 * shared/coverage bounds them (mock states are read up to the range's end).
 */
import { coverageQueries, type CoverageQueryName } from "../../../shared/coverage/queries.ts";
import type { CoverageInput } from "../../../shared/coverage/report.ts";
import type { Filter, Query } from "../../../shared/query.ts";
import { propFilters, type FilterState } from "../routing/filter-state.ts";

/** The event types the view reads: the filter bar's type select offers these. */
export const COVERAGE_TYPES = ["test", "request", "mock"] as const;

/** The config keys the report reads, as coverage-edge.ts gives them. */
export interface CoverageSettings {
  catalog: NonNullable<CoverageInput["catalog"]>;
  personas: readonly string[];
  scenarios: readonly string[];
  thresholds: Readonly<Record<string, number>>;
}

/** The filters every coverage query gets from the filter bar: its prop filters, and its type when one is chosen. */
export function barFilters(filters: FilterState): Filter[] {
  const out = propFilters(filters);
  if (filters.type !== null) out.push({ dim: { field: "type" }, in: [filters.type] });
  return out;
}

/** The coverage queries (all, or those `names` picks) for a range and time zone, with `extra` filters added to each. */
export function filteredCoverageQueries(
  range: { from: number; to: number } | undefined,
  utcOffsetMinutes: number,
  extra: readonly Filter[],
  names?: readonly CoverageQueryName[],
): Query[] {
  const queries = coverageQueries({ ...(range ? { range } : {}), utcOffsetMinutes }, names);
  return extra.length === 0 ? queries : queries.map((q) => ({ ...q, filters: [...(q.filters ?? []), ...extra] }));
}

/** The report's input: the config, the moment, and the range and offset the queries were made for. */
export function coverageInput(config: CoverageSettings, now: number, range: { from: number; to: number } | undefined, utcOffsetMinutes: number): CoverageInput {
  return { catalog: config.catalog, personas: config.personas, scenarios: config.scenarios, thresholds: config.thresholds, now, range, utcOffsetMinutes };
}

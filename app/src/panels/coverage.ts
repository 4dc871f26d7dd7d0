/**
 * The Coverage & risk view's queries and report, apart from the session: the
 * coverage queries of shared/coverage narrowed by the filter bar, and the
 * report's input from the workspace's coverage config. The filter bar's type
 * and its filters on the props tests, CI requests and mocks share (endpoint,
 * method, scenario, persona, suite, ci, run, branch, commit) narrow every
 * query, so "endpoint = /users/{id}" shows that endpoint's tests, scenarios
 * and mocks, and the catalog narrows alike so the other endpoints do not
 * count as uncovered. Filters on other props (env, protocol, status...) do not
 * apply here: tests carry none of them, and would all drop out. The range
 * bounds the queries as shared/coverage bounds them (mock states are read up
 * to the range's end).
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

/** The props tests, CI requests and mocks share: the only ones the filter bar narrows coverage by. */
export const COVERAGE_FILTER_PROPS: readonly string[] = ["endpoint", "method", "scenario", "persona", "suite", "ci", "run", "branch", "commit"];

/** The filters every coverage query gets from the filter bar: its filters on shared props, and its type when one is chosen. */
export function barFilters(filters: FilterState): Filter[] {
  const out = propFilters(filters).filter((f) => "prop" in f.dim && COVERAGE_FILTER_PROPS.includes(f.dim.prop));
  if (filters.type !== null) out.push({ dim: { field: "type" }, in: [filters.type] });
  return out;
}

/** Whether a catalog entry passes the endpoint and method filters among `filters` (methods compare case-blind). */
function inFilters(entry: { method: string; endpoint: string }, filters: readonly Filter[]): boolean {
  return filters.every((f) => {
    if (!("prop" in f.dim) || (f.dim.prop !== "endpoint" && f.dim.prop !== "method")) return true;
    const method = f.dim.prop === "method";
    const value = method ? entry.method.toUpperCase() : entry.endpoint;
    const text = (v: unknown) => (method ? String(v).toUpperCase() : String(v));
    if ("in" in f) return f.in.map(text).includes(value);
    if ("notIn" in f) return !f.notIn.map(text).includes(value);
    return true;
  });
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

/**
 * The report's input: the config (its catalog narrowed by the endpoint and
 * method among `filters`), the moment, and the range and offset the queries
 * were made for.
 */
export function coverageInput(
  config: CoverageSettings,
  now: number,
  range: { from: number; to: number } | undefined,
  utcOffsetMinutes: number,
  filters: readonly Filter[] = [],
): CoverageInput {
  const catalog = config.catalog.filter((entry) => inFilters(entry, filters));
  return { catalog, personas: config.personas, scenarios: config.scenarios, thresholds: config.thresholds, now, range, utcOffsetMinutes };
}

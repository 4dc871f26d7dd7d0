/**
 * The engine queries behind the Product view: the grouped questions the
 * engine answers directly (distinct users per local day, week and month,
 * per feature now and in the period before). Everything that needs a
 * user's events in order goes through the per-user pass (user-events.ts).
 *
 * Every query reads `track` events that pass the view's filters and have a
 * `user`: a bucket or feature seen only on events without a user is not
 * listed. Features require the prop as well, so "(none)" is never a label
 * for missing features (a real feature named "(none)" still is one).
 */
import type { Filter, Query, QueryResult } from "../query.ts";
import type { ProductSpec } from "./types.ts";

const USER = { prop: "user" } as const;
const FEATURE = { prop: "feature" } as const;
const USERS = { fn: "distinct", of: USER } as const;
const HAS_USER: Filter = { dim: USER, present: true };
const HAS_FEATURE: Filter = { dim: FEATURE, present: true };

/** The period of equal length just before `range`: [from − (to − from), from). */
export function previousRange(range: { from: number; to: number }): { from: number; to: number } {
  return { from: range.from - (range.to - range.from), to: range.from };
}

/**
 * The queries, to run together with `runQueries`: daily, weekly and monthly
 * distinct users, distinct users per feature, and with a range also distinct
 * users per feature and in all over the previous period. Hand the results to
 * {@link nameProductResults}.
 */
export function productQueries(spec: Pick<ProductSpec, "range" | "filters" | "utcOffsetMinutes">): Query[] {
  const withUser = [...spec.filters, HAS_USER];
  const withFeature = [...withUser, HAS_FEATURE];
  const base = { types: ["track" as const], ...(spec.utcOffsetMinutes ? { utcOffsetMinutes: spec.utcOffsetMinutes } : {}) };
  const range = spec.range !== undefined ? { range: spec.range } : {};
  const queries: Query[] = [
    { ...base, ...range, filters: withUser, groupBy: [{ bucket: "day" }], measures: [USERS] },
    { ...base, ...range, filters: withUser, groupBy: [{ bucket: "week" }], measures: [USERS] },
    { ...base, ...range, filters: withUser, groupBy: [{ bucket: "month" }], measures: [USERS] },
    { ...base, ...range, filters: withFeature, groupBy: [FEATURE], measures: [USERS] },
  ];
  if (spec.range !== undefined) {
    const previous = { range: previousRange(spec.range) };
    queries.push({ ...base, ...previous, filters: withFeature, groupBy: [FEATURE], measures: [USERS] });
    queries.push({ ...base, ...previous, filters: withUser, measures: [USERS] });
  }
  return queries;
}

/** The results of {@link productQueries}, by name; the previous period's are null without a range. */
export interface ProductResults {
  daily: QueryResult;
  weekly: QueryResult;
  monthly: QueryResult;
  features: QueryResult;
  previous: { features: QueryResult; users: QueryResult } | null;
}

/** Names the results of {@link productQueries}, given in that order. */
export function nameProductResults(results: readonly QueryResult[]): ProductResults {
  if (results.length !== 4 && results.length !== 6) throw new RangeError(`expected 4 or 6 product query results, got ${results.length}`);
  const [daily, weekly, monthly, features, prevFeatures, prevUsers] = results as [QueryResult, QueryResult, QueryResult, QueryResult, QueryResult?, QueryResult?];
  return { daily, weekly, monthly, features, previous: prevFeatures && prevUsers ? { features: prevFeatures, users: prevUsers } : null };
}

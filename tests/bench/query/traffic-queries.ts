/**
 * The Traffic view's queries (DESIGN.md, Views: Traffic), as the bench runs
 * them: headline cards, requests over time by protocol, latency percentiles
 * over time, errors by status, top endpoints and the hour-of-week heatmap.
 */
import type { Query } from "../../../shared/query.ts";

/** A named query of the Traffic view. */
export interface NamedQuery {
  name: string;
  query: Query;
}

const SERVER_ERROR = [{ dim: { prop: "status" }, min: 500 }];
const LATENCY = { prop: "latency_ms" };

/** The six Traffic queries over `range`. */
export function trafficQueries(range: { from: number; to: number }): NamedQuery[] {
  const base = { range, types: ["request" as const] };
  return [
    {
      name: "cards",
      query: {
        ...base,
        measures: [{ fn: "count" }, { fn: "rate", where: SERVER_ERROR }, { fn: "p50", of: LATENCY }, { fn: "p95", of: LATENCY }, { fn: "p99", of: LATENCY }],
      },
    },
    { name: "requests by protocol", query: { ...base, groupBy: [{ bucket: "hour" }, { prop: "protocol" }], measures: [{ fn: "count" }] } },
    {
      name: "latency over time",
      query: { ...base, groupBy: [{ bucket: "hour" }], measures: [{ fn: "p50", of: LATENCY }, { fn: "p95", of: LATENCY }, { fn: "p99", of: LATENCY }] },
    },
    {
      name: "errors by status",
      query: { ...base, filters: [{ dim: { prop: "status" }, min: 400 }], groupBy: [{ prop: "status" }], measures: [{ fn: "count" }] },
    },
    {
      name: "top endpoints",
      query: {
        ...base,
        groupBy: [{ prop: "endpoint" }],
        measures: [{ fn: "count" }, { fn: "rate", where: SERVER_ERROR }, { fn: "p95", of: LATENCY }],
        orderBy: { measure: 0 },
        limit: 20,
      },
    },
    { name: "hour-of-week heatmap", query: { ...base, groupBy: [{ bucket: "hour-of-week" }], measures: [{ fn: "count" }] } },
  ];
}

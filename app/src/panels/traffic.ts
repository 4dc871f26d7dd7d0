/**
 * The Traffic view's panels (DESIGN.md, Views 2), one query each, over
 * `request` events:
 *
 * - Error rate is the share of requests whose `status` is 500 or above
 *   (server errors). 4xx answers are the client's doing: they show in
 *   "Errors by status" but do not count as errors. Requests without a numeric
 *   status never count as errors.
 * - Requests per second is the average over the selected range.
 * - Latency is the `latency_ms` prop; percentiles are exact.
 */
import type { Bucket, Filter, Measure, Query, QueryResult } from "../../../shared/query.ts";
import type { Selection } from "../data/api.ts";
import { keyLabels, measureAt } from "./columns.ts";
import type { PanelDefs } from "./panel-set.ts";

/** What every Traffic query is built from. */
export interface TrafficContext {
  /** Already limited to request events. */
  selection: Selection;
  bucket: Bucket;
  offsetMinutes: number;
}

export const STATUS = { prop: "status" } as const;
export const LATENCY = { prop: "latency_ms" } as const;
export const PROTOCOL = { prop: "protocol" } as const;
export const ENDPOINT = { prop: "endpoint" } as const;
export const METHOD = { prop: "method" } as const;

/** A server error: status 500 or above. */
export const SERVER_ERROR: Filter = { dim: STATUS, min: 500 };
/** Any error answer, client or server, for "Errors by status". */
const ANY_ERROR: Filter = { dim: STATUS, min: 400 };

export const ERROR_RATE: Measure = { fn: "rate", where: [SERVER_ERROR] };

function base(ctx: TrafficContext): Pick<Query, "range" | "types" | "filters"> {
  const { range, types, filters } = ctx.selection;
  return { ...(range ? { range } : {}), ...(types ? { types } : {}), filters: filters ?? [] };
}

/** The headline numbers: measures [count, error rate, p50, p95, p99]. Also used by Overview. */
export function summaryQuery(selection: Selection): Query {
  const { range, types, filters } = selection;
  return {
    ...(range ? { range } : {}),
    ...(types ? { types } : {}),
    filters: filters ?? [],
    measures: [{ fn: "count" }, ERROR_RATE, { fn: "p50", of: LATENCY }, { fn: "p95", of: LATENCY }, { fn: "p99", of: LATENCY }],
  };
}

export const TRAFFIC_PANELS = {
  summary: (ctx) => summaryQuery(ctx.selection),
  /** [bucket, protocol] → count */
  requestsOverTime: (ctx) => ({
    ...base(ctx),
    groupBy: [{ bucket: ctx.bucket }, PROTOCOL],
    measures: [{ fn: "count" }],
    utcOffsetMinutes: ctx.offsetMinutes,
  }),
  /** [bucket] → p50, p95, p99 */
  latencyOverTime: (ctx) => ({
    ...base(ctx),
    groupBy: [{ bucket: ctx.bucket }],
    measures: [
      { fn: "p50", of: LATENCY },
      { fn: "p95", of: LATENCY },
      { fn: "p99", of: LATENCY },
    ],
    utcOffsetMinutes: ctx.offsetMinutes,
  }),
  /** [status] → count, for statuses 400 and above, most frequent first */
  errorsByStatus: (ctx) => ({
    ...base(ctx),
    filters: [...(ctx.selection.filters ?? []), ANY_ERROR],
    groupBy: [STATUS],
    measures: [{ fn: "count" }],
    orderBy: { measure: 0 },
    limit: 20,
  }),
  /** [method, endpoint] → count, error rate, p95; the busiest 100 */
  endpoints: (ctx) => ({
    ...base(ctx),
    groupBy: [METHOD, ENDPOINT],
    measures: [{ fn: "count" }, ERROR_RATE, { fn: "p95", of: LATENCY }],
    orderBy: { measure: 0 },
    limit: 100,
  }),
  /** [protocol] → count, error rate, p95 */
  protocols: (ctx) => ({
    ...base(ctx),
    groupBy: [PROTOCOL],
    measures: [{ fn: "count" }, ERROR_RATE, { fn: "p95", of: LATENCY }],
    orderBy: { measure: 0 },
  }),
  /** [hour-of-week] → count, in the person's time zone */
  heatmap: (ctx) => ({
    ...base(ctx),
    groupBy: [{ bucket: "hour-of-week" }],
    measures: [{ fn: "count" }],
    utcOffsetMinutes: ctx.offsetMinutes,
  }),
} satisfies PanelDefs<TrafficContext>;

export interface Summary {
  requests: number;
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
}

export function readSummary(result: QueryResult): Summary {
  return {
    requests: measureAt(result, 0, 0) || 0,
    errorRate: measureAt(result, 1, 0),
    p50: measureAt(result, 2, 0),
    p95: measureAt(result, 3, 0),
    p99: measureAt(result, 4, 0),
  };
}

/** Average requests per second over a range; NaN without one. */
export function requestsPerSecond(requests: number, range: { from: number; to: number } | null): number {
  if (range === null || range.to <= range.from) return NaN;
  return requests / ((range.to - range.from) / 1000);
}

/** One row of a grouped breakdown: its labels and its measures. */
export interface BreakdownRow {
  keys: string[];
  values: number[];
}

/** Every row of a grouped result, keys as text. */
export function readRows(result: QueryResult): BreakdownRow[] {
  const keys = result.keys.map(keyLabels);
  const rows: BreakdownRow[] = [];
  for (let r = 0; r < result.rows; r++) {
    rows.push({ keys: keys.map((k) => k[r] ?? ""), values: result.measures.map((_, m) => measureAt(result, m, r)) });
  }
  return rows;
}

/** Counts per hour of week, 0 = Monday 00:00 … 167 = Sunday 23:00. */
export function readHeatmap(result: QueryResult): number[] {
  const cells = new Array<number>(168).fill(0);
  const col = result.keys[0];
  if (col?.kind !== "time") return cells;
  for (let r = 0; r < result.rows; r++) {
    const h = col.values[r]!;
    if (h >= 0 && h < 168) cells[h] = measureAt(result, 0, r);
  }
  return cells;
}

/**
 * The request side of the Chaos & alerts view, over the span in which faults
 * were injected (panels/chaos.ts `faultSpan`) against the reference window
 * right before it (shared/impact.ts `baselineBefore`: the previous 24 hours,
 * as the impact score and impact rules use):
 *
 * - the impact score's inputs, with the shared `impactQueries` so the view
 *   and the alert rules measure the same thing;
 * - latency p50/p95/p99/avg of requests during the span and in the baseline;
 * - per affected endpoint, its requests' error rate and p95 during the span.
 *
 * The filter bar's prop filters apply to requests and faults alike.
 */
import { baselineBefore, impactFromResults, impactQueries, type MeasuredImpact, type TimeWindow } from "../../../shared/impact.ts";
import type { Filter, Measure, Query, QueryResult } from "../../../shared/query.ts";
import { measureAt } from "./columns.ts";
import { ENDPOINT, type FaultEndpointRow } from "./chaos.ts";
import { ERROR_RATE, LATENCY } from "./traffic.ts";
import { readRows } from "./traffic.ts";

export interface ImpactContext {
  /** When faults were injected. */
  window: TimeWindow;
  baseline: TimeWindow;
  filters: Filter[];
  /** The endpoints whose requests are measured (the affected-endpoints table's). */
  endpoints: string[];
}

/** The impact context of a fault span: the baseline is the 24 hours before it. */
export function impactContext(window: TimeWindow, filters: Filter[], endpoints: string[]): ImpactContext {
  return { window, baseline: baselineBefore(window), filters, endpoints };
}

const LATENCY_MEASURES: Measure[] = [
  { fn: "count" },
  { fn: "p50", of: LATENCY },
  { fn: "p95", of: LATENCY },
  { fn: "p99", of: LATENCY },
  { fn: "avg", of: LATENCY },
];

/** The job's queries: impact's three, latency now and before, then requests per affected endpoint. */
export function impactPanelQueries(ctx: ImpactContext): Query[] {
  const requests = (range: TimeWindow): Query => ({ range, types: ["request"], filters: ctx.filters, measures: LATENCY_MEASURES });
  return [
    ...impactQueries(ctx.window, ctx.baseline, ctx.filters),
    requests(ctx.window),
    requests(ctx.baseline),
    {
      range: ctx.window,
      types: ["request"],
      filters: [...ctx.filters, { dim: ENDPOINT, in: ctx.endpoints }],
      groupBy: [ENDPOINT],
      measures: [{ fn: "count" }, ERROR_RATE, { fn: "p95", of: LATENCY }],
    },
  ];
}

/** Latency of requests in one window; NaN where no request carried `latency_ms`. */
export interface LatencyStats {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  avg: number;
}

function latencyStats(result: QueryResult): LatencyStats {
  return {
    requests: measureAt(result, 0, 0) || 0,
    p50: measureAt(result, 1, 0),
    p95: measureAt(result, 2, 0),
    p99: measureAt(result, 3, 0),
    avg: measureAt(result, 4, 0),
  };
}

/** What one endpoint's requests did while faults were injected. */
export interface EndpointRequests {
  requests: number;
  errorRate: number;
  p95: number;
}

export interface ImpactData {
  impact: MeasuredImpact;
  during: LatencyStats;
  baseline: LatencyStats;
  byEndpoint: Map<string, EndpointRequests>;
  window: TimeWindow;
  baselineWindow: TimeWindow;
}

/** Reads the results of {@link impactPanelQueries}, in its order. */
export function readImpact(ctx: ImpactContext, results: readonly QueryResult[]): ImpactData {
  const byEndpoint = new Map<string, EndpointRequests>();
  for (const r of readRows(results[5]!)) byEndpoint.set(r.keys[0] ?? "", { requests: r.values[0] ?? 0, errorRate: r.values[1] ?? NaN, p95: r.values[2] ?? NaN });
  return {
    impact: impactFromResults(results.slice(0, 3)),
    during: latencyStats(results[3]!),
    baseline: latencyStats(results[4]!),
    byEndpoint,
    window: ctx.window,
    baselineWindow: ctx.baseline,
  };
}

/** An affected endpoint with its requests during the faults, for the table. */
export interface AffectedEndpoint extends FaultEndpointRow {
  requests: number;
  /** Faults per request at this endpoint; NaN without requests. */
  faultRate: number;
  errorRate: number;
  p95: number;
}

export function affectedEndpoints(rows: FaultEndpointRow[], impact: ImpactData | undefined): AffectedEndpoint[] {
  return rows.map((r) => {
    const req = impact?.byEndpoint.get(r.endpoint);
    const requests = req?.requests ?? 0;
    return { ...r, requests, faultRate: requests > 0 ? r.faults / requests : NaN, errorRate: req?.errorRate ?? NaN, p95: req?.p95 ?? NaN };
  });
}

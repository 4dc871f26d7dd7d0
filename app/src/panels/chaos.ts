/**
 * The Chaos & alerts view's fault panels (DESIGN.md, Views 6), one query each,
 * over `chaos` events (one injected fault each; the `fault` prop names its
 * kind: latency, error, rate_limit, …):
 *
 * - faults per time bucket, one series per fault kind;
 * - fault kinds with their count and average injected delay (`delay_ms`);
 * - the endpoints that received most faults.
 *
 * Where the faults fall (their span and the busiest bucket) is read from the
 * per-bucket counts; the request side (latency while faults were injected,
 * the impact score) is a second job over that span, in chaos-impact.ts,
 * because the engine selects by time range and cannot join requests to
 * faults.
 */
import type { Bucket, Query, QueryResult } from "../../../shared/query.ts";
import type { Selection } from "../data/api.ts";
import { bucketMs } from "../routing/time-range.ts";
import { measureAt } from "./columns.ts";
import type { PanelDefs } from "./panel-set.ts";
import type { TimeSeries } from "./time-series.ts";
import { totals } from "./time-series.ts";
import { readRows } from "./traffic.ts";

/** What every fault query is built from. */
export interface ChaosContext {
  /** Already limited to chaos events. */
  selection: Selection;
  bucket: Bucket;
  offsetMinutes: number;
}

export const FAULT = { prop: "fault" } as const;
export const ENDPOINT = { prop: "endpoint" } as const;
export const DELAY = { prop: "delay_ms" } as const;

/** How many affected endpoints the table lists. */
export const TOP_ENDPOINTS = 50;

function base(ctx: ChaosContext): Pick<Query, "range" | "types" | "filters"> {
  const { range, types, filters } = ctx.selection;
  return { ...(range ? { range } : {}), ...(types ? { types } : {}), filters: filters ?? [] };
}

export const CHAOS_PANELS = {
  /** → count, distinct fault kinds, distinct endpoints */
  summary: (ctx) => ({ ...base(ctx), measures: [{ fn: "count" }, { fn: "distinct", of: FAULT }, { fn: "distinct", of: ENDPOINT }] }),
  /** [bucket, fault] → count */
  faultsOverTime: (ctx) => ({
    ...base(ctx),
    groupBy: [{ bucket: ctx.bucket }, FAULT],
    measures: [{ fn: "count" }],
    utcOffsetMinutes: ctx.offsetMinutes,
  }),
  /** [fault] → count, avg delay_ms; most frequent first */
  faultKinds: (ctx) => ({
    ...base(ctx),
    groupBy: [FAULT],
    measures: [{ fn: "count" }, { fn: "avg", of: DELAY }],
    orderBy: { measure: 0 },
    limit: 20,
  }),
  /** [endpoint] → count, distinct fault kinds; the most hit first */
  endpoints: (ctx) => ({
    ...base(ctx),
    groupBy: [ENDPOINT],
    measures: [{ fn: "count" }, { fn: "distinct", of: FAULT }],
    orderBy: { measure: 0 },
    limit: TOP_ENDPOINTS,
  }),
} satisfies PanelDefs<ChaosContext>;

export interface ChaosSummary {
  faults: number;
  kinds: number;
  endpoints: number;
}

export function readChaosSummary(result: QueryResult): ChaosSummary {
  return { faults: measureAt(result, 0, 0) || 0, kinds: measureAt(result, 1, 0) || 0, endpoints: measureAt(result, 2, 0) || 0 };
}

export interface FaultKindRow {
  /** "(none)" for faults without a `fault` prop. */
  fault: string;
  faults: number;
  avgDelayMs: number;
}

export function faultKindRows(result: QueryResult): FaultKindRow[] {
  return readRows(result).map((r) => ({ fault: r.keys[0] || "(none)", faults: r.values[0] ?? 0, avgDelayMs: r.values[1] ?? NaN }));
}

export interface FaultEndpointRow {
  endpoint: string;
  faults: number;
  kinds: number;
}

export function faultEndpointRows(result: QueryResult): FaultEndpointRow[] {
  return readRows(result).map((r) => ({ endpoint: r.keys[0] || "(none)", faults: r.values[0] ?? 0, kinds: r.values[1] ?? 0 }));
}

/** The busiest bucket: its start (epoch ms) and fault count; null without faults. */
export interface Peak {
  at: number;
  faults: number;
}

/** The bucket with most faults (the earliest of equals); null when no bucket has any. */
export function peakBucket(series: TimeSeries): Peak | null {
  const sums = totals(series);
  let best = -1;
  sums.forEach((v, i) => {
    if (v > 0 && (best === -1 || v > sums[best]!)) best = i;
  });
  return best === -1 ? null : { at: series.xs[best]! * 1000, faults: sums[best]! };
}

/**
 * When faults were injected: from the start of the first bucket with a fault
 * to the end of the last one, within `range` (buckets may reach past it).
 * Month buckets have no fixed size: the span then ends where `range` does.
 * Null without faults.
 */
export function faultSpan(series: TimeSeries, bucket: Bucket, range: { from: number; to: number } | null): { from: number; to: number } | null {
  const sums = totals(series);
  const first = sums.findIndex((v) => v > 0);
  if (first === -1) return null;
  let last = first;
  sums.forEach((v, i) => v > 0 && (last = i));
  const size = bucketMs(bucket);
  let from = series.xs[first]! * 1000;
  let to = size === null ? (range?.to ?? Infinity) : series.xs[last]! * 1000 + size;
  if (range !== null) {
    from = Math.max(from, range.from);
    to = Math.min(to, range.to);
  }
  return Number.isFinite(to) && to > from ? { from, to } : null;
}

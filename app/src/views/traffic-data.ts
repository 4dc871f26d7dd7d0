/**
 * The Traffic view's data module: every panel's query in one job, and the
 * results read into what the panels render. A first run hands its results
 * over one by one, so each panel's part is read as soon as its query
 * answered and the rest are missing meanwhile. The filter options are a job
 * of their own (filter-options-data.ts).
 */
import type { Bucket, QueryResult } from "../../../shared/query.ts";
import { buildPanels } from "../panels/panel-set.ts";
import { bucketMs } from "../routing/time-range.ts";
import { bucketGrid, countsByLabel, measuresOverTime, totals, type TimeSeries } from "../panels/time-series.ts";
import { endpointRows, labelCounts, type EndpointRow, type LabelCount } from "../panels/traffic-tables.ts";
import { readHeatmap, readSummary, requestsPerSecond, TRAFFIC_PANELS, type Summary } from "../panels/traffic.ts";
import type { FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface TrafficData {
  /** Every query answered; until then the parts of those still computing are missing. */
  complete: boolean;
  summary?: Summary;
  rps?: number;
  /** Busiest bucket's average rate. */
  peakRps?: number;
  requests?: TimeSeries;
  latency?: TimeSeries;
  statuses?: LabelCount[];
  protocols?: LabelCount[];
  endpoints?: EndpointRow[];
  heatmap?: number[];
  bucket: Bucket;
}

export function trafficJob(session: WorkspaceSession, filters: FilterState): Job<TrafficData> | null {
  if (session.dataset() === null) return null;
  const version = session.version();
  const ctx = timeContext(session, filters, ["request"]);
  const panels = buildPanels(TRAFFIC_PANELS, ctx);
  const queries = panels.queries;
  // a part is read once per job: later partial reads and the complete one hand the panels the same
  // objects, so a panel drawn from an earlier result is not drawn again
  const parts = new Map<string, unknown>();
  const part = <R, V>(name: string, result: R | undefined, make: (result: R) => V): V | undefined => {
    if (result === undefined) return undefined;
    if (!parts.has(name)) parts.set(name, make(result));
    return parts.get(name) as V;
  };
  function read(results: readonly (QueryResult | undefined)[]): TrafficData {
    const r: Partial<ReturnType<typeof panels.name>> = panels.name(results as QueryResult[]);
    const grid = () => bucketGrid(ctx.range, ctx.bucket, ctx.offsetMinutes);
    const size = bucketMs(ctx.bucket);
    const summary = part("summary", r.summary, readSummary);
    const requests = part("requests", r.requestsOverTime, (x) => countsByLabel(x, grid()));
    return {
      complete: results.every((x) => x !== undefined),
      summary,
      rps: summary && requestsPerSecond(summary.requests, ctx.range),
      peakRps: requests && (size === null ? NaN : Math.max(0, ...totals(requests)) / (size / 1000)),
      requests,
      latency: part("latency", r.latencyOverTime, (x) => measuresOverTime(x, grid(), ["p50", "p95", "p99"])),
      statuses: part("statuses", r.errorsByStatus, labelCounts),
      protocols: part("protocols", r.protocols, labelCounts),
      endpoints: part("endpoints", r.endpoints, endpointRows),
      heatmap: part("heatmap", r.heatmap, readHeatmap),
      bucket: ctx.bucket,
    };
  }
  return {
    key: JSON.stringify([version, queries]),
    queries,
    read,
    partial: read,
  };
}

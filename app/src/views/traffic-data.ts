/**
 * The Traffic view's data module: every panel's query in one job, and the
 * results read into what the panels render. The filter options are a job of
 * their own (filter-options-data.ts).
 */
import type { Bucket } from "../../../shared/query.ts";
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
  summary: Summary;
  rps: number;
  /** Busiest bucket's average rate. */
  peakRps: number;
  requests: TimeSeries;
  latency: TimeSeries;
  statuses: LabelCount[];
  protocols: LabelCount[];
  endpoints: EndpointRow[];
  heatmap: number[];
  bucket: Bucket;
}

export function trafficJob(session: WorkspaceSession, filters: FilterState): Job<TrafficData> | null {
  if (session.dataset() === null) return null;
  const version = session.version();
  const ctx = timeContext(session, filters, ["request"]);
  const panels = buildPanels(TRAFFIC_PANELS, ctx);
  const queries = panels.queries;
  return {
    key: JSON.stringify([version, queries]),
    queries,
    read(results) {
      const r = panels.name(results);
      const grid = bucketGrid(ctx.range, ctx.bucket, ctx.offsetMinutes);
      const requests = countsByLabel(r.requestsOverTime, grid);
      const size = bucketMs(ctx.bucket);
      const summary = readSummary(r.summary);
      return {
        summary,
        rps: requestsPerSecond(summary.requests, ctx.range),
        peakRps: size === null ? NaN : Math.max(0, ...totals(requests)) / (size / 1000),
        requests,
        latency: measuresOverTime(r.latencyOverTime, grid, ["p50", "p95", "p99"]),
        statuses: labelCounts(r.errorsByStatus),
        protocols: labelCounts(r.protocols),
        endpoints: endpointRows(r.endpoints),
        heatmap: readHeatmap(r.heatmap),
        bucket: ctx.bucket,
      };
    },
  };
}

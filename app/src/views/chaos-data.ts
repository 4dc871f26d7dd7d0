/**
 * The Chaos & alerts view's data module: two jobs for the aggregation worker.
 * The first counts faults (panels/chaos.ts) and finds when they were
 * injected; the second, keyed on that span, measures the requests during it
 * against the baseline and scores the impact (panels/chaos-impact.ts). The
 * engine selects by time range only, so the span must be known before the
 * requests in it can be measured: hence two jobs, not one.
 */
import type { Bucket, Filter } from "../../../shared/query.ts";
import type { TimeWindow } from "../../../shared/impact.ts";
import {
  CHAOS_PANELS,
  faultEndpointRows,
  faultKindRows,
  faultSpan,
  peakBucket,
  readChaosSummary,
  type ChaosSummary,
  type FaultEndpointRow,
  type FaultKindRow,
  type Peak,
} from "../panels/chaos.ts";
import { impactContext, impactPanelQueries, readImpact, type ImpactData } from "../panels/chaos-impact.ts";
import { buildPanels } from "../panels/panel-set.ts";
import { bucketGrid, countsByLabel, type TimeSeries } from "../panels/time-series.ts";
import type { FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface ChaosData {
  summary: ChaosSummary;
  faults: TimeSeries;
  kinds: FaultKindRow[];
  endpoints: FaultEndpointRow[];
  peak: Peak | null;
  /** When faults were injected (bucket-aligned, within the range); null without faults. */
  span: TimeWindow | null;
  bucket: Bucket;
  /** The prop filters, which the impact job applies to requests too. */
  filters: Filter[];
}

/** Fault counts, kinds, endpoints, peak and span over the filter bar's selection. */
export function chaosJob(session: WorkspaceSession, filters: FilterState): Job<ChaosData> | null {
  if (session.dataset() === null) return null;
  const version = session.version();
  const ctx = timeContext(session, filters, ["chaos"]);
  const panels = buildPanels(CHAOS_PANELS, ctx);
  const queries = panels.queries;
  return {
    key: JSON.stringify([version, queries]),
    queries,
    read(results) {
      const r = panels.name(results);
      const faults = countsByLabel(r.faultsOverTime, bucketGrid(ctx.range, ctx.bucket, ctx.offsetMinutes));
      return {
        summary: readChaosSummary(r.summary),
        faults,
        kinds: faultKindRows(r.faultKinds),
        endpoints: faultEndpointRows(r.endpoints),
        peak: peakBucket(faults),
        span: faultSpan(faults, ctx.bucket, ctx.range),
        bucket: ctx.bucket,
        filters: ctx.selection.filters ?? [],
      };
    },
  };
}

/** Requests during the fault span and before it, and the impact score; null until there is a span. */
export function impactJob(session: WorkspaceSession, chaos: ChaosData | undefined): Job<ImpactData> | null {
  if (chaos === undefined || chaos.span === null) return null;
  const ctx = impactContext(chaos.span, chaos.filters, chaos.endpoints.map((e) => e.endpoint));
  const queries = impactPanelQueries(ctx);
  return {
    key: JSON.stringify([session.version(), queries]),
    queries,
    read: (results) => readImpact(ctx, results),
  };
}

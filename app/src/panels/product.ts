/**
 * The Product view's question and the words its panels use, apart from the
 * session: the spec the aggregation worker answers (the filter bar's range
 * and prop filters, the workspace's experiment and funnel settings), the
 * active-users series as chart data, and how trends, verdicts and segments
 * read. Pure, so it is tested in Node.
 */
import type { Filter } from "../../../shared/query.ts";
import type { ActiveSeries, ActiveUsers, ExperimentResult, ExperimentSetting, FunnelDefinition, FunnelResult, ProductReport, ProductSpec, SegmentName, Trend, VerdictKind } from "../../../shared/product/types.ts";
import type { TimeSeries } from "./time-series.ts";

/** The product settings the worker needs: as fetched, kept, or none. */
export interface ProductSettings {
  experiments: readonly ExperimentSetting[];
  funnels: readonly FunnelDefinition[];
}

export const NO_SETTINGS: ProductSettings = { experiments: [], funnels: [] };

/**
 * The spec for a view's range and filters. `range` is absent for "all time"
 * (the worker then reads everything stored); `filters` are the bar's prop
 * filters, which the worker applies to `track` events only.
 */
export function productSpec(input: { range: { from: number; to: number } | undefined; filters: Filter[]; offsetMinutes: number; now: number; settings: ProductSettings }): ProductSpec {
  const spec: ProductSpec = {
    filters: input.filters,
    utcOffsetMinutes: input.offsetMinutes,
    now: input.now,
    experiments: [...input.settings.experiments],
    funnels: [...input.settings.funnels],
  };
  if (input.range !== undefined) spec.range = input.range;
  return spec;
}

/** The active-users chart's grain. */
export type Grain = "daily" | "weekly" | "monthly";

export const GRAINS: ReadonlyArray<{ grain: Grain; label: string; noun: string }> = [
  { grain: "daily", label: "Daily", noun: "day" },
  { grain: "weekly", label: "Weekly", noun: "week" },
  { grain: "monthly", label: "Monthly", noun: "month" },
];

export function activeSeries(active: ActiveUsers, grain: Grain): ActiveSeries {
  return active[grain];
}

/** One grain's series as uPlot data: xs in epoch seconds, one line of distinct users. */
export function activeChart(active: ActiveUsers, grain: Grain): TimeSeries {
  const s = activeSeries(active, grain);
  const label = `${GRAINS.find((g) => g.grain === grain)!.label} active users`;
  return { xs: Array.from(s.t, (t) => t / 1000), series: [{ label, values: Array.from(s.users) }] };
}

/** DAU ÷ MAU: the share of a month's users seen on a given day; NaN without monthly users. */
export function stickiness(active: Pick<ActiveUsers, "dau" | "mau">): number {
  return active.mau > 0 ? active.dau / active.mau : NaN;
}

/** The arrow a trend shows, and what it says to a screen reader or in an export. */
export const TREND_MARK: Record<Trend, string> = { up: "↑", down: "↓", flat: "→" };
export const TREND_TEXT: Record<Trend, string> = { up: "rising", down: "falling", flat: "steady" };

/** A verdict's kind in a few words, ahead of the worker's sentence. */
export const VERDICT_LABEL: Record<VerdictKind, string> = {
  "too-small": "Too small to tell",
  better: "Better",
  worse: "Worse",
  "no-difference": "No difference",
};

export const SEGMENT_LABEL: Record<SegmentName, string> = { power: "Power users", regular: "Regular users", new: "New users", "at-risk": "At risk" };

/**
 * The experiment to headline: a significant winner first (largest lift),
 * then a significant loser, then the one with the most users; null when
 * there are none.
 */
export function bestExperiment(experiments: readonly ExperimentResult[]): ExperimentResult | null {
  const users = (e: ExperimentResult) => e.variants.reduce((n, v) => n + v.users, 0);
  const lift = (e: ExperimentResult) => Math.max(-Infinity, ...e.variants.filter((v) => !v.control && Number.isFinite(v.lift)).map((v) => v.lift));
  const rank = (e: ExperimentResult) => (e.verdict.kind === "better" ? 0 : e.verdict.kind === "worse" ? 1 : 2);
  return [...experiments].sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? lift(b) - lift(a) : 0) || users(b) - users(a))[0] ?? null;
}

/** A funnel's conversion from its first step to its last; NaN when nobody started it. */
export function funnelConversion(funnel: FunnelResult): number {
  const first = funnel.steps[0];
  const last = funnel.steps.at(-1);
  return first && last && first.users > 0 ? last.users / first.users : NaN;
}

/** The funnel most people started, for the Overview; null without any started. */
export function topFunnel(funnels: readonly FunnelResult[]): FunnelResult | null {
  const started = funnels.filter((f) => (f.steps[0]?.users ?? 0) > 0);
  return [...started].sort((a, b) => b.steps[0]!.users - a.steps[0]!.users)[0] ?? null;
}

/** Whether a report has anything for a panel to show. */
export function hasUsers(report: ProductReport): boolean {
  return report.users > 0;
}

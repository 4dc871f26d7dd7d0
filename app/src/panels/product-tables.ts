/**
 * The Product panels' export tables: each holds the rows its panel shows,
 * with shares and rates as 0..1 fractions and times as ISO-8601 text, so a
 * spreadsheet reads what the screen reads. Pure; the inputs are the worker's
 * report, never events.
 */
import type { ActiveUsers, ExperimentResult, FeatureAdoption, FunnelResult, ProductReport, SegmentResult } from "../../../shared/product/types.ts";
import type { ExportTable } from "./export-table.ts";
import { activeSeries, stickiness, TREND_TEXT, type Grain } from "./product.ts";
import { SEGMENT_RULES } from "./product-segments.ts";

/** The headline cards: one row per figure. */
export function productSummaryTable(report: ProductReport): ExportTable {
  const a = report.active;
  return {
    header: ["metric", "value"],
    rows: [
      ["track_events", report.events],
      ["users", report.users],
      ["dau", a.dau],
      ["wau", a.wau],
      ["mau", a.mau],
      ["stickiness", stickiness(a)],
    ],
  };
}

/** `t` as the YYYY-MM-DD it falls on at `offsetMinutes` east of UTC (the view's time zone). */
export function localDate(t: number, offsetMinutes: number): string {
  return new Date(t + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/**
 * The active-users chart at the grain it shows. Bucket starts are local
 * midnights, so the UTC timestamp can name the day before (2 Nov in UTC+1
 * starts at 2026-11-01T23:00Z): `bucket_date` is the local day the bucket
 * starts on, at the view's offset.
 */
export function activeUsersTable(active: ActiveUsers, grain: Grain, offsetMinutes: number): ExportTable {
  const s = activeSeries(active, grain);
  return { header: ["bucket_start", "bucket_date", `${grain}_active_users`], rows: Array.from(s.t, (t, i) => [new Date(t).toISOString(), localDate(t, offsetMinutes), s.users[i] ?? null]) };
}

export function adoptionTable(rows: readonly FeatureAdoption[]): ExportTable {
  return {
    header: ["feature", "users", "share", "previous_share", "trend"],
    rows: rows.map((r) => [r.feature, r.users, r.share, r.previousShare, TREND_TEXT[r.trend]]),
  };
}

/** Every experiment's variants, one row each, with the experiment's goal and verdict repeated. */
export function experimentsTable(experiments: readonly ExperimentResult[]): ExportTable {
  return {
    header: ["experiment", "goal", "variant", "control", "users", "conversions", "rate", "lift", "p_value", "ci95_low", "ci95_high", "verdict", "verdict_text"],
    rows: experiments.flatMap((e) =>
      e.variants.map((v) => [e.experiment, e.goal, v.variant, v.control ? "yes" : "no", v.users, v.conversions, v.rate, v.lift, v.pValue, v.ci95[0], v.ci95[1], e.verdict.kind, e.verdict.text]),
    ),
  };
}

export function segmentsTable(rows: readonly SegmentResult[]): ExportTable {
  return {
    header: ["segment", "users", "share", "events_per_active_day", "engagement", "rule"],
    rows: rows.map((r) => [r.segment, r.users, r.share, r.eventsPerActiveDay, r.engagement, SEGMENT_RULES[r.segment]]),
  };
}

/** Every funnel's steps, one row each, with the funnel's name and window repeated. */
export function funnelsTable(funnels: readonly FunnelResult[]): ExportTable {
  return {
    header: ["funnel", "window_hours", "step", "position", "users", "from_previous", "from_first", "drop_off"],
    rows: funnels.flatMap((f) => f.steps.map((s, i) => [f.name, f.windowHours, s.label, i + 1, s.users, s.fromPrevious, s.fromFirst, s.dropOff])),
  };
}

/** The Overview's product cards as export rows; the experiment and funnel rows are null when there is none. */
export function productCardRows(report: ProductReport, best: ExperimentResult | null, top: FunnelResult | null, conversion: number): Array<[string, string | number | null]> {
  return [
    ["product_users", report.users],
    ["dau", report.active.dau],
    ["wau", report.active.wau],
    ["mau", report.active.mau],
    ["best_experiment", best?.experiment ?? null],
    ["best_experiment_verdict", best?.verdict.kind ?? null],
    ["top_funnel", top?.name ?? null],
    ["top_funnel_conversion", top ? conversion : null],
  ];
}

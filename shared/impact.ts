/**
 * The impact severity score (DESIGN.md, Views 6): how much injected chaos is
 * hurting the requests an API serves, from 0 (no visible harm) to 100, judged
 * against the workspace's own recent past rather than fixed numbers.
 *
 * Three measures, each over `request` events except the fault count:
 *
 * - fault rate   xF = faults ÷ requests in the window (`chaos` events per request)
 * - added latency xL = max(0, p95 − p95_base) ÷ max(p95_base, 50 ms)
 * - error increase xE = max(0, err − err_base), err the share of requests with status ≥ 500
 *
 * The baseline (`_base`) is the same measures over a reference window before
 * the current one; {@link baselineBefore} gives the usual one, the previous
 * 24 hours. Each measure goes through a saturating curve, s = 1 − e^(−x/k),
 * so that doubling an already bad number adds little, and the three are
 * combined as a weighted "noisy OR":
 *
 *     score = 100 × (1 − (1 − 0.3·sF)(1 − 0.8·sL)(1 − 1·sE))
 *
 * with kF = 0.2, kL = 1, kE = 0.1. Why this shape:
 * - the weight of a component is the most it can score alone: injected faults
 *   that users never feel stay "medium" at most (30), a slowdown can reach
 *   critical (80), and failing every request is the worst there is (100);
 * - components never add past 100: the score is at least the largest single
 *   component's and at most their sum;
 * - at x = k a component reaches 1 − 1/e ≈ 63% of its weight: 20% faults per
 *   request, p95 doubled, or ten more points of server errors.
 * The latency floor keeps a few milliseconds over a very fast baseline (mocks
 * answering in 2 ms) from reading as a tenfold slowdown. Without a baseline,
 * added latency is 0 (every API has its own normal latency) while errors
 * count in full (a healthy API's normal error rate is 0). With no requests in
 * the window there is nothing to be hurt, and the score is 0.
 *
 * Levels: none below 5, low below 25, medium below 50, high below 75, else critical.
 */
import type { ColumnBlock, Dictionary } from "./columns.ts";
import { runQueries } from "./engine/index.ts";
import type { Filter, Measure, Query, QueryResult } from "./query.ts";

/** The constants of the formula; see the file header. */
export const IMPACT = {
  weights: { fault_rate: 0.3, added_latency: 0.8, error_increase: 1 },
  scales: { fault_rate: 0.2, added_latency: 1, error_increase: 0.1 },
  /** Added latency is relative to the baseline p95, but never to less than this. */
  latencyFloorMs: 50,
  /** Reference window of {@link baselineBefore}. */
  baselineMinutes: 24 * 60,
} as const;

/** Impact levels, least severe first. */
export const IMPACT_LEVELS = ["none", "low", "medium", "high", "critical"] as const;
export type ImpactLevel = (typeof IMPACT_LEVELS)[number];

/** Lowest score of each level above `none`. */
const LEVEL_FLOORS: readonly [ImpactLevel, number][] = [
  ["critical", 75],
  ["high", 50],
  ["medium", 25],
  ["low", 5],
];

/** What the score is computed from: the current window's measures and the baseline's. */
export interface ImpactInputs {
  /** Requests in the window. */
  requests: number;
  /** Injected faults (`chaos` events) in the window. */
  faults: number;
  /** p95 of `latency_ms` in the window; null (or NaN) when no request carried one. */
  p95_ms: number | null;
  /** Share of the window's requests with status ≥ 500; null (or NaN) when there were none. */
  error_rate: number | null;
  /** The same over the reference window; null (or NaN) where it had no data. */
  baseline: { p95_ms: number | null; error_rate: number | null };
}

/** The three measures (x) and what each would score alone (100·w·s). */
export interface ImpactComponent {
  value: number;
  score: number;
}

/** An impact score with its parts, so a view can say why. */
export interface Impact {
  /** 0..100. */
  score: number;
  level: ImpactLevel;
  components: { fault_rate: ImpactComponent; added_latency: ImpactComponent; error_increase: ImpactComponent };
}

/** A half-open time range in epoch ms: `from` inclusive, `to` exclusive. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** The level a score falls in. */
export function impactLevel(score: number): ImpactLevel {
  for (const [level, floor] of LEVEL_FLOORS) if (score >= floor) return level;
  return "none";
}

const known = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** Computes the impact score from measured numbers; see the file header for the formula. */
export function impactScore(inputs: ImpactInputs): Impact {
  const { requests, faults, p95_ms, error_rate, baseline } = inputs;
  const traffic = requests > 0;
  const xF = traffic ? Math.max(0, faults) / requests : 0;
  const xL =
    traffic && known(p95_ms) && known(baseline.p95_ms)
      ? Math.max(0, p95_ms - baseline.p95_ms) / Math.max(baseline.p95_ms, IMPACT.latencyFloorMs)
      : 0;
  const xE = traffic && known(error_rate) ? Math.max(0, error_rate - (known(baseline.error_rate) ? baseline.error_rate : 0)) : 0;
  let unharmed = 1; // the product of (1 − w·s)
  const part = (x: number, key: keyof typeof IMPACT.weights): ImpactComponent => {
    const ws = IMPACT.weights[key] * (1 - Math.exp(-x / IMPACT.scales[key]));
    unharmed *= 1 - ws;
    return { value: x, score: 100 * ws };
  };
  const components = { fault_rate: part(xF, "fault_rate"), added_latency: part(xL, "added_latency"), error_increase: part(xE, "error_increase") };
  const score = Math.min(100, Math.max(0, 100 * (1 - unharmed)));
  return { score, level: impactLevel(score), components };
}

/** The reference window the score usually compares with: the `minutes` right before `window`. */
export function baselineBefore(window: TimeWindow, minutes: number = IMPACT.baselineMinutes): TimeWindow {
  return { from: window.from - minutes * 60_000, to: window.from };
}

const STATUS = { prop: "status" } as const;
const LATENCY = { prop: "latency_ms" } as const;
/** Server errors, as the Traffic view counts them. */
const SERVER_ERROR: Filter = { dim: STATUS, min: 500 };
const REQUEST_MEASURES: Measure[] = [{ fn: "count" }, { fn: "p95", of: LATENCY }, { fn: "rate", where: [SERVER_ERROR] }];

/**
 * The engine queries behind {@link measureImpact}, in the order
 * {@link impactFromResults} reads them; exposed so that callers running many
 * queries at once (alert rules) can batch them.
 */
export function impactQueries(window: TimeWindow, baselineWindow: TimeWindow, filters: readonly Filter[] = []): Query[] {
  const f = [...filters];
  return [
    { range: window, types: ["request"], filters: f, measures: REQUEST_MEASURES },
    { range: window, types: ["chaos"], filters: f, measures: [{ fn: "count" }] },
    { range: baselineWindow, types: ["request"], filters: f, measures: REQUEST_MEASURES },
  ];
}

/** What {@link measureImpact} measured, besides the score. */
export interface MeasuredImpact extends Impact {
  inputs: ImpactInputs;
  /** Requests in the reference window: how much the baseline rests on. */
  baseline_requests: number;
}

const orNull = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

/** Scores the results of {@link impactQueries}. */
export function impactFromResults(results: readonly QueryResult[]): MeasuredImpact {
  const [now, chaos, base] = results;
  if (!now || !chaos || !base) throw new RangeError("impactFromResults needs the three results of impactQueries");
  const inputs: ImpactInputs = {
    requests: now.measures[0]![0]!,
    faults: chaos.measures[0]![0]!,
    p95_ms: orNull(now.measures[1]![0]),
    error_rate: orNull(now.measures[2]![0]),
    baseline: { p95_ms: orNull(base.measures[1]![0]), error_rate: orNull(base.measures[2]![0]) },
  };
  return { ...impactScore(inputs), inputs, baseline_requests: base.measures[0]![0]! };
}

/**
 * Measures the impact of chaos in `window` against `baselineWindow` (usually
 * {@link baselineBefore}`(window)`), counting only events that pass `filters`
 * (e.g. env = prod); the filters apply to requests and faults alike.
 */
export function measureImpact(
  blocks: readonly ColumnBlock[],
  dict: Dictionary,
  window: TimeWindow,
  baselineWindow: TimeWindow,
  filters: readonly Filter[] = [],
): MeasuredImpact {
  return impactFromResults(runQueries(blocks, dict, impactQueries(window, baselineWindow, filters)));
}

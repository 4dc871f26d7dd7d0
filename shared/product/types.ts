/**
 * The Product view's question and answer (DESIGN.md, Views 4): what the app
 * asks the aggregation worker for, and the report it gets back. Plain data,
 * so both cross Comlink by structured clone; the report's series are typed
 * arrays the worker transfers.
 */
import type { PropValue } from "../event.ts";
import type { Filter } from "../query.ts";

/** An event a goal or a funnel step waits for: a `track` event of this name, with these props equal. */
export interface EventMatch {
  name: string;
  props?: Record<string, PropValue>;
}

/** One experiment's settings (config key `experiments`). Without one, an experiment's goal is the default. */
export interface ExperimentSetting {
  experiment: string;
  /** The goal event; default: a `track` event with the same `experiment` prop and `converted: true`. */
  goal?: EventMatch;
  /** The variant the others are compared with; default `control` when present, else the first variant seen. */
  control?: string;
}

/** A funnel (config key `funnels`): ordered steps a user completes within `window_hours` of the first. */
export interface FunnelDefinition {
  name: string;
  steps: EventMatch[];
  window_hours: number;
}

export interface ProductSpec {
  /** The view's range, epoch ms, `to` exclusive; absent: all stored time. */
  range?: { from: number; to: number };
  /** Narrowing from the filter bar; applied to `track` events. */
  filters: Filter[];
  utcOffsetMinutes: number;
  /** The present; segments and "active" headline figures count back from min(now, range.to). */
  now: number;
  experiments: ExperimentSetting[];
  funnels: FunnelDefinition[];
}

/** Distinct active users per time bucket. */
export interface ActiveSeries {
  /** Bucket starts, epoch ms (local day/week/month by `utcOffsetMinutes`). */
  t: Float64Array;
  users: Float64Array;
}

export interface ActiveUsers {
  daily: ActiveSeries;
  weekly: ActiveSeries;
  monthly: ActiveSeries;
  /** Distinct users in the last 1, 7 and 30 days up to the range's end (or now). */
  dau: number;
  wau: number;
  mau: number;
}

export type Trend = "up" | "down" | "flat";

export interface FeatureAdoption {
  feature: string;
  users: number;
  /** users ÷ active users in the range, 0..1. */
  share: number;
  /** The same share over the period of equal length just before the range; NaN when there is none. */
  previousShare: number;
  trend: Trend;
}

export interface VariantResult {
  variant: string;
  control: boolean;
  users: number;
  conversions: number;
  /** conversions ÷ users, 0..1. */
  rate: number;
  /** (rate − control rate) ÷ control rate; NaN for the control or when the control rate is 0. */
  lift: number;
  /** Two-sided p-value of the two-proportion z-test against the control; NaN for the control. */
  pValue: number;
  /** 95% interval of (rate − control rate), absolute; NaN for the control. */
  ci95: [number, number];
}

export type VerdictKind = "too-small" | "better" | "worse" | "no-difference";

export interface ExperimentResult {
  experiment: string;
  /** How the goal reads, e.g. `track "signup" with plan = pro`. */
  goal: string;
  variants: VariantResult[];
  verdict: { kind: VerdictKind; variant: string | null; text: string };
}

export type SegmentName = "power" | "regular" | "new" | "at-risk";

export interface SegmentResult {
  segment: SegmentName;
  users: number;
  /** users ÷ all users with an event in the range, 0..1. */
  share: number;
  /** Mean events per active day of the segment's users. */
  eventsPerActiveDay: number;
  /** Mean engagement score, 0..10 (formula in segments.ts). */
  engagement: number;
}

export interface FunnelStepResult {
  label: string;
  users: number;
  /** users ÷ previous step's users (1 for the first step; NaN when the previous had none). */
  fromPrevious: number;
  /** users ÷ first step's users. */
  fromFirst: number;
  /** Previous step's users minus this step's (0 for the first). */
  dropOff: number;
}

export interface FunnelResult {
  name: string;
  windowHours: number;
  steps: FunnelStepResult[];
}

export interface ProductReport {
  /** Track events in the range after filters; those without a `user` count here but in no user figure. */
  events: number;
  users: number;
  active: ActiveUsers;
  adoption: FeatureAdoption[];
  experiments: ExperimentResult[];
  segments: SegmentResult[];
  funnels: FunnelResult[];
}

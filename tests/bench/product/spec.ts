/**
 * What the Product bench asks: the view's spec (range, experiments, funnels)
 * that both the engine and the SQL are built from, and the event names and
 * experiments the generator makes data for, so the three never drift apart.
 */
import type { ExperimentSetting, FunnelDefinition, ProductSpec } from "../../../shared/product/types.ts";

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The default goal's event: carries `experiment` and `converted`. */
export const GOAL_EVENT = "goal_reached";
export const EXPOSURE_EVENT = "experiment_viewed";

export const ONBOARDING = ["signup_started", "profile_completed", "project_created", "teammate_invited"] as const;
export const CHECKOUT = ["cart_viewed", "checkout_started", "purchase_completed"] as const;

export const FUNNELS: FunnelDefinition[] = [
  { name: "onboarding", steps: ONBOARDING.map((name) => ({ name })), window_hours: 72 },
  { name: "checkout", steps: CHECKOUT.map((name) => ({ name })), window_hours: 1 },
];
export const funnelWindowMs = (f: FunnelDefinition) => f.window_hours * HOUR_MS;

/** An experiment the generator runs. */
export interface ExperimentPlan {
  experiment: string;
  /** The first is the control. */
  variants: string[];
  /** Conversion rate of each variant. */
  rates: number[];
  /** When it starts, in days into the data. */
  startDay: number;
  /** Who is exposed: new users as they sign up, or users active after the start; and what share of them. */
  audience: "new" | "active";
  exposed: number;
}

export const EXPERIMENTS: ExperimentPlan[] = [
  { experiment: "new-onboarding", variants: ["control", "guided"], rates: [0.3, 0.37], startDay: 20, audience: "new", exposed: 0.9 },
  { experiment: "pricing-page", variants: ["control", "annual-first", "monthly-first"], rates: [0.08, 0.11, 0.07], startDay: 25, audience: "active", exposed: 0.5 },
  { experiment: "search-ranking", variants: ["control", "semantic"], rates: [0.2, 0.24], startDay: 10, audience: "active", exposed: 0.4 },
];

/**
 * The `experiments` config: pricing-page converts on a purchase (a custom
 * goal), search-ranking is listed without a goal, and new-onboarding is not
 * listed at all, so the default goal is reached both ways.
 */
export const EXPERIMENT_SETTINGS: ExperimentSetting[] = [
  { experiment: "pricing-page", goal: { name: "purchase_completed" } },
  { experiment: "search-ranking" },
];

/** The view over `range` as the app would ask for it: no filters, UTC, now at the range's end. */
export function productSpec(range: { from: number; to: number }): ProductSpec {
  return { range, filters: [], utcOffsetMinutes: 0, now: range.to, experiments: EXPERIMENT_SETTINGS, funnels: FUNNELS };
}

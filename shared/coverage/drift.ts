/**
 * Drift (DESIGN.md, Views 3): how many mocks answer differently from the live
 * API. A mock counts from its latest state that carries a `drift` value
 * (0-1); it drifts when that value is above 0, and drifts highly at or above
 * `high_drift`. The trend gives, for each day, the same figures from each
 * mock's latest drift as of the end of that day: a state holds until the
 * next one replaces it.
 */
import { DAY_MS } from "../engine/buckets.ts";
import { dayStart, daysBetween } from "./days.ts";
import { latest, type MockHistory } from "./mock-states.ts";
import type { CoverageThresholds } from "./thresholds.ts";

/** Drift figures for each day. */
export interface DriftTrend {
  /** Day starts (local midnight, epoch ms). */
  days: number[];
  /** Per day: mocks with a drift value by then. */
  mocks: number[];
  /** Per day: of those, drifting ones. */
  drifting: number[];
  /** Per day: drifting ÷ mocks in percent; 0 on a day without mocks. */
  percent: number[];
}

/** Drift now, against the workspace's thresholds, and per day. */
export interface DriftSummary {
  /** Mocks whose states carry a drift value. */
  mocks: number;
  /** Of those, drift above 0. */
  drifting: number;
  /** drifting ÷ mocks, percent 0-100; 0 without mocks. */
  percent: number;
  /** Mocks with drift at or above `high_drift`. */
  highDrift: number;
  /** `high_drift`, 0-1. */
  highDriftAt: number;
  /** `drift_max`, percent 0-100. */
  maxPercent: number;
  /** percent above `drift_max`. */
  overThreshold: boolean;
  trend: DriftTrend;
}

/** Longest trend shown, in days: a year. */
export const DRIFT_TREND_DAYS = 366;

/** Percent drifting, 0 when there is nothing to divide by. */
export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : (100 * part) / whole;
}

/**
 * Drift now and per day. The trend runs over `range` when given (capped at
 * {@link DRIFT_TREND_DAYS}, the latest kept), else from the first drift
 * reported to `now`.
 */
export function driftSummary(
  histories: readonly MockHistory[],
  thresholds: CoverageThresholds,
  now: number,
  range: { from: number; to: number } | undefined,
  offsetMinutes: number,
): DriftSummary {
  const drifts = histories.map((h) => latest(h.states, "drift")).filter((d) => !Number.isNaN(d));
  const drifting = drifts.filter((d) => d > 0).length;
  const percent = percentOf(drifting, drifts.length);
  return {
    mocks: drifts.length,
    drifting,
    percent,
    highDrift: drifts.filter((d) => d >= thresholds.highDrift).length,
    highDriftAt: thresholds.highDrift,
    maxPercent: thresholds.driftMax,
    overThreshold: percent > thresholds.driftMax,
    trend: driftTrend(histories, now, range, offsetMinutes),
  };
}

function driftTrend(histories: readonly MockHistory[], now: number, range: { from: number; to: number } | undefined, offsetMinutes: number): DriftTrend {
  const withDrift = histories.map((h) => h.states.filter((s) => !Number.isNaN(s.drift)));
  const first = Math.min(...withDrift.map((s) => s[0]?.t ?? Infinity));
  const from = range === undefined ? first : Math.max(range.from, first);
  const to = range === undefined ? now : range.to - 1;
  const days = Number.isFinite(from) ? daysBetween(dayStart(from, offsetMinutes), dayStart(to, offsetMinutes), DRIFT_TREND_DAYS) : [];
  const trend: DriftTrend = { days, mocks: [], drifting: [], percent: [] };
  // one cursor per mock walks its states forward as the days advance
  const cursor = withDrift.map(() => -1);
  for (const day of days) {
    const end = day + DAY_MS;
    let mocks = 0;
    let drifting = 0;
    withDrift.forEach((states, m) => {
      let i = cursor[m]!;
      while (i + 1 < states.length && states[i + 1]!.t < end) i++;
      cursor[m] = i;
      if (i < 0) return;
      mocks++;
      if (states[i]!.drift > 0) drifting++;
    });
    trend.mocks.push(mocks);
    trend.drifting.push(drifting);
    trend.percent.push(percentOf(drifting, mocks));
  }
  return trend;
}

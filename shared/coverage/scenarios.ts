/**
 * Scenario usage (DESIGN.md, Views 3): per scenario, declared or seen on a
 * test that ran or on a request, how often it was used, on which day last,
 * its trend and its row of the scenario × day heatmap.
 *
 * The trend compares the last 7 days (today, local, and the 6 before) with
 * the 7 days before them, as a signed fraction: +0.5 is half as much again,
 * null when the earlier week had no use (then it is "new", or "none").
 */
import { DAY_MS } from "../engine/buckets.ts";
import { dayStart, daysBetween } from "./days.ts";
import type { CoverageResults } from "./results.ts";
import { amount, label, rowsOf, time } from "./rows.ts";

/** Which way a scenario's use went from the previous week to this one; "new" when the previous week had none. */
export type TrendDirection = "up" | "down" | "flat" | "new" | "none";

/** One scenario's usage. */
export interface ScenarioUsage {
  scenario: string;
  declared: boolean;
  /** Declared but never used in the range. */
  unused: boolean;
  count: number;
  /** Start of the latest (local) day it was used; null if never. */
  lastUsed: number | null;
  /** Uses in the last 7 days and in the 7 before. */
  thisWeek: number;
  previousWeek: number;
  /** (thisWeek − previousWeek) ÷ previousWeek; null when previousWeek is 0. */
  trend: number | null;
  direction: TrendDirection;
}

/** Rows are scenarios (in the order of `scenarios`), columns days; `counts[row][col]`. */
export interface ScenarioHeatmap {
  scenarios: string[];
  days: number[];
  counts: number[][];
}

/** Longest heatmap, in days; the latest are kept. */
export const HEATMAP_DAYS = 366;

/** The trend's period. */
export const WEEK_MS = 7 * DAY_MS;

/** A trend's direction from two periods' counts. */
export function direction(current: number, previous: number): TrendDirection {
  if (previous === 0) return current > 0 ? "new" : "none";
  return current > previous ? "up" : current < previous ? "down" : "flat";
}

/**
 * Usage of every scenario, most used first, and the heatmap. Heatmap days run
 * over `range` when given, else from the first day of use to the last.
 */
export function scenarioUsage(
  results: CoverageResults,
  declared: readonly string[],
  now: number,
  range: { from: number; to: number } | undefined,
  offsetMinutes: number,
): { scenarios: ScenarioUsage[]; heatmap: ScenarioHeatmap } {
  const perDay = new Map<string, Map<number, number>>();
  for (const name of declared) perDay.set(name, new Map());
  for (const row of rowsOf(results.scenarioDays)) {
    const scenario = label(row, 0);
    const day = time(row, 1);
    if (scenario === null || Number.isNaN(day)) continue;
    let days = perDay.get(scenario);
    if (days === undefined) perDay.set(scenario, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + amount(row, 0));
  }
  // the trend: the last seven days up to the range's end (or now) against the seven before, from their own query
  const trendDays = new Map<string, Map<number, number>>();
  for (const row of rowsOf(results.scenarioTrendDays)) {
    const scenario = label(row, 0);
    const day = time(row, 1);
    if (scenario === null || Number.isNaN(day)) continue;
    let days = trendDays.get(scenario);
    if (days === undefined) trendDays.set(scenario, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + amount(row, 0));
  }
  const today = dayStart(range === undefined ? now : Math.min(now, range.to - 1), offsetMinutes);
  const weekStart = today - 6 * DAY_MS;
  const declaredSet = new Set(declared);
  const scenarios = [...perDay.entries()].map(([scenario, days]): ScenarioUsage => {
    let count = 0;
    let lastUsed: number | null = null;
    let thisWeek = 0;
    let previousWeek = 0;
    for (const [day, n] of days) {
      count += n;
      lastUsed = Math.max(lastUsed ?? -Infinity, day);
    }
    for (const [day, n] of trendDays.get(scenario) ?? []) {
      if (day >= weekStart && day <= today) thisWeek += n;
      else if (day >= weekStart - WEEK_MS && day < weekStart) previousWeek += n;
    }
    return {
      scenario,
      declared: declaredSet.has(scenario),
      unused: count === 0,
      count,
      lastUsed,
      thisWeek,
      previousWeek,
      trend: previousWeek === 0 ? null : (thisWeek - previousWeek) / previousWeek,
      direction: direction(thisWeek, previousWeek),
    };
  });
  scenarios.sort((a, b) => b.count - a.count || a.scenario.localeCompare(b.scenario));

  const used = [...perDay.values()].flatMap((d) => [...d.keys()]);
  const first = range === undefined ? Math.min(...used) : dayStart(range.from, offsetMinutes);
  const last = range === undefined ? Math.max(...used) : dayStart(range.to - 1, offsetMinutes);
  const days = used.length === 0 && range === undefined ? [] : daysBetween(first, last, HEATMAP_DAYS);
  const heatmap: ScenarioHeatmap = {
    scenarios: scenarios.map((s) => s.scenario),
    days,
    counts: scenarios.map((s) => days.map((d) => perDay.get(s.scenario)!.get(d) ?? 0)),
  };
  return { scenarios, heatmap };
}

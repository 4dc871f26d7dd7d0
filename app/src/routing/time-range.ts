/**
 * Time ranges as the filter bar offers them (presets relative to now, or a
 * fixed from/to) and the time bucket each one is charted in.
 */
import type { Bucket } from "../../../shared/query.ts";

export const RANGE_PRESETS = ["1h", "24h", "7d", "30d", "all"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** A range as the URL holds it. */
export type RangeState = { preset: RangePreset } | { from: number; to: number };

/** The range a view opens with when its link names none. */
export const DEFAULT_PRESET: RangePreset = "7d";
export const DEFAULT_RANGE: RangeState = { preset: DEFAULT_PRESET };

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const PRESET_MS: Record<Exclude<RangePreset, "all">, number> = { "1h": HOUR, "24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY };

export const PRESET_LABELS: Record<RangePreset, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  all: "All time",
};

export function isPreset(value: string): value is RangePreset {
  return (RANGE_PRESETS as readonly string[]).includes(value);
}

/** Known bounds of the stored events, to give "all time" a span. */
export interface DataBounds {
  minTs: number;
  maxTs: number;
}

/**
 * The concrete [from, to) of a range at time `now`. Relative ranges end at the
 * close of the current minute, so the newest events are in and results stay
 * stable within a minute. "All time" spans the stored events; null when there
 * are none.
 */
export function resolveRange(range: RangeState, now: number, bounds: DataBounds | null): { from: number; to: number } | null {
  if (!("preset" in range)) return { from: range.from, to: range.to };
  if (range.preset === "all") {
    if (bounds === null || !Number.isFinite(bounds.minTs) || !Number.isFinite(bounds.maxTs)) return null;
    return { from: bounds.minTs, to: bounds.maxTs + 1 };
  }
  const to = Math.floor(now / MINUTE) * MINUTE + MINUTE;
  return { from: to - PRESET_MS[range.preset], to };
}

/** A bucket that gives a time chart between a few dozen and a few hundred points. */
export function chooseBucket(spanMs: number): Bucket {
  if (spanMs <= 2 * HOUR) return "minute";
  if (spanMs <= 36 * HOUR) return "5m";
  if (spanMs <= 10 * DAY) return "hour";
  if (spanMs <= 120 * DAY) return "day";
  if (spanMs <= 3 * 365 * DAY) return "week";
  return "month";
}

/** Length of a fixed-size bucket, or null for months (and hour-of-week, which is not a time). */
export function bucketMs(bucket: Bucket): number | null {
  switch (bucket) {
    case "minute":
      return MINUTE;
    case "5m":
      return 5 * MINUTE;
    case "hour":
      return HOUR;
    case "day":
      return DAY;
    case "week":
      return 7 * DAY;
    default:
      return null;
  }
}

/** The person's UTC offset now, in minutes east, for day/week/hour-of-week buckets. */
export function localOffsetMinutes(at: number): number {
  return -new Date(at).getTimezoneOffset();
}

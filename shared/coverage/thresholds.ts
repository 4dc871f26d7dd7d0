/**
 * The workspace's coverage thresholds (config key `thresholds`) with their
 * defaults. Stored values are any finite numbers, so each is clamped to what
 * it can mean: a percentage to 0-100, a fraction to 0-1, days to 0 and up.
 */

/** Thresholds as the report uses them. */
export interface CoverageThresholds {
  /** `coverage_min`, percent 0-100: an endpoint below it is flagged. Default 80. */
  coverageMin: number;
  /** `stale_days`: a mock unchanged this many days or more is stale. Default 30. */
  staleDays: number;
  /** `drift_max`, percent 0-100: the most drifting mocks a workspace should have. Default 20. */
  driftMax: number;
  /** `high_drift`, 0-1: a mock's drift at or above it is high. Default 0.5. */
  highDrift: number;
}

/** The thresholds of a workspace that sets none. */
export const DEFAULT_THRESHOLDS: Readonly<CoverageThresholds> = { coverageMin: 80, staleDays: 30, driftMax: 20, highDrift: 0.5 };

function pick(raw: Readonly<Record<string, number>> | undefined, key: string, fallback: number, min: number, max: number): number {
  const v = raw?.[key];
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, v));
}

/** The thresholds of a workspace's `thresholds` config value (absent keys take their defaults). */
export function resolveThresholds(raw: Readonly<Record<string, number>> | undefined): CoverageThresholds {
  return {
    coverageMin: pick(raw, "coverage_min", DEFAULT_THRESHOLDS.coverageMin, 0, 100),
    staleDays: pick(raw, "stale_days", DEFAULT_THRESHOLDS.staleDays, 0, Infinity),
    driftMax: pick(raw, "drift_max", DEFAULT_THRESHOLDS.driftMax, 0, 100),
    highDrift: pick(raw, "high_drift", DEFAULT_THRESHOLDS.highDrift, 0, 1),
  };
}

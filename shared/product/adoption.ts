/**
 * Feature adoption: per value of the `feature` prop, the users with at least
 * one event carrying it in the range ÷ the users in the range. The previous
 * share is the same over the period of equal length just before the range,
 * over that period's users; NaN with no range, or when that period had no
 * users (a feature it never saw has share 0 there). Trend: "up" when
 * share − previousShare > 0.02, "down" when < −0.02, else "flat" (also for a
 * NaN previous share); the difference is taken in doubles as written.
 * Features come sorted by users, most first, then by name (code unit order).
 */
import type { QueryResult } from "../query.ts";
import type { FeatureAdoption, Trend } from "./types.ts";

/** How far shares must move, as a share of users (2 points), to count as a trend. */
export const TREND_THRESHOLD = 0.02;

/** Users per feature label from a result grouped by `feature` with one distinct-users measure. */
function usersByFeature(result: QueryResult): Map<string, number> {
  const key = result.keys[0];
  const out = new Map<string, number>();
  if (key === undefined || key.kind !== "label") return out;
  const users = result.measures[0]!;
  for (let i = 0; i < result.rows; i++) out.set(key.values[i]!, users[i]!);
  return out;
}

/** The trend of a share against the previous one. */
export function trendOf(share: number, previousShare: number): Trend {
  const diff = share - previousShare;
  if (diff > TREND_THRESHOLD) return "up";
  if (diff < -TREND_THRESHOLD) return "down";
  return "flat"; // NaN too
}

/**
 * Adoption from the features result, the previous period's (features and
 * ungrouped users; null without a range), and the users in the range.
 */
export function featureAdoption(features: QueryResult, previous: { features: QueryResult; users: QueryResult } | null, users: number): FeatureAdoption[] {
  const now = usersByFeature(features);
  const before = previous === null ? null : usersByFeature(previous.features);
  const usersBefore = previous === null ? 0 : previous.users.measures[0]![0]!;
  const out: FeatureAdoption[] = [];
  for (const [feature, n] of now) {
    const share = n / users;
    const previousShare = before === null || !(usersBefore > 0) ? NaN : (before.get(feature) ?? 0) / usersBefore;
    out.push({ feature, users: n, share, previousShare, trend: trendOf(share, previousShare) });
  }
  return out.sort((a, b) => b.users - a.users || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
}

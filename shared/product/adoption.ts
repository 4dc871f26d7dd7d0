/**
 * Feature adoption: per value of the `feature` prop, the users with at least
 * one event carrying it in the range ÷ the users in the range. The previous
 * share is the same over the period of equal length just before the range,
 * [from − (to − from), from), over that period's users; NaN with no range,
 * or when that period had no users (a feature it never saw has share 0
 * there). Trend: "up" when share − previousShare > 0.02, "down" when
 * < −0.02, else "flat" (also for a NaN previous share); the difference is
 * taken in doubles as written. Features come sorted by users, most first,
 * then by name (code unit order). Only features some user carried are listed.
 *
 * Counted in the per-user pass, which holds the period before the range too:
 * per user, a stamp per feature says whether they were counted already.
 */
import type { FeatureAdoption, Trend } from "./types.ts";
import { IN_RANGE, PREVIOUS, type UserEvents } from "./user-events.ts";

/** How far shares must move, as a share of users (2 points), to count as a trend. */
export const TREND_THRESHOLD = 0.02;

/** The trend of a share against the previous one. */
export function trendOf(share: number, previousShare: number): Trend {
  const diff = share - previousShare;
  if (diff > TREND_THRESHOLD) return "up";
  if (diff < -TREND_THRESHOLD) return "down";
  return "flat"; // NaN too
}

/** Adoption of each feature among the `users` users in the range; `hasRange` says whether there is a period before. */
export function featureAdoption(ue: UserEvents, users: number, hasRange: boolean): FeatureAdoption[] {
  const { start, flags, feature } = ue;
  const inRange = IN_RANGE; // read once: an imported binding may be a getter when bundled as CommonJS
  const previous = PREVIOUS;
  const size = ue.features.size;
  const now = new Float64Array(size);
  const before = new Float64Array(size);
  const countedNow = new Int32Array(size).fill(-1);
  const countedBefore = new Int32Array(size).fill(-1);
  let usersBefore = 0;
  for (let u = 0; u < ue.users; u++) {
    let wasBefore = 0;
    const e = start[u + 1]!;
    for (let i = start[u]!; i < e; i++) {
      const f = flags[i]!;
      const x = feature[i]!;
      if ((f & inRange) !== 0) {
        if (x >= 0 && countedNow[x] !== u) {
          countedNow[x] = u;
          now[x]!++;
        }
      } else if ((f & previous) !== 0) {
        wasBefore = 1;
        if (x >= 0 && countedBefore[x] !== u) {
          countedBefore[x] = u;
          before[x]!++;
        }
      }
    }
    usersBefore += wasBefore;
  }
  const out: FeatureAdoption[] = [];
  for (let x = 0; x < size; x++) {
    if (now[x] === 0) continue;
    const share = now[x]! / users;
    const previousShare = hasRange && usersBefore > 0 ? before[x]! / usersBefore : NaN;
    out.push({ feature: ue.features.text(x), users: now[x]!, share, previousShare, trend: trendOf(share, previousShare) });
  }
  return out.sort((a, b) => b.users - a.users || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
}

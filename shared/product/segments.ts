/**
 * Segments of the users with an event in the range, by fixed rules counted
 * back from end = min(now, range.to) (now with no range). Like the
 * active-user counts, the windows look back from the end whatever the
 * range's start; filters apply everywhere.
 *
 * - W is [end − 28d, end). An active day is a local calendar day (by
 *   utcOffsetMinutes) with at least one event.
 * - First seen: the user's earliest event in all stored time before the
 *   end. A user whose events all lie at or after the end has none, and
 *   counts as new.
 * - new: first seen ≥ end − 7d.
 * - at-risk: not new, and no event in [end − 7d, end).
 * - power: not new, an event in [end − 7d, end), and ≥ 10 active days in W.
 * - regular: everyone else.
 *
 * Per segment: users; share = users ÷ users in the range (NaN when there are
 * none); engagement = the mean over its users of 10 · min(1, active days in
 * W ÷ 20) (NaN for an empty segment); eventsPerActiveDay = the segment's
 * events in W ÷ its active days in W (NaN when 0). All four segments are
 * always listed, in the order power, regular, new, at-risk.
 */
import { DAY_MS } from "../engine/buckets.ts";
import type { SegmentName, SegmentResult } from "./types.ts";
import { IN_RANGE, type UserEvents } from "./user-events.ts";

/** The segments in the order the report lists them. */
export const SEGMENTS: readonly SegmentName[] = ["power", "regular", "new", "at-risk"];

/** Length of W, the window active days are counted over. */
export const ENGAGEMENT_WINDOW_DAYS = 28;
/** Active days in W that make an active, established user a power user. */
export const POWER_DAYS = 10;
/** Active days in W that earn the full engagement score of 10. */
export const FULL_ENGAGEMENT_DAYS = 20;
/** Days of the "new" and "recently active" windows. */
export const RECENT_DAYS = 7;

const POWER = 0;
const REGULAR = 1;
const NEW = 2;
const AT_RISK = 3;

/** The four segments of the users in `ue` that have an event in the range. */
export function userSegments(ue: UserEvents, end: number, utcOffsetMinutes: number): SegmentResult[] {
  const { start, ts, flags } = ue;
  const offset = utcOffsetMinutes * 60_000;
  const wFrom = end - ENGAGEMENT_WINDOW_DAYS * DAY_MS;
  const recent = end - RECENT_DAYS * DAY_MS;
  // imported bindings may be getter calls per read when bundled as CommonJS: read them once
  const dayMs = DAY_MS;
  const inRangeBit = IN_RANGE;
  const users = new Float64Array(4);
  const score = new Float64Array(4);
  const events = new Float64Array(4);
  const days = new Float64Array(4);
  let total = 0;
  for (let u = 0; u < ue.users; u++) {
    const s = start[u]!;
    const e = start[u + 1]!;
    let inRange = 0;
    let wEvents = 0;
    let wDays = 0;
    let lastDay = NaN;
    let last = -Infinity;
    for (let i = s; i < e; i++) {
      inRange |= flags[i]! & inRangeBit;
      const t = ts[i]!;
      if (t >= end) continue;
      last = t; // in time order: the last one kept is the latest before the end
      if (t < wFrom) continue;
      wEvents++;
      const day = Math.floor((t + offset) / dayMs);
      if (day !== lastDay) {
        wDays++;
        lastDay = day;
      }
    }
    if (inRange === 0) continue;
    total++;
    const first = ts[s]! < end ? ts[s]! : Infinity;
    const seg = first >= recent ? NEW : last < recent ? AT_RISK : wDays >= POWER_DAYS ? POWER : REGULAR;
    users[seg]!++;
    score[seg]! += 10 * Math.min(1, wDays / FULL_ENGAGEMENT_DAYS);
    events[seg]! += wEvents;
    days[seg]! += wDays;
  }
  return SEGMENTS.map((segment, k) => ({
    segment,
    users: users[k]!,
    share: users[k]! / total,
    eventsPerActiveDay: days[k]! > 0 ? events[k]! / days[k]! : NaN,
    engagement: users[k]! > 0 ? score[k]! / users[k]! : NaN,
  }));
}

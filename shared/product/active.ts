/**
 * Active users: distinct users per local day, Monday week and calendar
 * month of the range (engine queries, see queries.ts; only buckets with at
 * least one user are listed, oldest first), and the headline counts: users
 * with an event (filters applied) in [end − 1d, end), [end − 7d, end) and
 * [end − 30d, end), where end = min(now, range.to), or now with no range.
 * Those count back from the end whatever the range's start, so they come
 * from the per-user pass, which holds events from before the range too.
 */
import { DAY_MS } from "../engine/buckets.ts";
import type { QueryResult } from "../query.ts";
import type { ActiveSeries } from "./types.ts";
import type { UserEvents } from "./user-events.ts";

/** A series from a query grouped by one time bucket with one distinct-users measure. */
export function activeSeries(result: QueryResult): ActiveSeries {
  const key = result.keys[0];
  if (key === undefined || key.kind !== "time") throw new RangeError("an active-users result is grouped by a time bucket");
  // results share no memory with the engine or later runs, so their arrays are ours to hand on
  return { t: key.values, users: result.measures[0]! };
}

/** Users with an event in the last 1, 7 and 30 days before `end`. */
export function recentUsers(ue: UserEvents, end: number): { dau: number; wau: number; mau: number } {
  const { start, ts } = ue;
  let dau = 0;
  let wau = 0;
  let mau = 0;
  // bounds outside the loop: an imported binding may be a getter call per read when bundled as CommonJS
  const day = end - DAY_MS;
  const week = end - 7 * DAY_MS;
  const month = end - 30 * DAY_MS;
  for (let u = 0; u < ue.users; u++) {
    // a user's events are in time order: the last one before the end decides all three
    let i = start[u + 1]! - 1;
    const s = start[u]!;
    while (i >= s && !(ts[i]! < end)) i--;
    if (i < s) continue;
    const t = ts[i]!;
    dau += +(t >= day);
    wau += +(t >= week);
    mau += +(t >= month);
  }
  return { dau, wau, mau };
}

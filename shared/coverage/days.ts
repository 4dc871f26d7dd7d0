/**
 * Local calendar days at a fixed UTC offset, matching the engine's day
 * buckets: a day is named by the epoch ms of its local midnight.
 */
import { DAY_MS } from "../engine/buckets.ts";

/** Start of the local day holding `t`, at `offsetMinutes` east of UTC. */
export function dayStart(t: number, offsetMinutes = 0): number {
  const off = offsetMinutes * 60_000;
  return Math.floor((t + off) / DAY_MS) * DAY_MS - off;
}

/** Every day start from `first` to `last` (both day starts), at most `max` of them, the latest kept. */
export function daysBetween(first: number, last: number, max: number): number[] {
  if (!(last >= first)) return [];
  const from = Math.max(first, last - (max - 1) * DAY_MS);
  const out: number[] = [];
  for (let d = from; d <= last; d += DAY_MS) out.push(d);
  return out;
}

/** Whole days from `from` to `to`, never negative. */
export function wholeDays(from: number, to: number): number {
  return Math.max(0, Math.floor((to - from) / DAY_MS));
}

/**
 * Time bucket math. A bucket is first an integer index (minutes, hours, days,
 * Monday weeks or calendar months since the epoch; 0..167 for hour-of-week),
 * dense enough to key a lookup table (IntKeys); only the few distinct indices
 * are turned back into start times. Per the query model, minute, 5m and hour
 * buckets are UTC; day, week, month and hour-of-week are local to
 * `utcOffsetMinutes`. Calendar maths is Hinnant's civil-days algorithm, so no
 * Date object is needed.
 */
import type { Bucket } from "../query.ts";
import type { IntKeys } from "./int-keys.ts";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Index of the calendar month (year * 12 + month - 1) holding day number `day` (days since 1970-01-01). */
export function monthOfDay(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9; // 1..12
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + month - 1;
}

/** Day number of the first day of month index `monthIndex` (see {@link monthOfDay}). */
export function firstDayOfMonth(monthIndex: number): number {
  const month = monthIndex - Math.floor(monthIndex / 12) * 12 + 1;
  const year = Math.floor(monthIndex / 12) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Writes the dense id (from `keys`, which sees bucket indices) of the bucket
 * of `ts[rows[j]]` to `out[j]` for `j` in `[start, end)`, and adds each
 * id's rows to `tally[id]`. Rows mostly come in time order, so the work goes
 * by runs: work out the bucket of a row and its span in epoch ms, then
 * {@link runWithin} takes the following rows while their times stay inside,
 * at two compares a row.
 */
export function bucketIds(
  bucket: Bucket,
  offsetMs: number,
  ts: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
  keys: IntKeys,
  out: Int32Array,
  tally: number[],
): void {
  const span = new Float64Array(2); // [from, to) of the current bucket, epoch ms
  let j = start;
  while (j < end) {
    const id = keys.id(locate(bucket, offsetMs, ts[rows[j]!]!, span));
    if (id === tally.length) tally.push(0);
    const first = j;
    out[j] = id;
    j = runWithin(ts, rows, j + 1, end, span[0]!, span[1]!, id, out);
    tally[id]! += j - first;
  }
}

// a leaf of its own: V8 keeps this loop small and optimized, with the bucket maths out of it
function runWithin(ts: Float64Array, rows: Int32Array, j: number, end: number, from: number, to: number, id: number, out: Int32Array): number {
  for (; j < end; j++) {
    const t = ts[rows[j]!]!;
    if (!(t >= from && t < to)) break; // NaN too
    out[j] = id;
  }
  return j;
}

/** The bucket index of time `t`; writes the bucket's span (epoch ms, end exclusive) to `span`. */
export function locate(bucket: Bucket, offsetMs: number, t: number, span: Float64Array): number {
  switch (bucket) {
    case "minute":
      return uniform(t, 0, MINUTE_MS, span);
    case "5m":
      return uniform(t, 0, 5 * MINUTE_MS, span);
    case "hour":
      return uniform(t, 0, HOUR_MS, span);
    case "day":
      return uniform(t, offsetMs, DAY_MS, span);
    case "week": {
      // 1970-01-01 was a Thursday: day + 3 counts days since Monday 1969-12-29
      const week = Math.floor((Math.floor((t + offsetMs) / DAY_MS) + 3) / 7);
      span[0] = (week * 7 - 3) * DAY_MS - offsetMs;
      span[1] = span[0] + 7 * DAY_MS;
      return week;
    }
    case "month": {
      const month = monthOfDay(Math.floor((t + offsetMs) / DAY_MS));
      span[0] = firstDayOfMonth(month) * DAY_MS - offsetMs;
      span[1] = firstDayOfMonth(month + 1) * DAY_MS - offsetMs;
      return month;
    }
    case "hour-of-week": {
      const hours = uniform(t, offsetMs, HOUR_MS, span) + 72; // hours since Monday 1969-12-29 00:00
      return hours - Math.floor(hours / 168) * 168;
    }
  }
}

/** Epoch ms at which bucket `index` starts; hour-of-week buckets are their index, 0..167. */
export function bucketStart(bucket: Bucket, offsetMs: number, index: number): number {
  switch (bucket) {
    case "minute":
      return index * MINUTE_MS;
    case "5m":
      return index * 5 * MINUTE_MS;
    case "hour":
      return index * HOUR_MS;
    case "day":
      return index * DAY_MS - offsetMs;
    case "week":
      return (index * 7 - 3) * DAY_MS - offsetMs; // week 0 starts Monday 1969-12-29
    case "month":
      return firstDayOfMonth(index) * DAY_MS - offsetMs;
    case "hour-of-week":
      return index;
  }
}

function uniform(t: number, offsetMs: number, size: number, span: Float64Array): number {
  const index = Math.floor((t + offsetMs) / size);
  span[0] = index * size - offsetMs;
  span[1] = span[0] + size;
  return index;
}

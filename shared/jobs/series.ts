/**
 * The jobs series: jobs, cost and success rate per day, week or month, with
 * every bucket of the range present (a quiet day is a zero, not a missing
 * point), in the same local buckets the engine groups by.
 */
import { DAY_MS, bucketStart, locate } from "../engine/buckets.ts";
import type { QueryResult } from "../query.ts";
import { amount, rowsOf, time } from "../coverage/rows.ts";
import type { JobBucket } from "./queries.ts";

/** One bucket of the series. */
export interface JobsPoint {
  /** Bucket start, epoch ms. */
  start: number;
  jobs: number;
  /** USD, as summed by the engine (round to cents to show). */
  costUsd: number;
  succeeded: number;
  finished: number;
  /** succeeded ÷ finished; NaN when no job finished. */
  successRate: number;
}

/** More buckets than this and only buckets with jobs are listed (an "all time" range over years of days). */
const MAX_FILLED = 2_000;

/** The start of every bucket overlapping [from, to), or null when there would be too many. */
export function bucketStarts(bucket: JobBucket, range: { from: number; to: number }, offsetMinutes: number): number[] | null {
  if (range.to <= range.from) return [];
  const span = new Float64Array(2);
  const offsetMs = offsetMinutes * 60_000;
  // months vary in length, so step by each bucket's own end
  const days = (range.to - range.from) / DAY_MS;
  if ((bucket === "day" ? days : bucket === "week" ? days / 7 : days / 28) > MAX_FILLED) return null;
  const starts: number[] = [];
  let index = locate(bucket, offsetMs, range.from, span);
  for (let t = bucketStart(bucket, offsetMs, index); t < range.to; t = bucketStart(bucket, offsetMs, ++index)) starts.push(t);
  return starts;
}

/** Counts back from rates: the engine gives shares of a group's count. */
export function countOf(share: number, jobs: number): number {
  return Number.isFinite(share) ? Math.round(share * jobs) : 0;
}

/**
 * The series from the `series` query's result; with a range, every bucket
 * in it, zeros where no job ran.
 */
export function jobsSeries(result: QueryResult, bucket: JobBucket, range: { from: number; to: number } | undefined, offsetMinutes: number): JobsPoint[] {
  const byStart = new Map<number, JobsPoint>();
  for (const row of rowsOf(result)) {
    const jobs = amount(row, 0);
    const succeeded = countOf(row.values[2]!, jobs);
    const finished = countOf(row.values[3]!, jobs);
    byStart.set(time(row, 0), { start: time(row, 0), jobs, costUsd: amount(row, 1), succeeded, finished, successRate: finished > 0 ? succeeded / finished : NaN });
  }
  const starts = range ? bucketStarts(bucket, range, offsetMinutes) : null;
  if (starts === null) return [...byStart.values()].sort((a, b) => a.start - b.start);
  return starts.map((start) => byStart.get(start) ?? { start, jobs: 0, costUsd: 0, succeeded: 0, finished: 0, successRate: NaN });
}

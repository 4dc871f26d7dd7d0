/**
 * Pivots of bucketed results into uPlot's columnar data: `[xs, ...ys]`, xs in
 * epoch seconds, ascending. Missing buckets become 0 for counts (nothing
 * happened) and gaps for measures such as percentiles (nothing to measure).
 */
import type { Bucket, QueryResult } from "../../../shared/query.ts";
import { bucketMs, MINUTE } from "../routing/time-range.ts";
import { gap, keyLabels, measureAt } from "./columns.ts";

/** Beyond this many buckets the grid is not filled in; only buckets with data are drawn. */
const MAX_GRID = 5_000;

/**
 * Start times (epoch ms) of every bucket in [from, to), aligned as the engine
 * aligns them (day and week buckets to the local offset), or null when the
 * bucket is not of fixed size or the grid would be too long.
 */
export function bucketGrid(range: { from: number; to: number } | null, bucket: Bucket, offsetMinutes: number): number[] | null {
  const size = bucketMs(bucket);
  if (range === null || size === null || (range.to - range.from) / size > MAX_GRID) return null;
  const offset = bucket === "day" || bucket === "week" ? offsetMinutes * MINUTE : 0;
  // weeks start on Monday: epoch day 0 was a Thursday, 3 days after Monday 1969-12-29
  const phase = bucket === "week" ? -3 * 24 * 60 * MINUTE : 0;
  const first = Math.floor((range.from + offset - phase) / size) * size - offset + phase;
  const grid: number[] = [];
  for (let t = first; t < range.to; t += size) grid.push(t);
  return grid;
}

/** The x values: the grid when there is one, else the distinct bucket starts of the results. */
function xsOf(grid: number[] | null, results: QueryResult[]): number[] {
  if (grid !== null) return grid;
  const all = new Set<number>();
  for (const r of results) {
    const col = r.keys[0];
    if (col?.kind === "time") for (const v of col.values) all.add(v);
  }
  return [...all].sort((a, b) => a - b);
}

export interface Series {
  label: string;
  values: (number | null)[];
}

/** uPlot-ready data: xs in seconds and one series per label. */
export interface TimeSeries {
  xs: number[];
  series: Series[];
}

/**
 * A count by [time bucket, label] as one series per label, largest total
 * first; labels past `maxSeries` are summed into "other".
 */
export function countsByLabel(result: QueryResult, grid: number[] | null, maxSeries = 6): TimeSeries {
  const xsMs = xsOf(grid, [result]);
  const index = new Map(xsMs.map((t, i) => [t, i]));
  const times = result.keys[0]?.kind === "time" ? result.keys[0].values : new Float64Array();
  const labels = keyLabels(result.keys[1]);
  const byLabel = new Map<string, number[]>();
  const totals = new Map<string, number>();
  for (let row = 0; row < result.rows; row++) {
    const i = index.get(times[row]!);
    if (i === undefined) continue;
    const label = labels[row] ?? "";
    let values = byLabel.get(label);
    if (values === undefined) byLabel.set(label, (values = new Array<number>(xsMs.length).fill(0)));
    const v = measureAt(result, 0, row);
    values[i]! += v;
    totals.set(label, (totals.get(label) ?? 0) + v);
  }
  const ranked = [...byLabel.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  const kept = ranked.slice(0, ranked.length > maxSeries ? maxSeries - 1 : maxSeries);
  const series: Series[] = kept.map((label) => ({ label, values: byLabel.get(label)! }));
  const rest = ranked.slice(kept.length);
  if (rest.length > 0) {
    const other = new Array<number>(xsMs.length).fill(0);
    for (const label of rest) byLabel.get(label)!.forEach((v, i) => (other[i]! += v));
    series.push({ label: "other", values: other });
  }
  return { xs: xsMs.map((t) => t / 1000), series };
}

/** Measures of a [time bucket] result as one series each; missing buckets are gaps. */
export function measuresOverTime(result: QueryResult, grid: number[] | null, labels: string[]): TimeSeries {
  const xsMs = xsOf(grid, [result]);
  const index = new Map(xsMs.map((t, i) => [t, i]));
  const times = result.keys[0]?.kind === "time" ? result.keys[0].values : new Float64Array();
  const series: Series[] = labels.map((label) => ({ label, values: new Array<number | null>(xsMs.length).fill(null) }));
  for (let row = 0; row < result.rows; row++) {
    const i = index.get(times[row]!);
    if (i === undefined) continue;
    series.forEach((s, m) => (s.values[i] = gap(measureAt(result, m, row))));
  }
  return { xs: xsMs.map((t) => t / 1000), series };
}

/** The sum of all series at each x. */
export function totals(ts: TimeSeries): number[] {
  return ts.xs.map((_, i) => ts.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
}

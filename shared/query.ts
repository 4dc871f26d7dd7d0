/**
 * The query model (DESIGN.md, Queries): a time range, filters, event types, a
 * group-by of up to two dimensions or time buckets, and measures. Queries are
 * plain data, so they live in URLs, cross to the aggregation worker as they are,
 * and key caches.
 */
import type { EventType, PropValue } from "./event.ts";

/** What can be filtered and grouped on: the event's name or type, or one of its props. */
export type Dim = { field: "name" | "type" } | { prop: string };

/** Time buckets; weeks start on Monday; `hour-of-week` is 0 (Monday 00:00) to 167. */
export const BUCKETS = ["minute", "5m", "hour", "day", "week", "month", "hour-of-week"] as const;
export type Bucket = (typeof BUCKETS)[number];

/** A predicate on one dimension: equal to one of `values`, or within a numeric range. */
export type Filter =
  | { dim: Dim; in: PropValue[] }
  | { dim: Dim; notIn: PropValue[] }
  /** `min` inclusive, `max` exclusive; events without a numeric value never match. */
  | { dim: Dim; min?: number; max?: number }
  /** Whether the event has a value for `dim` at all (names and types always do). */
  | { dim: Dim; present: boolean };

/** A group-by key: a dimension's value, or the time bucket of `ts`. */
export type GroupKey = Dim | { bucket: Bucket };

/** Percentiles are exact. `rate` is the share (0..1) of a group's events that match `where`. */
export type Measure =
  | { fn: "count" }
  | { fn: "sum" | "avg" | "min" | "max" | "p50" | "p95" | "p99" | "distinct"; of: Dim }
  | { fn: "rate"; where: Filter[] };

export interface Query {
  /** Event time range, epoch ms: `from` inclusive, `to` exclusive. Absent: all time. */
  range?: { from: number; to: number };
  types?: EventType[];
  /** All must hold. */
  filters?: Filter[];
  /** Views group by up to two keys (the engine takes more); absent or empty: one group of everything that matched. */
  groupBy?: GroupKey[];
  measures: Measure[];
  /** Sort groups by a measure (index into `measures`), descending unless `asc`. Default: by keys ascending. */
  orderBy?: { measure: number; asc?: boolean };
  /** Keep the first `limit` groups after ordering. */
  limit?: number;
  /** Minutes east of UTC used for day, week, month and hour-of-week buckets. Default 0. */
  utcOffsetMinutes?: number;
}

/** One key column of a result: bucket start times (epoch ms; 0..167 for hour-of-week), or labels. */
export type KeyColumn = { kind: "time"; values: Float64Array } | { kind: "label"; values: string[] };

/** A result in columns: `rows` groups, one key column per group-by key, one column per measure. */
export interface QueryResult {
  rows: number;
  keys: KeyColumn[];
  /** NaN where a measure is undefined for a group (avg of no values, say). */
  measures: Float64Array[];
  /** Events that matched range, types and filters. */
  matched: number;
}

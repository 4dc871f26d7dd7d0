/**
 * The engine's semantics, written the plain way: loops over StoredEvent
 * objects, Date for calendars, full sorts for percentiles. Slow and obviously
 * right, it is what the property tests hold the engine to.
 */
import type { PropValue, StoredEvent } from "../../../shared/event.ts";
import type { Dim, Filter, GroupKey, KeyColumn, Measure, Query, QueryResult } from "../../../shared/query.ts";

export const NONE = "(none)";

function text(value: PropValue): string {
  return typeof value === "string" ? value : String(value);
}

/** Decimal text only: "42", "-1.5", "2e3"; not "", " 7", "0x10", "Infinity". */
export function parseDecimal(s: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && Number.isFinite(Number(s)) ? Number(s) : NaN;
}

function dimText(e: StoredEvent, dim: Dim): string | undefined {
  if ("field" in dim) return dim.field === "name" ? e.name : e.type;
  const v = e.props[dim.prop];
  return v === undefined ? undefined : text(v);
}

function dimNumber(e: StoredEvent, dim: Dim): number {
  if ("field" in dim) return dim.field === "name" ? parseDecimal(e.name) : NaN;
  const v = e.props[dim.prop];
  if (typeof v === "number") return v;
  if (typeof v === "string") return parseDecimal(v);
  return NaN;
}

function matches(e: StoredEvent, f: Filter): boolean {
  if ("in" in f) {
    const t = dimText(e, f.dim);
    return t !== undefined && f.in.map(text).includes(t);
  }
  if ("notIn" in f) {
    const t = dimText(e, f.dim);
    return !(t !== undefined && f.notIn.map(text).includes(t));
  }
  if ("present" in f) return (dimText(e, f.dim) !== undefined) === f.present;
  const x = dimNumber(e, f.dim);
  return x >= (f.min ?? -Infinity) && x < (f.max ?? Infinity);
}

const MONDAY_FIRST = (d: Date) => (d.getUTCDay() + 6) % 7;

/** Bucket start (epoch ms), or 0..167 for hour-of-week. */
export function bucketOf(bucket: string, ts: number, offsetMinutes: number): number {
  const off = offsetMinutes * 60_000;
  const utc = new Date(ts);
  const local = new Date(ts + off);
  const [y, m, d] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  switch (bucket) {
    case "minute":
      return Date.UTC(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes());
    case "5m":
      return Date.UTC(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes() - (utc.getUTCMinutes() % 5));
    case "hour":
      return Date.UTC(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours());
    case "day":
      return Date.UTC(y, m, d) - off;
    case "week":
      return Date.UTC(y, m, d - MONDAY_FIRST(local)) - off;
    case "month":
      return Date.UTC(y, m, 1) - off;
    case "hour-of-week":
      return MONDAY_FIRST(local) * 24 + local.getUTCHours();
  }
  throw new Error(`unknown bucket ${bucket}`);
}

function keyOf(e: StoredEvent, key: GroupKey, offsetMinutes: number): number | string {
  if ("bucket" in key) return bucketOf(key.bucket, e.ts, offsetMinutes);
  return dimText(e, key) ?? NONE;
}

/** Linear interpolation between closest ranks, over a full sort. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const k = Math.floor(pos);
  const f = pos - k;
  return f === 0 ? s[k]! : s[k]! + (s[k + 1]! - s[k]!) * f;
}

function measure(events: StoredEvent[], m: Measure): number {
  switch (m.fn) {
    case "count":
      return events.length;
    case "rate":
      return events.filter((e) => m.where.every((f) => matches(e, f))).length / events.length;
    case "distinct":
      return new Set(events.map((e) => dimText(e, m.of)).filter((t) => t !== undefined)).size;
  }
  const xs = events.map((e) => dimNumber(e, m.of)).filter((x) => !Number.isNaN(x));
  switch (m.fn) {
    case "sum":
      return xs.reduce((a, b) => a + b, 0);
    case "avg":
      return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
    case "min":
      return xs.length === 0 ? NaN : Math.min(...xs);
    case "max":
      return xs.length === 0 ? NaN : Math.max(...xs);
    case "p50":
      return percentile(xs, 0.5);
    case "p95":
      return percentile(xs, 0.95);
    case "p99":
      return percentile(xs, 0.99);
  }
}

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    return typeof x === "number" ? x - (y as number) : x < y ? -1 : 1;
  }
  return 0;
}

/** What the engine must answer for `query` over `events`. */
export function referenceQuery(events: readonly StoredEvent[], query: Query): QueryResult {
  const offset = query.utcOffsetMinutes ?? 0;
  const matched = events.filter(
    (e) =>
      (query.range === undefined || (e.ts >= query.range.from && e.ts < query.range.to)) &&
      (query.types === undefined || query.types.includes(e.type)) &&
      (query.filters ?? []).every((f) => matches(e, f)),
  );
  const groupBy = query.groupBy ?? [];
  const groups = new Map<string, { keys: (number | string)[]; events: StoredEvent[] }>();
  if (groupBy.length === 0) groups.set("[]", { keys: [], events: [] }); // one row even when nothing matched
  for (const e of matched) {
    const keys = groupBy.map((k) => keyOf(e, k, offset));
    const id = JSON.stringify(keys);
    const group = groups.get(id) ?? { keys, events: [] };
    group.events.push(e);
    groups.set(id, group);
  }
  let rows = [...groups.values()].map((g) => ({ keys: g.keys, values: query.measures.map((m) => measure(g.events, m)) }));
  rows.sort((a, b) => compareKeys(a.keys, b.keys));
  if (query.orderBy !== undefined) {
    const { measure: i, asc } = query.orderBy;
    rows.sort((a, b) => {
      const x = a.values[i]!;
      const y = b.values[i]!;
      if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
      return asc ? x - y : y - x; // stable: ties keep key order
    });
  }
  if (query.limit !== undefined) rows = rows.slice(0, Math.max(0, query.limit));
  const keys: KeyColumn[] = groupBy.map((k, i) =>
    "bucket" in k
      ? { kind: "time", values: Float64Array.from(rows, (r) => r.keys[i] as number) }
      : { kind: "label", values: rows.map((r) => r.keys[i] as string) },
  );
  return {
    rows: rows.length,
    keys,
    measures: query.measures.map((_, i) => Float64Array.from(rows, (r) => r.values[i]!)),
    matched: matched.length,
  };
}

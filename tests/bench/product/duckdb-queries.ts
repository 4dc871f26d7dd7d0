/**
 * The Product view's figures in SQL, built from the same ProductSpec the
 * engine gets, each query with a mapper from its rows to named figures (see
 * figures.ts). The semantics, which both sides follow:
 * - every figure reads `track` events in [from, to), except "first seen"
 *   (all data before end) and dau/wau/mau ([end − 1/7/30 d, end)), with
 *   end = min(now, to);
 * - a user's variant is that of their earliest event with the experiment and
 *   a variant; they converted when a goal event (default: same experiment and
 *   converted = true) is at or after that exposure;
 * - segments: W = [end − 28d, end); new: first seen ≥ end − 7d (or never
 *   before end); at-risk: no event in [end − 7d, end); power: ≥ 10 UTC days
 *   active in W; regular: the rest; only users with an event in the range;
 * - a user reaches funnel step k when steps 1..k occur at strictly
 *   increasing times within the window of step 1; from a given step 1 the
 *   earliest next step at each stage is best, which chained ASOF joins find.
 * Times are whole epoch ms; days are UTC (the bench's offset is 0).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { EventMatch, ProductSpec } from "../../../shared/product/types.ts";
import { dayKey, type FigureList } from "./figures.ts";
import { DAY_MS, funnelWindowMs } from "./spec.ts";

export interface ProductQuery {
  name: string;
  sql: string;
  figures(rows: unknown[][]): FigureList;
}

const num = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
const str = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** An ENUM literal: compared as is, DuckDB would cast the whole column to text instead. */
const enumOf = (column: "type" | "name" | "experiment", s: string) => `${str(s)}::${column}_t`;

/** The Product view's queries over `spec` (whose filters must be empty: the bench asks for none). */
export function productSql(spec: ProductSpec): ProductQuery[] {
  if (!spec.range || spec.filters.length > 0 || spec.utcOffsetMinutes !== 0) throw new Error("productSql: the bench's spec has a range, no filters and UTC days");
  const { from, to } = spec.range;
  const end = Math.min(spec.now, to);
  const track = `type = ${enumOf("type", "track")}`;
  const inRange = `${track} AND ts >= ${from} AND ts < ${to}`;
  const hasUser = `"user" IS NOT NULL`;
  const previous = from - (to - from);
  const active = (bucket: string, label: string): ProductQuery => ({
    name: `active users per ${label}`,
    sql: `SELECT ${bucket} AS t, count(DISTINCT "user") FROM events WHERE ${inRange} AND ${hasUser} GROUP BY t ORDER BY t`,
    figures: (rows) => rows.map(([t, users]) => [`active.${label} ${dayKey(num(t))}`, num(users)]),
  });
  const configured = new Map(spec.experiments.map((e) => [e.experiment, e]));
  const custom = spec.experiments.filter((e) => e.goal);

  return [
    {
      name: "headline",
      sql: `SELECT count(*) FILTER (ts >= ${from}), count(DISTINCT "user") FILTER (ts >= ${from}),
          ${[1, 7, 30].map((d) => `count(DISTINCT "user") FILTER (ts >= ${end - d * DAY_MS} AND ts < ${end})`).join(", ")}
        FROM events WHERE ${track} AND ts >= ${Math.min(from, end - 30 * DAY_MS)} AND ts < ${to}`,
      figures: ([row]) => ["events", "users", "dau", "wau", "mau"].map((k, i) => [k, num(row![i])]),
    },
    active(`ts // ${DAY_MS} * ${DAY_MS}`, "daily"),
    // epoch day 0 is a Thursday: +3 makes weeks start on Monday
    active(`((ts // ${DAY_MS} + 3) // 7 * 7 - 3) * ${DAY_MS}`, "weekly"),
    active(`epoch_ms(date_trunc('month', epoch_ms(ts)))`, "monthly"),
    {
      name: "feature adoption",
      sql: `WITH cur AS (SELECT count(DISTINCT "user") AS n FROM events WHERE ${inRange}),
          prev AS (SELECT count(DISTINCT "user") AS n FROM events WHERE ${track} AND ts >= ${previous} AND ts < ${from})
        SELECT feature, count(DISTINCT "user") FILTER (ts >= ${from}) AS users, users / nullif(any_value(cur.n), 0),
          count(DISTINCT "user") FILTER (ts < ${from}) / nullif(any_value(prev.n), 0)
        FROM events, cur, prev WHERE ${track} AND ts >= ${previous} AND ts < ${to} AND feature IS NOT NULL AND ${hasUser}
        GROUP BY feature HAVING users > 0 ORDER BY feature`,
      figures: (rows) =>
        rows.flatMap(([feature, users, share, previousShare]) => [
          [`adoption ${feature} users`, num(users)],
          [`adoption ${feature} share`, num(share)],
          [`adoption ${feature} previousShare`, num(previousShare)],
        ]),
    },
    {
      name: "experiments",
      sql: `WITH x AS (
          SELECT "user", experiment, arg_min(variant, ts) AS variant, min(ts) AS exposed FROM events
          WHERE ${inRange} AND ${hasUser} AND experiment IS NOT NULL AND variant IS NOT NULL GROUP BY ALL),
        g AS (
          SELECT "user", experiment, max(ts) AS last FROM events
          WHERE ${inRange} AND ${hasUser} AND converted AND experiment IS NOT NULL
            ${custom.length > 0 ? `AND experiment NOT IN (${custom.map((e) => enumOf("experiment", e.experiment)).join(", ")})` : ""}
          GROUP BY ALL
          ${custom.map((e) => `UNION ALL SELECT "user", ${enumOf("experiment", e.experiment)}, max(ts) FROM events WHERE ${inRange} AND ${hasUser} AND ${matches(e.goal!)} GROUP BY ALL`).join("\n")})
        SELECT x.experiment, x.variant, count(*), count(g.last) FROM x
        LEFT JOIN g ON g."user" = x."user" AND g.experiment = x.experiment AND g.last >= x.exposed
        GROUP BY ALL ORDER BY ALL`,
      figures: (rows) =>
        rows.flatMap(([experiment, variant, users, conversions]) => {
          const control = configured.get(String(experiment))?.control ?? "control";
          return [
            [`experiment ${experiment} ${variant} users`, num(users)],
            [`experiment ${experiment} ${variant} conversions`, num(conversions)],
            [`experiment ${experiment} ${variant} control`, variant === control ? 1 : 0],
          ];
        }),
    },
    {
      name: "segments",
      sql: `WITH s AS (
          SELECT "user", min(ts) FILTER (ts < ${end}) AS first,
            count(*) FILTER (ts >= ${end - 7 * DAY_MS} AND ts < ${end}) AS recent,
            count(*) FILTER (ts >= ${end - 28 * DAY_MS} AND ts < ${end}) AS events_w,
            count(DISTINCT ts // ${DAY_MS}) FILTER (ts >= ${end - 28 * DAY_MS} AND ts < ${end}) AS days_w,
            count(*) FILTER (ts >= ${from}) AS in_range
          FROM events WHERE ${track} AND ${hasUser} AND ts < ${to} GROUP BY "user"),
        t AS (
          SELECT CASE WHEN first IS NULL OR first >= ${end - 7 * DAY_MS} THEN 'new' WHEN recent = 0 THEN 'at-risk' WHEN days_w >= 10 THEN 'power' ELSE 'regular' END AS segment,
            events_w, days_w FROM s WHERE in_range > 0)
        SELECT segment, count(*), count(*) / sum(count(*)) OVER (), sum(events_w), sum(days_w), avg(10 * least(1, days_w / 20))
        FROM t GROUP BY segment ORDER BY segment`,
      figures: (rows) =>
        rows.flatMap(([segment, users, share, events, days, engagement]) => [
          [`segment ${segment} users`, num(users)],
          [`segment ${segment} share`, num(share)],
          [`segment ${segment} eventsPerActiveDay`, num(events) / num(days)],
          [`segment ${segment} engagement`, num(engagement)],
        ]),
    },
    ...spec.funnels.map((f): ProductQuery => {
      const k = f.steps.length;
      const steps = f.steps.map((s, i) => `s${i + 1} AS (SELECT "user", ts FROM events WHERE ${inRange} AND ${hasUser} AND ${matches(s)})`);
      const chain = f.steps.slice(1).map((_, j) => {
        const i = j + 2;
        return `c${i} AS (SELECT c${i - 1}.*, s${i}.ts AS t${i} FROM c${i - 1} ASOF LEFT JOIN s${i} ON c${i - 1}."user" = s${i}."user" AND s${i}.ts > c${i - 1}.t${i - 1})`;
      });
      // depth is the step before the first one missing or out of the window. Read in that order on purpose:
      // DuckDB 1.5.5's ASOF LEFT JOIN matches left rows whose inequality key is NULL, so after a
      // missing step the later columns can hold matches that are not
      const depth = Array.from({ length: k - 1 }, (_, j) => j + 2).map((i) => `WHEN t${i} IS NULL OR t${i} - t1 > ${funnelWindowMs(f)} THEN ${i - 1}`);
      return {
        name: `funnel ${f.name}`,
        sql: `WITH ${steps.join(",\n")},
          c1 AS (SELECT "user", ts AS t1 FROM s1),
          ${chain.join(",\n")}${chain.length > 0 ? "," : ""}
          d AS (SELECT max(${k === 1 ? "1" : `CASE ${depth.join(" ")} ELSE ${k} END`}) AS depth FROM c${k} GROUP BY "user")
          SELECT ${f.steps.map((_, i) => `count(*) FILTER (depth >= ${i + 1})`).join(", ")} FROM d`,
        figures: ([row]) => f.steps.map((s, i) => [`funnel ${f.name} step ${i + 1} ${s.name} users`, num(row![i])]),
      };
    }),
  ];
}

/** A WHERE clause for a goal or step: by name only, which is all the bench's spec uses. */
function matches(m: EventMatch): string {
  if (m.props && Object.keys(m.props).length > 0) throw new Error(`productSql: matching on props (${m.name}) is not written in SQL yet`);
  return `name = ${enumOf("name", m.name)}`;
}

/** Runs the queries and gathers their figures, in query order. */
export async function duckFigures(connection: DuckDBConnection, queries: ProductQuery[]): Promise<FigureList> {
  const out: FigureList = [];
  for (const q of queries) out.push(...q.figures((await connection.runAndReadAll(q.sql)).getRowsJS()));
  return out;
}

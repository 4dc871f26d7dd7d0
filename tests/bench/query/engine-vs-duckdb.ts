/**
 * The query engine against DuckDB on the Traffic view: the same events, the
 * same six queries, in the same process. Results are checked to agree before
 * anything is timed; then each system runs the whole set after warm-ups and
 * the figure is the median of the runs. DuckDB runs natively with 2 threads
 * and its times stop once results are materialized in its own chunks (not
 * converted to JavaScript values); the engine runs in one JavaScript thread
 * and its times include building its result arrays.
 */
import type { Figure } from "../table.ts";
import { runQueries, runQuery } from "../../../shared/engine/index.ts";
import type { QueryResult } from "../../../shared/query.ts";
import { trafficData } from "./data.ts";
import { loadDuckDB, trafficSql } from "./duckdb-load.ts";
import { trafficQueries } from "./traffic-queries.ts";
import { median } from "../stats.ts";

const WARMUPS = 3;
const RUNS = 11;
/** Percentiles and rates are computed by the same formulas on both sides; this only absorbs last-bit differences. */
const TOLERANCE = 1e-9;

/** Times the Traffic queries over `n` events on the engine and on DuckDB; throws if their results disagree. */
export async function benchQueries(n = 1_000_000): Promise<Figure[]> {
  const data = trafficData(n);
  const named = trafficQueries(data.range);
  const queries = named.map((q) => q.query);
  const sql = trafficSql(data.range);
  const duck = await loadDuckDB(data);
  try {
    const conn = duck.connection;
    const results = runQueries(data.blocks, data.dict, queries);
    // agree() throws on the first mismatch: timing systems that disagree would mean nothing
    for (let i = 0; i < named.length; i++) agree(named[i]!.name, results[i]!, (await conn.runAndReadAll(sql[i]!)).getRowsJS());

    const engineSet = () => void runQueries(data.blocks, data.dict, queries);
    const duckSet = async () => {
      for (const s of sql) await conn.runAndReadAll(s);
    };
    for (let w = 0; w < WARMUPS; w++) {
      engineSet();
      await duckSet();
    }
    const engineTimes: number[] = [];
    const duckTimes: number[] = [];
    const engineEach: number[][] = named.map(() => []);
    const duckEach: number[][] = named.map(() => []);
    // interleaved, so that a busy moment on the machine hits both alike
    for (let r = 0; r < RUNS; r++) {
      engineTimes.push(time(engineSet));
      duckTimes.push(await timeAsync(duckSet));
      for (let i = 0; i < named.length; i++) {
        engineEach[i]!.push(time(() => void runQuery(data.blocks, data.dict, queries[i]!)));
        duckEach[i]!.push(await timeAsync(() => conn.runAndReadAll(sql[i]!)));
      }
    }

    const size = n === 1_000_000 ? "1M" : n.toLocaleString("en-US");
    const engineMs = median(engineTimes);
    const duckMs = median(duckTimes);
    const rows: Figure[] = [
      { figure: `Traffic queries, ${size} events: engine (Node) vs DuckDB, median`, value: engineMs, unit: "ms", baseline: duckMs, maxRatio: 1.0, digits: 1 },
    ];
    for (let i = 0; i < named.length; i++) {
      const e = median(engineEach[i]!);
      const d = median(duckEach[i]!);
      rows.push({ figure: `  ${named[i]!.name} (alone)`, value: e, unit: "ms", baseline: d, digits: 1 });
    }
    return rows;
  } finally {
    duck.close();
  }
}

/**
 * Throws unless the engine's result and DuckDB's rows say the same, row for
 * row; returns the largest relative difference between two numbers (0 when
 * every number is equal).
 */
function agree(name: string, result: QueryResult, rows: unknown[][]): number {
  let largest = 0;
  const fail = (what: string): never => {
    throw new Error(`engine and DuckDB disagree on "${name}": ${what}`);
  };
  if (result.rows !== rows.length) fail(`${result.rows} rows vs ${rows.length}`);
  for (let r = 0; r < rows.length; r++) {
    // DuckDB returns quantile lists as arrays: spread them into columns
    const cells = rows[r]!.flatMap((c) => (Array.isArray(c) ? c : [c]));
    const expected = [
      ...result.keys.map((k) => (k.kind === "time" ? k.values[r]! : k.values[r]!)),
      ...result.measures.map((m) => m[r]!),
    ];
    if (cells.length !== expected.length) fail(`row ${r} has ${cells.length} columns vs ${expected.length}`);
    for (let c = 0; c < cells.length; c++) {
      const mine = expected[c]!;
      const theirs = cells[c];
      if (typeof mine === "string") {
        if (mine !== String(theirs)) fail(`row ${r} column ${c}: ${mine} vs ${String(theirs)}`);
        continue;
      }
      const other = typeof theirs === "bigint" ? Number(theirs) : (theirs as number);
      if (mine === other) continue;
      const difference = Math.abs(mine - other) / Math.max(Math.abs(mine), Math.abs(other));
      if (!(difference <= TOLERANCE)) fail(`row ${r} column ${c}: ${mine} vs ${other}`);
      largest = Math.max(largest, difference);
    }
  }
  return largest;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}


/**
 * Loads the bench's traffic into an in-process DuckDB, and the Traffic
 * queries in SQL. Strings go in as ENUMs, DuckDB's own dictionary encoding,
 * so both systems compare small codes rather than text; times as BIGINT epoch
 * ms, so buckets are integer maths as in the engine.
 */
import { BIGINT, DOUBLE, DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR, type DuckDBConnection } from "@duckdb/node-api";
import type { TrafficData } from "./data.ts";

const CHUNK = 2_048; // DuckDB's vector size: the most rows one data chunk holds
const STRINGS = ["type", "name", "method", "endpoint", "protocol", "env"] as const;

/** An open in-process DuckDB holding the data as table `events`. */
export interface Duck {
  connection: DuckDBConnection;
  close(): void;
}

/** A DuckDB with `threads` worker threads, loaded with `data` (not timed: loading is not what is compared). */
export async function loadDuckDB(data: TrafficData, threads = 2): Promise<Duck> {
  const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE raw (ts BIGINT, type VARCHAR, name VARCHAR, method VARCHAR, endpoint VARCHAR, protocol VARCHAR, env VARCHAR, status INTEGER, latency_ms DOUBLE)",
  );
  const appender = await connection.createAppender("raw");
  const types = [BIGINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER, DOUBLE];
  const c = data.columns;
  const text = data.dict.values;
  const n = c.ts.length;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const rows = Array.from({ length: end - start }, (_, i) => start + i);
    const chunk = DuckDBDataChunk.create(types, rows.length);
    chunk.setColumns([
      rows.map((i) => BigInt(c.ts[i]!)),
      rows.map(() => "request"),
      rows.map((i) => text[c.name[i]!]!),
      rows.map((i) => text[c.method[i]!]!),
      rows.map((i) => text[c.endpoint[i]!]!),
      rows.map((i) => text[c.protocol[i]!]!),
      rows.map((i) => text[c.env[i]!]!),
      rows.map((i) => c.status[i]!),
      rows.map((i) => c.latency_ms[i]!),
    ]);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  for (const col of STRINGS) await connection.run(`CREATE TYPE ${col}_t AS ENUM (SELECT DISTINCT ${col} FROM raw WHERE ${col} IS NOT NULL ORDER BY 1)`);
  await connection.run(
    `CREATE TABLE events AS SELECT ts, ${STRINGS.map((col) => `${col}::${col}_t AS ${col}`).join(", ")}, status, latency_ms FROM raw`,
  );
  await connection.run("DROP TABLE raw");
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The six Traffic queries in SQL, in the order of trafficQueries, each giving the engine's columns: keys, then measures. */
export function trafficSql(range: { from: number; to: number }): string[] {
  const where = `ts >= ${range.from} AND ts < ${range.to} AND type = 'request'`;
  const hour = "ts // 3600000 * 3600000";
  return [
    `SELECT count(*), count_if(status >= 500) / count(*), quantile_cont(latency_ms, [0.5, 0.95, 0.99]) FROM events WHERE ${where}`,
    `SELECT ${hour} AS hour, protocol, count(*) FROM events WHERE ${where} GROUP BY hour, protocol ORDER BY hour, protocol::VARCHAR`,
    `SELECT ${hour} AS hour, quantile_cont(latency_ms, [0.5, 0.95, 0.99]) FROM events WHERE ${where} GROUP BY hour ORDER BY hour`,
    `SELECT status, count(*) FROM events WHERE ${where} AND status >= 400 GROUP BY status ORDER BY status::VARCHAR`,
    `SELECT endpoint, count(*) AS n, count_if(status >= 500) / count(*), quantile_cont(latency_ms, 0.95) FROM events WHERE ${where}
       GROUP BY endpoint ORDER BY n DESC, endpoint::VARCHAR LIMIT 20`,
    `SELECT (ts // 3600000 + 72) % 168 AS how, count(*) FROM events WHERE ${where} GROUP BY how ORDER BY how`,
  ];
}

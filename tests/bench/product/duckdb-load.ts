/**
 * Loads the Product bench's events into an in-process DuckDB as table
 * `events`. Strings go in as ENUMs, DuckDB's own dictionary encoding, so both
 * systems compare small codes rather than text (the Traffic bench does the
 * same); times as BIGINT epoch ms; `converted` as a BOOLEAN. `user` is the
 * exception: it goes in as its dictionary code, an INTEGER, because DuckDB
 * 1.5's ASOF join keyed on a 100,000-value ENUM runs some 15x slower than on
 * integers, and a baseline slowed by its encoding would flatter the engine.
 */
import { BIGINT, BOOLEAN, DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR, type DuckDBConnection } from "@duckdb/node-api";
import { ABSENT, type Dictionary } from "../../../shared/columns.ts";
import type { ProductColumns } from "./columns.ts";

const CHUNK = 2_048; // DuckDB's vector size: the most rows one data chunk holds
const STRINGS = ["type", "name", "feature", "experiment", "variant"] as const;

/** An open in-process DuckDB holding the events as table `events`. */
export interface Duck {
  connection: DuckDBConnection;
  close(): void;
}

/** A DuckDB with `threads` worker threads, loaded with the rows (not timed: loading is not what is compared). */
export async function loadDuckDB(columns: ProductColumns, dict: Dictionary, threads = 2): Promise<Duck> {
  const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
  const connection = await instance.connect();
  await connection.run(
    `CREATE TABLE raw (ts BIGINT, type VARCHAR, name VARCHAR, "user" INTEGER, feature VARCHAR, experiment VARCHAR, variant VARCHAR, converted BOOLEAN)`,
  );
  const appender = await connection.createAppender("raw");
  const types = [BIGINT, VARCHAR, VARCHAR, INTEGER, VARCHAR, VARCHAR, VARCHAR, BOOLEAN];
  const c = columns;
  const text = (code: number) => (code === ABSENT ? null : dict.values[code]!);
  const n = c.ts.length;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const rows = Array.from({ length: end - start }, (_, i) => start + i);
    const chunk = DuckDBDataChunk.create(types, rows.length);
    chunk.setColumns([
      rows.map((i) => BigInt(c.ts[i]!)),
      rows.map(() => "track"),
      rows.map((i) => text(c.name[i]!)),
      rows.map((i) => (c.user[i] === ABSENT ? null : c.user[i]!)),
      rows.map((i) => text(c.feature[i]!)),
      rows.map((i) => text(c.experiment[i]!)),
      rows.map((i) => text(c.variant[i]!)),
      rows.map((i) => (c.converted[i] === ABSENT ? null : text(c.converted[i]!) === "true")),
    ]);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  for (const col of STRINGS) await connection.run(`CREATE TYPE ${col}_t AS ENUM (SELECT DISTINCT "${col}" FROM raw WHERE "${col}" IS NOT NULL ORDER BY 1)`);
  await connection.run(`CREATE TABLE events AS SELECT ts, ${STRINGS.map((col) => `"${col}"::${col}_t AS "${col}"`).join(", ")}, "user", converted FROM raw`);
  await connection.run("DROP TABLE raw");
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

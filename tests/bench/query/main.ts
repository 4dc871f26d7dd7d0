/**
 * `npx tsx tests/bench/query/main.ts [events]`: runs the query bench alone
 * and prints its table.
 */
import { formatTable } from "../table.ts";
import { benchQueries } from "./engine-vs-duckdb.ts";

const n = Number(process.argv[2] ?? 1_000_000);
console.log(formatTable([{ title: "query engine vs DuckDB", figures: await benchQueries(n) }]));

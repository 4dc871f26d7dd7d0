/**
 * `npx tsx tests/bench/query/main.ts [events]`: runs the query bench alone
 * and prints its rows.
 */
import { benchQueries } from "./engine-vs-duckdb.ts";

const n = Number(process.argv[2] ?? 1_000_000);
const rows = await benchQueries(n);
const width = Math.max(...rows.map((r) => r.figure.length));
for (const r of rows) {
  const value = r.unit === "ms" ? r.value.toFixed(1) : r.value.toPrecision(3);
  const parts = [r.figure.padEnd(width), `${value.padStart(8)} ${r.unit}`];
  if (r.baseline !== undefined) parts.push(`DuckDB ${r.baseline.toFixed(1).padStart(7)} ${r.unit}`);
  if (r.ratio !== undefined) parts.push(`${r.ratio.toFixed(2)}x`);
  if (r.target !== undefined) parts.push(`target ${r.target} ${r.pass ? "PASS" : "MISS"}`);
  console.log(parts.join("  "));
}

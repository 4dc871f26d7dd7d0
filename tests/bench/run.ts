/**
 * `npm run bench`: runs every bench section and prints one table. Each figure
 * is compared with a reference doing the same work in the same run (a bare
 * insert, DuckDB), so the targets are ratios that hold on any machine. Exits 1 when a section fails or misses a target.
 * To add a bench, write it in its own file and list it in SECTIONS.
 */
import { coldOpenBench } from "./browser/cold-open.ts";
import { ingestBench } from "./ingest.ts";
import { liveBench } from "./live.ts";
import { benchProduct } from "./product/engine-vs-duckdb.ts";
import { benchQueries } from "./query/engine-vs-duckdb.ts";
import { formatTable, passes, type Figure, type Section } from "./table.ts";

const SECTIONS: Section[] = [
  { title: "ingestion: product vs bare insert", run: ingestBench },
  { title: "live fan-out through wrangler dev", run: liveBench },
  { title: "query engine vs DuckDB", run: () => benchQueries() },
  { title: "Product view vs DuckDB", run: () => benchProduct() },
  { title: "app: cold open in Chromium", run: coldOpenBench },
];

const results: { title: string; figures: Figure[] }[] = [];
let failures = 0;
const started = performance.now();
for (const section of SECTIONS) {
  process.stderr.write(`${section.title}\n`);
  try {
    results.push({ title: section.title, figures: await section.run() });
  } catch (e) {
    failures++;
    process.stderr.write(`  FAILED: ${(e as Error).stack ?? e}\n`);
  }
}

console.log(`\n${formatTable(results)}\n`);
const misses = results.flatMap((r) => r.figures).filter((f) => !passes(f)).length;
console.log(`${misses} target(s) missed, ${failures} section(s) failed, ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = misses > 0 || failures > 0 ? 1 : 0;

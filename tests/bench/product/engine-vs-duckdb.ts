/**
 * The Product view's computation against DuckDB: the same events, the same
 * spec, in the same process. The two answers are checked to agree figure by
 * figure before anything is timed; then each side computes the whole view
 * after warm-ups, interleaved, and the figure is the median of the runs.
 * DuckDB runs natively with 2 threads and its times stop once results are
 * materialized in its own chunks; the engine runs in one JavaScript thread and
 * its times include building the report.
 */
import { productReport } from "../../../shared/product/index.ts";
import { median, notes } from "../stats.ts";
import type { Figure } from "../table.ts";
import { productData } from "./data.ts";
import { loadDuckDB } from "./duckdb-load.ts";
import { duckFigures, productSql } from "./duckdb-queries.ts";
import { agree, reportFigures } from "./figures.ts";
import { productSpec } from "./spec.ts";

const WARMUPS = 2;
const RUNS = 9;

/** Times the Product view over `n` track events from `users` users on the engine and on DuckDB; throws if their answers differ. */
export async function benchProduct(n = 1_000_000, users = 100_000): Promise<Figure[]> {
  const note = notes("product");
  const data = productData(n, users);
  const spec = productSpec(data.range);
  const queries = productSql(spec);
  const duck = await loadDuckDB(data.columns, data.dict);
  try {
    const conn = duck.connection;
    // agree() throws on the first figure that differs: timing two different answers would mean nothing
    const checked = agree(reportFigures(productReport(data.blocks, data.dict, spec), spec), await duckFigures(conn, queries));
    note(`${checked} figures agree`);

    const engineSet = () => void productReport(data.blocks, data.dict, spec);
    const duckEach: number[][] = queries.map(() => []);
    const duckSet = async () => {
      for (let i = 0; i < queries.length; i++) duckEach[i]!.push(await timeAsync(() => conn.runAndReadAll(queries[i]!.sql)));
    };
    for (let w = 0; w < WARMUPS; w++) {
      engineSet();
      await duckSet();
    }
    duckEach.forEach((times) => (times.length = 0));
    const engineTimes: number[] = [];
    const duckTimes: number[] = [];
    // interleaved, so that a busy moment on the machine hits both alike
    for (let r = 0; r < RUNS; r++) {
      engineTimes.push(time(engineSet));
      duckTimes.push(await timeAsync(duckSet));
    }
    // where DuckDB's time goes, for whoever has to speed the engine up
    note(`DuckDB medians: ${queries.map((q, i) => `${q.name} ${median(duckEach[i]!).toFixed(0)} ms`).join(", ")}`);

    const size = n === 1_000_000 ? "1M" : n.toLocaleString("en-US");
    return [
      {
        figure: `Product view, ${size} track events (60 days, 30-day range): engine (Node) vs DuckDB, median`,
        value: median(engineTimes),
        unit: "ms",
        baseline: median(duckTimes),
        maxRatio: 1.0,
        digits: 1,
      },
    ];
  } finally {
    duck.close();
  }
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

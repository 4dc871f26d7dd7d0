/**
 * `npx tsx tests/bench/product/check.ts`: holds both the Product SQL and the
 * engine's productReport to the hand-made case's figures, worked out on
 * paper. When the bench finds the two disagreeing on its million events, this
 * says which side strays from the rules.
 */
import { newDictionary } from "../../../shared/columns.ts";
import { productReport } from "../../../shared/product/index.ts";
import { rowsToColumns, toBlocks } from "./columns.ts";
import { loadDuckDB } from "./duckdb-load.ts";
import { duckFigures, productSql } from "./duckdb-queries.ts";
import { agree, reportFigures } from "./figures.ts";
import { HAND_FIGURES, HAND_ROWS, HAND_SPEC } from "./hand-case.ts";

const dict = newDictionary();
const columns = rowsToColumns(HAND_ROWS, dict);
const HAND = "the hand-worked figures";
const duck = await loadDuckDB(columns, dict, 1);
let failed = false;
try {
  const n = agree(HAND_FIGURES, await duckFigures(duck.connection, productSql(HAND_SPEC)), [HAND, "DuckDB"]);
  console.log(`DuckDB: all ${n} figures as worked out`);
} catch (e) {
  failed = true;
  console.log(`DuckDB: ${(e as Error).message}`);
} finally {
  duck.close();
}
// small blocks, so the case also spans several of them
for (const size of [4, 1_000]) {
  try {
    const report = productReport(toBlocks(columns, size), dict, HAND_SPEC);
    const n = agree(HAND_FIGURES, reportFigures(report, HAND_SPEC), [HAND, "the engine"]);
    console.log(`engine (blocks of ${size}): all ${n} figures as worked out`);
  } catch (e) {
    failed = true;
    console.log(`engine (blocks of ${size}): ${(e as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;

/**
 * `npx tsx tests/bench/product/main.ts [events] [users]`: runs the Product
 * bench alone and prints its table.
 */
import { formatTable } from "../table.ts";
import { benchProduct } from "./engine-vs-duckdb.ts";

const n = Number(process.argv[2] ?? 1_000_000);
const users = Number(process.argv[3] ?? 100_000);
console.log(formatTable([{ title: "Product view vs DuckDB", figures: await benchProduct(n, users) }]));

/**
 * `npx tsx tests/bench/browser/main.ts`: runs the cold-open bench alone and
 * prints its table.
 */
import { formatTable } from "../table.ts";
import { coldOpenBench } from "./cold-open.ts";

console.log(formatTable([{ title: "app: cold open in Chromium", figures: await coldOpenBench() }]));

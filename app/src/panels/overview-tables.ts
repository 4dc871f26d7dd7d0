/**
 * The Overview's numbers as export rows: one row per headline, so the file
 * reads like the cards do.
 */
import type { ExportTable } from "./export-table.ts";
import type { Summary } from "./traffic.ts";

export function overviewTable(traffic: Summary, rps: number, types: Array<{ type: string; count: number }>): ExportTable {
  return {
    header: ["metric", "value"],
    rows: [
      ["requests", traffic.requests],
      ["error_rate", traffic.errorRate],
      ["p95_ms", traffic.p95],
      ["requests_per_second", rps],
      ...types.map((t): [string, number] => [`events_${t.type}`, t.count]),
    ],
  };
}

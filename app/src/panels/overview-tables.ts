/**
 * The Overview's numbers as export rows: one row per headline, so the file
 * reads like the cards do. The Coverage and Chaos rows come from the card
 * groups' own data (their sections hand them up), named as in those views'
 * exports.
 */
import type { CoverageHeadlines } from "../../../shared/coverage/headlines.ts";
import type { ChaosSummary, Peak } from "./chaos.ts";
import type { ImpactData } from "./chaos-impact.ts";
import type { ExportTable } from "./export-table.ts";
import type { Summary } from "./traffic.ts";

/** One headline: metric and value. */
export type OverviewRow = [string, string | number | null];

export function overviewTable(traffic: Summary, rps: number, types: Array<{ type: string; count: number }>, extra: readonly OverviewRow[] = []): ExportTable {
  return {
    header: ["metric", "value"],
    rows: [
      ["requests", traffic.requests],
      ["error_rate", traffic.errorRate],
      ["p95_ms", traffic.p95],
      ["requests_per_second", rps],
      ...extra,
      ...types.map((t): OverviewRow => [`events_${t.type}`, t.count]),
    ],
  };
}

/** The Coverage & risk cards' rows. */
export function coverageCardRows(h: CoverageHeadlines): OverviewRow[] {
  return [
    ["flaky_tests", h.flaky.flaky],
    ["tests_seen", h.flaky.testsSeen],
    ["mocks", h.drift.mocks],
    ["drifting_mocks", h.drift.drifting],
    ["drift_percent", h.drift.percent],
  ];
}

/** The Chaos & alerts cards' rows; the impact score is null until measured (or without a span to measure). */
export function chaosCardRows(d: { summary: ChaosSummary; peak: Peak | null }, impact: ImpactData | undefined): OverviewRow[] {
  return [
    ["faults", d.summary.faults],
    ["fault_kinds", d.summary.kinds],
    ["affected_endpoints", d.summary.endpoints],
    ["peak_at", d.peak ? new Date(d.peak.at).toISOString() : null],
    ["peak_faults", d.peak?.faults ?? 0],
    ["impact_score", impact?.impact.score ?? null],
  ];
}

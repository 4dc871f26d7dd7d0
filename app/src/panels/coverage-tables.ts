/**
 * The Coverage & risk report as what each panel exports (CSV/JSON) and the
 * shapes its charts draw. Pure: the report is built by shared/coverage from
 * query results; these only lay it out, one table per panel.
 */
import type { CoverageReport, DriftTrend, ScenarioHeatmap } from "../../../shared/coverage/index.ts";
import type { ExportTable } from "./export-table.ts";
import type { TimeSeries } from "./time-series.ts";

const iso = (t: number | null): string | null => (t === null || !Number.isFinite(t) ? null : new Date(t).toISOString());
/** Several codes or names in one cell, as they read in the table. */
const list = (items: readonly (string | number)[]): string => items.join(" ");

/** The headline cards' figures, one row. */
export function summaryTable(r: CoverageReport): ExportTable {
  return {
    header: [
      "coverage",
      "coverage_min",
      "documented_codes",
      "exercised_codes",
      "endpoints",
      "endpoints_under_threshold",
      "drift_percent",
      "drift_max_percent",
      "flaky_tests",
      "tests_seen",
    ],
    rows: [
      [
        r.overall.coverage,
        r.overall.minCoverage,
        r.overall.documented,
        r.overall.exercised,
        r.overall.endpoints,
        r.overall.underThreshold,
        r.drift.percent,
        r.drift.maxPercent,
        r.flaky.flaky,
        r.flaky.testsSeen,
      ],
    ],
  };
}

export function endpointCoverageTable(r: CoverageReport): ExportTable {
  return {
    header: ["method", "endpoint", "documented", "exercised", "missing", "coverage", "under_threshold", "tests", "ci_requests", "last_tested", "missing_scenarios", "undocumented_codes"],
    rows: r.endpoints.map((e) => [
      e.method,
      e.endpoint,
      list(e.documented),
      list(e.exercised),
      list(missingCodes(e)),
      e.coverage,
      e.underThreshold ? "yes" : "no",
      e.tests,
      e.ciRequests,
      iso(e.lastTested),
      list(e.missingScenarios),
      list(e.undocumentedCodes),
    ]),
  };
}

/** Documented codes not exercised; for an endpoint documenting none, nothing to name (coverage says whether it was hit). */
export function missingCodes(e: { documented: readonly number[]; exercised: readonly number[] }): number[] {
  return e.documented.filter((c) => !e.exercised.includes(c));
}

export function undocumentedTable(r: CoverageReport): ExportTable {
  return {
    header: ["method", "endpoint", "tests", "ci_requests", "codes"],
    rows: r.undocumented.map((u) => [u.method, u.endpoint, u.tests, u.ciRequests, list(u.codes)]),
  };
}

export function scenarioTable(r: CoverageReport): ExportTable {
  return {
    header: ["scenario", "declared", "uses", "last_used", "this_week", "previous_week", "trend", "direction"],
    rows: r.scenarios.map((s) => [s.scenario, s.declared ? "yes" : "no", s.count, iso(s.lastUsed), s.thisWeek, s.previousWeek, s.trend, s.direction]),
  };
}

/** The scenario × day heatmap, one row per (scenario, day). */
export function scenarioHeatmapTable(h: ScenarioHeatmap): ExportTable {
  const rows: ExportTable["rows"] = [];
  h.scenarios.forEach((s, i) => h.days.forEach((d, j) => rows.push([s, iso(d), h.counts[i]?.[j] ?? 0])));
  return { header: ["scenario", "day", "uses"], rows };
}

export function personaTable(r: CoverageReport): ExportTable {
  return {
    header: ["persona", "declared", "hits", "tests", "ci_requests", "last_hit", "ci_systems"],
    rows: r.personas.personas.map((p) => [p.persona, p.declared ? "yes" : "no", p.hits, p.tests, p.ciRequests, iso(p.lastHit), list(p.ciSystems)]),
  };
}

export function stalenessTable(r: CoverageReport): ExportTable {
  return {
    header: ["mock", "method", "endpoint", "reality_level", "last_changed", "days_stale", "stale", "drift", "breaking_changes", "last_seen", "recommendation"],
    rows: r.staleness.map((m) => [m.mock, m.method, m.endpoint, m.level, iso(m.lastChanged), m.daysStale, m.stale ? "yes" : "no", m.drift, m.breakingChanges, iso(m.lastSeen), m.recommendation]),
  };
}

/** The drift trend, one row per day, after the summary's figures. */
export function driftTable(r: CoverageReport): ExportTable {
  const t = r.drift.trend;
  return {
    header: ["day", "mocks", "drifting", "percent", "drift_max_percent"],
    rows: t.days.map((d, i) => [iso(d), t.mocks[i] ?? 0, t.drifting[i] ?? 0, t.percent[i] ?? 0, r.drift.maxPercent]),
  };
}

export function flakyTable(r: CoverageReport): ExportTable {
  return {
    header: ["suite", "test", "runs", "failures", "commits", "flaky_commits", "flake_rate"],
    rows: r.flaky.tests.map((f) => [f.suite, f.name, f.runs, f.failures, f.commits, f.flakyCommits, f.flakeRate]),
  };
}

/** The drift trend for the chart: percent drifting per day, with the maximum as a second line. */
export function driftSeries(trend: DriftTrend, maxPercent: number): TimeSeries {
  return {
    xs: trend.days.map((d) => d / 1000),
    series: [
      { label: "drifting %", values: trend.percent.slice() },
      { label: "maximum %", values: trend.days.map(() => maxPercent) },
    ],
  };
}

/**
 * The heatmap's rows, at most `maxRows` (the most used scenarios come first in
 * the report's usage list), and its days as column labels.
 */
export function heatmapGrid(h: ScenarioHeatmap, order: readonly string[], maxRows = 30, dayLabel: (t: number) => string): { columns: string[]; rows: Array<{ label: string; values: number[] }> } {
  const index = new Map(h.scenarios.map((s, i) => [s, i]));
  const chosen = order.filter((s) => index.has(s)).slice(0, maxRows);
  return {
    columns: h.days.map(dayLabel),
    rows: chosen.map((s) => ({ label: s, values: h.counts[index.get(s)!] ?? h.days.map(() => 0) })),
  };
}

/**
 * Coverage & risk (DESIGN.md, Views 3): engine queries over test, request and
 * mock events, and the pure report built from their results. The app runs
 * `coverageQueries` in its aggregation worker and renders
 * `buildCoverageReport`; the CLI calls `coverageFromEvents`.
 */
export { coverageQueries, COVERAGE_QUERY_NAMES, type CoverageQueryName, type CoverageQueryOptions } from "./queries.ts";
export { buildCoverageReport, type CoverageInput, type CoverageReport } from "./report.ts";
export { coverageFromEvents } from "./from-events.ts";
export { buildCoverageHeadlines, HEADLINE_QUERY_NAMES, type CoverageHeadlines } from "./headlines.ts";
export { resolveThresholds, DEFAULT_THRESHOLDS, type CoverageThresholds } from "./thresholds.ts";
export type { CatalogEntry } from "./catalog.ts";
export type { EndpointCoverage, OverallCoverage, UndocumentedEndpoint } from "./endpoints.ts";
export type { ScenarioUsage, ScenarioHeatmap, TrendDirection } from "./scenarios.ts";
export type { PersonaHits, PersonaSummary } from "./personas.ts";
export { RECOMMENDATIONS, type MockStaleness, type StalenessAdvice } from "./staleness.ts";
export type { DriftSummary, DriftTrend } from "./drift.ts";
export type { FlakyTest, FlakySummary } from "./flaky.ts";

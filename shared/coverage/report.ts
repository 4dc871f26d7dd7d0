/**
 * The Coverage & risk report (DESIGN.md, Views 3): the coverage queries'
 * results and the workspace's config in, every figure of the view out. Pure
 * and small: it reads grouped results, never events.
 */
import type { QueryResult } from "../query.ts";
import type { CatalogEntry } from "./catalog.ts";
import { driftSummary, type DriftSummary } from "./drift.ts";
import { endpointCoverage, type EndpointCoverage, type OverallCoverage, type UndocumentedEndpoint } from "./endpoints.ts";
import { flakyTests, type FlakySummary } from "./flaky.ts";
import { mockHistories } from "./mock-states.ts";
import { personaHits, type PersonaSummary } from "./personas.ts";
import { nameResults } from "./results.ts";
import { scenarioUsage, type ScenarioHeatmap, type ScenarioUsage } from "./scenarios.ts";
import { mockStaleness, type MockStaleness } from "./staleness.ts";
import { resolveThresholds, type CoverageThresholds } from "./thresholds.ts";

/** The workspace's config and the moment the report is for. */
export interface CoverageInput {
  /** Config `endpoint_catalog`; absent: empty. */
  catalog?: readonly CatalogEntry[] | undefined;
  /** Config `personas`: declared personas. */
  personas?: readonly string[] | undefined;
  /** Config `scenarios`: declared scenarios. */
  scenarios?: readonly string[] | undefined;
  /** Config `thresholds` as stored (`coverage_min`, `stale_days`, `drift_max`, `high_drift`); absent keys take defaults. */
  thresholds?: Readonly<Record<string, number>> | undefined;
  /** Epoch ms: days stale and the scenario trend count to it. */
  now: number;
  /** The range the queries were made for (as given to coverageQueries): bounds the heatmap and drift trend days. */
  range?: { from: number; to: number } | undefined;
  /** The offset the queries were made for: days are local days. */
  utcOffsetMinutes?: number | undefined;
}

/** Every figure of the Coverage & risk view. */
export interface CoverageReport {
  thresholds: CoverageThresholds;
  overall: OverallCoverage;
  /** One per catalog endpoint, in catalog order. */
  endpoints: EndpointCoverage[];
  /** Endpoints tests or CI requests reached that the catalog lacks. */
  undocumented: UndocumentedEndpoint[];
  scenarios: ScenarioUsage[];
  heatmap: ScenarioHeatmap;
  /** Declared scenarios nothing used. */
  unusedScenarios: string[];
  personas: PersonaSummary;
  /** Most stale first. */
  staleness: MockStaleness[];
  drift: DriftSummary;
  flaky: FlakySummary;
}

/**
 * The report from the results of `coverageQueries(options)`, given in that
 * order; `input.range` and `input.utcOffsetMinutes` should be those options.
 *
 * @throws RangeError when the number of results does not match the queries.
 */
export function buildCoverageReport(results: readonly QueryResult[], input: CoverageInput): CoverageReport {
  const named = nameResults(results);
  const thresholds = resolveThresholds(input.thresholds);
  const offset = input.utcOffsetMinutes ?? 0;
  const declaredScenarios = input.scenarios ?? [];
  const { endpoints, undocumented, overall } = endpointCoverage(named, input.catalog ?? [], declaredScenarios, thresholds);
  const { scenarios, heatmap } = scenarioUsage(named, declaredScenarios, input.now, input.range, offset);
  const mocks = mockHistories(named);
  return {
    thresholds,
    overall,
    endpoints,
    undocumented,
    scenarios,
    heatmap,
    unusedScenarios: scenarios.filter((s) => s.unused).map((s) => s.scenario),
    personas: personaHits(named, input.personas ?? []),
    staleness: mockStaleness(mocks, input.now, thresholds),
    drift: driftSummary(mocks, thresholds, input.now, input.range, offset),
    flaky: flakyTests(named),
  };
}

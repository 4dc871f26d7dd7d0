// The Coverage & risk view's data, as the aggregation worker computes it: the
// coverage queries narrowed by the filter bar, run by the engine over a
// hand-computed workspace, the report built from their results, and each
// panel's export table; then the catalog import's reading of a document.
import { describe, expect, it } from "vitest";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import { buildCoverageHeadlines, buildCoverageReport, HEADLINE_QUERY_NAMES, type CoverageReport } from "../../shared/coverage/index.ts";
import { runQueries } from "../../shared/engine/index.ts";
import type { EventType, PropValue, StoredEvent } from "../../shared/event.ts";
import type { Filter } from "../../shared/query.ts";
import { barFilters, coverageInput, filteredCoverageQueries, type CoverageSettings } from "../../app/src/panels/coverage.ts";
import {
  driftSeries,
  driftTable,
  endpointCoverageTable,
  flakyTable,
  heatmapGrid,
  missingCodes,
  personaTable,
  scenarioHeatmapTable,
  scenarioTable,
  stalenessTable,
  summaryTable,
  undocumentedTable,
} from "../../app/src/panels/coverage-tables.ts";
import { parseFilters } from "../../app/src/routing/filter-state.ts";
import { catalogProblem, describeChange, documentedCodes, documentTooLarge, planImport, readCatalogDocument } from "../../app/src/views/coverage-catalog.ts";

const NOW = Date.parse("2026-11-23T12:00:00Z");
let seq = 0;
function ev(type: EventType, ts: string, name: string, props: Record<string, PropValue>): StoredEvent {
  seq++;
  return { seq, id: `e${seq}`, ts: Date.parse(ts), received_at: Date.parse(ts), type, name, props };
}

const CONFIG: CoverageSettings = {
  catalog: [
    { method: "GET", endpoint: "/users/{id}", responses: [200, 404] },
    { method: "POST", endpoint: "/users", responses: [201, 400] },
    { method: "DELETE", endpoint: "/users/{id}" },
  ],
  personas: ["admin", "guest", "auditor"],
  scenarios: ["happy", "missing"],
  thresholds: {},
};

// By hand: GET covers 200 and 404 (2/2); POST covers 400 through a CI request,
// its 201 only by a skipped test and a request outside CI (1/2); DELETE nothing (0/1).
// Overall 3 of 5 codes, 60%; POST and DELETE under the default 80%.
const EVENTS: StoredEvent[] = [
  ev("test", "2026-11-22T09:00:00Z", "gets a user", { suite: "users", method: "GET", endpoint: "/users/{id}", response: 200, status: "passed", scenario: "happy", persona: "admin", ci: "github", commit: "c1" }),
  ev("test", "2026-11-22T09:01:00Z", "404 for a missing user", { suite: "users", method: "GET", endpoint: "/users/{id}", response: 404, status: "passed", scenario: "missing", persona: "guest", ci: "github", commit: "c1" }),
  ev("test", "2026-11-22T09:02:00Z", "creates a user", { suite: "users", method: "POST", endpoint: "/users", response: 201, status: "skipped", ci: "github", commit: "c1" }),
  ev("request", "2026-11-21T10:00:00Z", "POST /users", { method: "POST", endpoint: "/users", status: 400, ci: "gitlab", run: "r9", persona: "admin", scenario: "happy" }),
  ev("request", "2026-11-21T10:05:00Z", "POST /users", { method: "POST", endpoint: "/users", status: 201 }),
  // flaky: failed, then passed on a retry of the same commit
  ev("test", "2026-11-22T09:03:00Z", "logs in", { suite: "auth", status: "failed", attempt: 1, commit: "c1", ci: "github" }),
  ev("test", "2026-11-22T09:04:00Z", "logs in", { suite: "auth", status: "passed", attempt: 2, commit: "c1", ci: "github" }),
  // a test of an endpoint the catalog lacks
  ev("test", "2026-11-22T09:05:00Z", "health", { suite: "ops", method: "GET", endpoint: "/health", response: 200, status: "passed", commit: "c1" }),
  // two mocks, one drifting well past high drift
  ev("mock", "2026-11-20T08:00:00Z", "GET /users/{id}", { method: "GET", endpoint: "/users/{id}", reality_level: 4, drift: 0.7, breaking_changes: 0 }),
  ev("mock", "2026-11-20T08:00:00Z", "POST /users", { method: "POST", endpoint: "/users", reality_level: 2, drift: 0, breaking_changes: 0 }),
];

function report(extra: Filter[] = [], range?: { from: number; to: number }): CoverageReport {
  const queries = filteredCoverageQueries(range, 0, extra);
  const dict = newDictionary();
  const results = runQueries([encodeBlock(EVENTS, dict)], dict, queries);
  return buildCoverageReport(results, coverageInput(CONFIG, NOW, range, 0, extra));
}

/** The Overview's coverage cards, as coverage-headlines-data.ts computes them: a few of the same queries, narrowed alike. */
function headlines(extra: Filter[] = [], range?: { from: number; to: number }) {
  const queries = filteredCoverageQueries(range, 0, extra, HEADLINE_QUERY_NAMES);
  const dict = newDictionary();
  return buildCoverageHeadlines(runQueries([encodeBlock(EVENTS, dict)], dict, queries), { now: NOW, range, utcOffsetMinutes: 0 });
}

const coverageOf = (r: CoverageReport) => r.endpoints.map((e) => [e.method, e.endpoint, e.exercised, e.coverage, e.underThreshold]);

describe("the Coverage report as the view computes it", () => {
  const r = report();

  it("gives endpoint coverage against the catalog, overall and per endpoint", () => {
    expect(coverageOf(r)).toEqual([
      ["GET", "/users/{id}", [200, 404], 1, false],
      ["POST", "/users", [400], 0.5, true],
      ["DELETE", "/users/{id}", [], 0, true],
    ]);
    expect(r.overall).toMatchObject({ endpoints: 3, documented: 5, exercised: 3, coverage: 0.6, minCoverage: 0.8, underThreshold: 2 });
  });

  it("exports the endpoint table with missing codes and the flag", () => {
    const t = endpointCoverageTable(r);
    const col = (name: string) => t.header.indexOf(name);
    expect(t.rows.map((row) => [row[col("method")], row[col("missing")], row[col("coverage")], row[col("under_threshold")], row[col("tests")]])).toEqual([
      ["GET", "", 1, "no", 2],
      ["POST", "201", 0.5, "yes", 0],
      ["DELETE", "", 0, "yes", 0],
    ]);
    expect(missingCodes({ documented: [200, 404, 500], exercised: [404] })).toEqual([200, 500]);
    expect(summaryTable(r).rows[0]!.slice(0, 6)).toEqual([0.6, 0.8, 5, 3, 3, 2]);
  });

  it("lists personas with their hits and the declared ones never hit", () => {
    expect(r.personas.neverHit).toEqual(["auditor"]);
    const t = personaTable(r);
    expect(t.rows.map((row) => [row[0], row[2], row[6]])).toEqual([
      ["admin", 2, "github gitlab"],
      ["guest", 1, "github"],
      ["auditor", 0, ""],
    ]);
  });

  it("finds the flaky test and its flake rate", () => {
    expect(flakyTable(r).rows).toEqual([["auth", "logs in", 2, 1, 1, 1, 1]]);
  });

  it("exports endpoints the catalog lacks, scenarios, staleness and the drift trend", () => {
    expect(undocumentedTable(r).rows).toEqual([["GET", "/health", 1, 0, "200"]]);
    const scenarios = scenarioTable(r);
    expect(scenarios.rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      ["happy", "yes", 2],
      ["missing", "yes", 1],
    ]);
    const stale = stalenessTable(r);
    const at = (name: string) => stale.header.indexOf(name);
    expect(stale.rows.map((row) => [row[at("endpoint")], row[at("reality_level")], row[at("days_stale")], row[at("drift")]])).toEqual([
      ["/users/{id}", 4, 3, 0.7],
      ["/users", 2, 3, 0],
    ]);
    expect(stale.rows.every((row) => typeof row[at("recommendation")] === "string" && row[at("recommendation")] !== "")).toBe(true);
    const drift = driftTable(r);
    expect(drift.header).toEqual(["day", "mocks", "drifting", "percent", "drift_max_percent"]);
    expect(drift.rows.at(-1)).toEqual(["2026-11-23T00:00:00.000Z", 2, 1, 50, 20]);
  });

  it("narrows every query by the filter bar: an endpoint (and the catalog with it), or a type", () => {
    const byEndpoint = report(barFilters(parseFilters(new URLSearchParams("endpoint=/users/{id}"))));
    // GET and DELETE /users/{id} stay; POST /users is out of the view, not uncovered: 2 of 3 codes
    expect(coverageOf(byEndpoint).map((e) => e[3])).toEqual([1, 0]);
    expect(byEndpoint.overall.coverage).toBeCloseTo(2 / 3, 12);
    expect(byEndpoint.drift.mocks).toBe(1);
    expect(byEndpoint.flaky.flaky).toBe(0);
    const requestsOnly = report(barFilters(parseFilters(new URLSearchParams("type=request"))));
    expect(requestsOnly.overall.exercised).toBe(1);
    expect(coverageOf(requestsOnly)[1]![2]).toEqual([400]);
    // tests carry no env, protocol or HTTP status: such filters would drop every test, so coverage ignores them
    expect(barFilters(parseFilters(new URLSearchParams("type=mock&env=prod&method=GET")))).toEqual([
      { dim: { prop: "method" }, in: ["GET"] },
      { dim: { field: "type" }, in: ["mock"] },
    ]);
    expect(report(barFilters(parseFilters(new URLSearchParams("env=prod"))))).toEqual(report());
  });

  it("leaves the queries as shared/coverage makes them without filters", () => {
    const plain = filteredCoverageQueries(undefined, 60, []);
    const narrowed = filteredCoverageQueries(undefined, 60, [{ dim: { prop: "env" }, in: ["ci"] }]);
    expect(narrowed).toHaveLength(plain.length);
    narrowed.forEach((q, i) => expect(q.filters).toEqual([...(plain[i]!.filters ?? []), { dim: { prop: "env" }, in: ["ci"] }]));
  });

  it("lays out the scenario heatmap in usage order, capped, and its export one row per day", () => {
    const range = { from: Date.parse("2026-11-21T00:00:00Z"), to: Date.parse("2026-11-23T00:00:00Z") };
    const ranged = report([], range);
    const grid = heatmapGrid(ranged.heatmap, ["missing", "happy"], 30, (t) => new Date(t).toISOString().slice(5, 10));
    expect(grid.columns).toEqual(["11-21", "11-22"]);
    expect(grid.rows).toEqual([
      { label: "missing", values: [0, 1] },
      { label: "happy", values: [1, 1] },
    ]);
    expect(heatmapGrid(ranged.heatmap, ["missing", "happy"], 1, String).rows.map((row) => row.label)).toEqual(["missing"]);
    expect(scenarioHeatmapTable(ranged.heatmap).rows).toContainEqual(["happy", "2026-11-21T00:00:00.000Z", 1]);
  });

  it("draws drift per day against the maximum", () => {
    expect(r.drift).toMatchObject({ mocks: 2, drifting: 1, percent: 50, highDrift: 1, maxPercent: 20, overThreshold: true });
    const s = driftSeries({ days: [Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 21)], mocks: [2, 2], drifting: [1, 2], percent: [50, 100] }, 20);
    expect(s.xs).toEqual([Date.UTC(2026, 10, 20) / 1000, Date.UTC(2026, 10, 21) / 1000]);
    expect(s.series).toEqual([
      { label: "drifting %", values: [50, 100] },
      { label: "maximum %", values: [20, 20] },
    ]);
  });
});

describe("the Overview's coverage cards", () => {
  const env: Filter[] = [{ dim: { prop: "suite" }, in: ["auth"] }];
  const range = { from: Date.parse("2026-11-21T00:00:00Z"), to: Date.parse("2026-11-23T00:00:00Z") };
  const cases: Array<[string, Filter[], { from: number; to: number } | undefined]> = [
    ["all time", [], undefined],
    ["a range", [], range],
    ["a prop filter", env, undefined],
    ["a type filter", barFilters(parseFilters(new URLSearchParams("type=mock"))), range],
  ];

  it.each(cases)("show the Coverage view's flaky tests and drift over %s", (_, extra, within) => {
    const full = report(extra, within);
    const cards = headlines(extra, within);
    expect(cards.flaky).toEqual(full.flaky);
    expect(cards.drift).toEqual(full.drift);
  });

  it("find the flaky test and the drifting mock of the fixture", () => {
    const cards = headlines();
    expect(cards.flaky).toMatchObject({ flaky: 1, testsSeen: 4 });
    expect(cards.drift).toMatchObject({ mocks: 2, drifting: 1, percent: 50 });
  });

  it("count as the report does without the workspace's thresholds, which only move the threshold comparisons", () => {
    const strict = buildCoverageReport(
      (() => {
        const dict = newDictionary();
        return runQueries([encodeBlock(EVENTS, dict)], dict, filteredCoverageQueries(undefined, 0, []));
      })(),
      coverageInput({ ...CONFIG, thresholds: { drift_max: 60, high_drift: 0.9 } }, NOW, undefined, 0),
    );
    const cards = headlines();
    expect([cards.drift.mocks, cards.drift.drifting, cards.drift.percent]).toEqual([strict.drift.mocks, strict.drift.drifting, strict.drift.percent]);
    expect(cards.flaky).toEqual(strict.flaky);
  });

  it("run 13 of the coverage queries, and refuse results of another set", () => {
    expect(filteredCoverageQueries(undefined, 0, [], HEADLINE_QUERY_NAMES)).toHaveLength(13);
    expect(() => buildCoverageHeadlines([], { now: NOW })).toThrow(RangeError);
  });
});

const OPENAPI_YAML = `openapi: 3.0.3
info:
  title: Users API
  version: "1"
paths:
  /users/{id}:
    get:
      responses:
        "200": { description: ok }
        "404": { description: missing }
    delete:
      responses:
        "204": { description: gone }
  /users:
    post:
      responses:
        "201": { description: created }
        default: { description: error }
`;

describe("reading a document for the catalog import", () => {
  it("previews the endpoints, documented codes, title and warnings", () => {
    const r = readCatalogDocument("users.yaml", OPENAPI_YAML);
    if (!r.ok) throw new Error(r.problem);
    expect(r.preview.entries).toEqual([
      { method: "GET", endpoint: "/users/{id}", responses: [200, 404] },
      { method: "DELETE", endpoint: "/users/{id}", responses: [204] },
      { method: "POST", endpoint: "/users", responses: [201] },
    ]);
    expect(r.preview).toMatchObject({ file: "users.yaml", title: "Users API", codes: 4 });
    expect(r.preview.warnings.join(" ")).toMatch(/default/);
  });

  it("says why a document cannot be imported, naming the file", () => {
    const notOpenApi = readCatalogDocument("notes.json", '{"swagger": "2.0", "paths": {}}');
    expect(notOpenApi).toMatchObject({ ok: false });
    expect(!notOpenApi.ok && notOpenApi.problem).toMatch(/^notes\.json is not an OpenAPI 3 document/);
    const broken = readCatalogDocument("broken.json", '{"openapi": "3.0.0",\n  "paths": }');
    expect(!broken.ok && broken.problem).toMatch(/line 2/);
    const none = readCatalogDocument("empty.yaml", "openapi: 3.1.0\ninfo: { title: x, version: '1' }\npaths: {}\n");
    expect(!none.ok && none.problem).toMatch(/declares no endpoints/);
    expect(documentTooLarge("big.yaml", 6 * 1024 * 1024)).toMatch(/^big\.yaml is 6291456 bytes/);
    expect(documentTooLarge("small.yaml", 1000)).toBeNull();
  });

  it("names the endpoint the config schema refuses, and counts codes as coverage does", () => {
    expect(catalogProblem([{ method: "GET", endpoint: "/a", responses: [200] }])).toBeNull();
    expect(catalogProblem([{ method: "GET", endpoint: "/a" }, { method: "GET", endpoint: "/b", responses: [42] }])).toBe("endpoint 2 (GET /b), responses.0: must be a status code");
    const many = Array.from({ length: 2001 }, (_, i) => ({ method: "GET", endpoint: `/e${i}` }));
    expect(catalogProblem(many)).toMatch(/at most 2000 endpoints/);
    expect(documentedCodes([{ method: "GET", endpoint: "/a", responses: [200, 404] }, { method: "GET", endpoint: "/b" }])).toBe(3);
  });

  it("plans an import onto the stored catalog, merged or replacing, and words the change", () => {
    const stored = [
      { method: "GET", endpoint: "/a", responses: [200] },
      { method: "GET", endpoint: "/b" },
    ];
    const doc = [
      { method: "GET", endpoint: "/a", responses: [200, 404] },
      { method: "POST", endpoint: "/c", responses: [201] },
    ];
    const merged = planImport(stored, doc, false);
    expect(merged.catalog.map((e) => `${e.method} ${e.endpoint}`)).toEqual(["GET /a", "GET /b", "POST /c"]);
    expect(describeChange(merged.change)).toBe("1 added, 1 changed");
    expect(merged.problem).toBeNull();
    const replaced = planImport(stored, doc, true);
    expect(replaced.catalog).toEqual(doc);
    expect(describeChange(replaced.change)).toBe("1 added, 1 changed, 1 removed");
    expect(describeChange(planImport(doc, doc, false).change)).toBe("no change");
    const full = Array.from({ length: 2000 }, (_, i) => ({ method: "GET", endpoint: `/e${i}` }));
    expect(planImport(full, doc, false).problem).toMatch(/^the catalog after the import cannot be stored: .*at most 2000 endpoints/);
    expect(planImport(full, doc, true).problem).toBeNull();
  });
});

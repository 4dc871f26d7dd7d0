// Endpoint coverage on a hand-computed workspace: every expected number is worked out in the comments.
import { describe, expect, it } from "vitest";
import { coverageFromEvents, type CatalogEntry } from "../../../shared/coverage/index.ts";
import { request, test } from "./fixtures.ts";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const CATALOG: CatalogEntry[] = [
  { method: "GET", endpoint: "/users", responses: [200, 404] },
  { method: "POST", endpoint: "/users", responses: [201, 400, 409] },
  { method: "GET", endpoint: "/users/{id}", responses: [200, 404] },
  { method: "DELETE", endpoint: "/users/{id}" },
  { method: "GET", endpoint: "/health", responses: [] },
];

const EVENTS = [
  // GET /users: 200 by a test; 404 only by a skipped test (does not count); 500 by a CI request (not documented)
  test("2026-11-18T09:00:00Z", { method: "GET", endpoint: "/users", response: 200, status: "passed", scenario: "happy" }),
  test("2026-11-20T10:00:00Z", { method: "GET", endpoint: "/users", response: 404, status: "skipped", scenario: "empty" }),
  request("2026-11-20T10:00:00Z", { method: "GET", endpoint: "/users", status: 500, ci: "github" }),
  // a request outside CI exercises nothing, whatever it hit
  request("2026-11-20T10:00:00Z", { method: "GET", endpoint: "/users", status: 404, scenario: "empty" }),
  // POST /users: 201 by a failing test (it ran), 400 by a test naming the method in lower case, 409 by a CI request
  test("2026-11-19T10:00:00Z", { method: "POST", endpoint: "/users", response: 201, status: "failed", scenario: "happy" }),
  test("2026-11-19T11:00:00Z", { method: "post", endpoint: "/users", response: 400, status: "passed" }),
  request("2026-11-19T12:00:00Z", { method: "POST", endpoint: "/users", status: 409, ci: "gitlab", scenario: "error" }),
  // GET /users/{id}: 200 only outside CI (no), 404 by a request with a run but no ci (yes)
  request("2026-11-19T12:00:00Z", { method: "GET", endpoint: "/users/{id}", status: 200 }),
  request("2026-11-19T12:00:00Z", { method: "GET", endpoint: "/users/{id}", status: 404, run: "77" }),
  // DELETE /users/{id} documents no codes: one test reaching it covers it
  test("2026-11-21T08:00:00Z", { method: "DELETE", endpoint: "/users/{id}", status: "passed" }),
  // not in the catalog
  test("2026-11-21T08:00:00Z", { method: "GET", endpoint: "/orders", response: 200, status: "passed" }),
  test("2026-11-21T08:00:00Z", { method: "GET", endpoint: "/orders", response: 200, status: "error" }),
];

const report = (thresholds?: Record<string, number>, utcOffsetMinutes?: number) =>
  coverageFromEvents(EVENTS, { catalog: CATALOG, personas: [], scenarios: ["happy", "empty", "error"], thresholds, now: NOW, utcOffsetMinutes });

describe("endpoint coverage", () => {
  const r = report();
  const at = (method: string, endpoint: string) => r.endpoints.find((e) => e.method === method && e.endpoint === endpoint)!;

  it("counts documented codes exercised by tests that ran and by CI requests", () => {
    expect(r.endpoints.map((e) => [e.method, e.endpoint, e.exercised, e.coverage])).toEqual([
      ["GET", "/users", [200], 0.5], // 404 was only skipped
      ["POST", "/users", [201, 400, 409], 1],
      ["GET", "/users/{id}", [404], 0.5], // 200 came from outside CI
      ["DELETE", "/users/{id}", [], 1], // no codes: one code, covered by the test
      ["GET", "/health", [], 0],
    ]);
    expect(at("GET", "/users").undocumentedCodes).toEqual([500]);
  });

  it("counts tests that ran and CI requests per endpoint", () => {
    expect(r.endpoints.map((e) => [e.tests, e.ciRequests])).toEqual([
      [1, 1],
      [2, 1],
      [0, 1],
      [1, 0],
      [0, 0],
    ]);
  });

  it("sums over the catalog: 6 of 9 codes", () => {
    // documented 2 + 3 + 2 + 1 + 1 = 9; exercised 1 + 3 + 1 + 1 + 0 = 6
    expect(r.overall).toMatchObject({ endpoints: 5, documented: 9, exercised: 6, minCoverage: 0.8, underThreshold: 3 });
    expect(r.overall.coverage).toBeCloseTo(6 / 9, 12);
    expect(r.overall.uncovered).toEqual([
      { method: "GET", endpoint: "/users", missing: [404] },
      { method: "GET", endpoint: "/users/{id}", missing: [200] },
      { method: "GET", endpoint: "/health", missing: [] },
    ]);
  });

  it("flags endpoints under coverage_min, 80% by default", () => {
    expect(r.endpoints.filter((e) => e.underThreshold).map((e) => `${e.method} ${e.endpoint}`)).toEqual(["GET /users", "GET /users/{id}", "GET /health"]);
    const lax = report({ coverage_min: 50 });
    // 0.5 is not below 50%
    expect(lax.endpoints.filter((e) => e.underThreshold).map((e) => `${e.method} ${e.endpoint}`)).toEqual(["GET /health"]);
    expect(lax.overall.minCoverage).toBe(0.5);
  });

  it("lists declared scenarios no test or CI request of the endpoint exercised", () => {
    // GET /users: happy by a test; empty only by a skipped test and a request outside CI
    expect(at("GET", "/users").missingScenarios).toEqual(["empty", "error"]);
    // POST /users: happy by a test, error by a CI request
    expect(at("POST", "/users").missingScenarios).toEqual(["empty"]);
    expect(at("GET", "/health").missingScenarios).toEqual(["happy", "empty", "error"]);
  });

  it("gives the local day of the last test", () => {
    expect(at("GET", "/users").lastTested).toBe(Date.UTC(2026, 10, 18)); // the 11-20 test was skipped
    expect(at("POST", "/users").lastTested).toBe(Date.UTC(2026, 10, 19));
    expect(at("GET", "/users/{id}").lastTested).toBeNull();
    // 2026-11-19T11:00Z at -12:00 is 11-18 23:00 local; that day starts at 11-18T12:00Z
    expect(report(undefined, -720).endpoints[1]!.lastTested).toBe(Date.parse("2026-11-18T12:00:00Z"));
  });

  it("lists tested endpoints the catalog lacks", () => {
    expect(r.undocumented).toEqual([{ method: "GET", endpoint: "/orders", tests: 2, ciRequests: 0, codes: [200] }]);
  });

  it("merges an endpoint the catalog lists twice, and is 0 for an empty catalog", () => {
    const twice = coverageFromEvents(EVENTS, {
      catalog: [
        { method: "get", endpoint: "/users", responses: [200] },
        { method: "GET", endpoint: "/users", responses: [404, 200] },
      ],
      now: NOW,
    });
    expect(twice.endpoints).toHaveLength(1);
    expect(twice.endpoints[0]).toMatchObject({ method: "GET", documented: [200, 404], exercised: [200], coverage: 0.5 });
    const none = coverageFromEvents(EVENTS, { now: NOW });
    expect(none.overall).toMatchObject({ endpoints: 0, documented: 0, exercised: 0, coverage: 0, uncovered: [] });
  });
});

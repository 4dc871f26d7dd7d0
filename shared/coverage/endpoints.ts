/**
 * Endpoint coverage against the catalog (DESIGN.md, Views 3).
 *
 * A documented code of (method, endpoint) is exercised when a test that ran
 * (not skipped) names that method, endpoint and `response`, or a CI request
 * (one with `ci` or `run`) has that method, endpoint and `status`. An entry
 * without documented codes counts as one code, covered when any such test or
 * CI request reached it. Coverage is exercised ÷ documented, per endpoint and
 * summed over endpoints. Methods compare case-blind; paths exactly, as
 * templated (`/users/{id}`).
 */
import { catalogEndpoints, type CatalogEntry } from "./catalog.ts";
import type { CoverageResults } from "./results.ts";
import { amount, endpointKey, label, methodKey, rowsOf, time, type Row } from "./rows.ts";
import type { CoverageThresholds } from "./thresholds.ts";

/** One catalog endpoint's coverage. */
export interface EndpointCoverage {
  method: string;
  endpoint: string;
  /** Documented response codes, ascending; empty when the catalog lists none. */
  documented: number[];
  /** Documented codes exercised, ascending. */
  exercised: number[];
  /** Codes tests or CI requests reached that the catalog does not document. */
  undocumentedCodes: number[];
  /** 0..1. */
  coverage: number;
  /** Tests that ran (not skipped) naming this endpoint. */
  tests: number;
  /** CI requests to this endpoint. */
  ciRequests: number;
  /** Start of the (local) day of the latest test naming it; null if none did. */
  lastTested: number | null;
  /** Coverage below the workspace's `coverage_min`. */
  underThreshold: boolean;
  /** Declared scenarios that no test or CI request of this endpoint exercised. */
  missingScenarios: string[];
}

/** An endpoint tests or CI requests reached that the catalog does not list. */
export interface UndocumentedEndpoint {
  /** Upper-case; empty when the events named no method. */
  method: string;
  endpoint: string;
  tests: number;
  ciRequests: number;
  codes: number[];
}

/** Coverage over the whole catalog. */
export interface OverallCoverage {
  /** Catalog endpoints. */
  endpoints: number;
  /** Documented codes (an entry without any counts as one). */
  documented: number;
  exercised: number;
  /** exercised ÷ documented, 0..1; 0 for an empty catalog, where nothing is covered. */
  coverage: number;
  /** `coverage_min` as a fraction. */
  minCoverage: number;
  /** Catalog endpoints under `coverage_min`. */
  underThreshold: number;
  /** Endpoints not fully covered, with their documented codes not exercised. */
  uncovered: { method: string; endpoint: string; missing: number[] }[];
}

/** What tests and CI requests did to one (method, endpoint). */
interface Seen {
  method: string;
  endpoint: string;
  tests: number;
  ciRequests: number;
  codes: Set<number>;
  scenarios: Set<string>;
  lastTested: number | null;
}

function code(row: Row, k: number): number | null {
  const text = label(row, k);
  if (text === null) return null;
  const n = Number(text);
  return Number.isInteger(n) ? n : null;
}

/** Everything tests and CI requests did, per (method, endpoint); rows without an endpoint are left out. */
function gather(results: CoverageResults): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  const at = (row: Row): Seen | null => {
    const endpoint = label(row, 1);
    if (endpoint === null) return null;
    const method = methodKey(label(row, 0) ?? "");
    const key = endpointKey(method, endpoint);
    let s = seen.get(key);
    if (s === undefined) seen.set(key, (s = { method, endpoint, tests: 0, ciRequests: 0, codes: new Set(), scenarios: new Set(), lastTested: null }));
    return s;
  };
  for (const row of rowsOf(results.testCodes)) {
    const s = at(row);
    if (s === null) continue;
    s.tests += amount(row, 0);
    const c = code(row, 2);
    if (c !== null) s.codes.add(c);
  }
  // CI requests come in two disjoint parts (queries.ts): with a run, and with a `ci` but no run
  for (const row of [...rowsOf(results.runRequestCodes), ...rowsOf(results.ciRequestCodes)]) {
    const s = at(row);
    if (s === null) continue;
    s.ciRequests += amount(row, 0);
    const c = code(row, 2);
    if (c !== null) s.codes.add(c);
  }
  for (const row of rowsOf(results.testDays)) {
    const s = at(row);
    const day = time(row, 2);
    if (s !== null && !Number.isNaN(day)) s.lastTested = Math.max(s.lastTested ?? -Infinity, day);
  }
  for (const row of rowsOf(results.testScenarios)) {
    const scenario = label(row, 2);
    if (scenario !== null) at(row)?.scenarios.add(scenario);
  }
  for (const row of [...rowsOf(results.runRequestScenarios), ...rowsOf(results.ciRequestScenarios)]) {
    const scenario = label(row, 2);
    if (scenario !== null) at(row)?.scenarios.add(scenario);
  }
  return seen;
}

/** Per catalog endpoint coverage, the tested endpoints the catalog lacks, and the overall figures. */
export function endpointCoverage(
  results: CoverageResults,
  catalog: readonly CatalogEntry[],
  declaredScenarios: readonly string[],
  thresholds: CoverageThresholds,
): { endpoints: EndpointCoverage[]; undocumented: UndocumentedEndpoint[]; overall: OverallCoverage } {
  const seen = gather(results);
  const minCoverage = thresholds.coverageMin / 100;
  const listed = catalogEndpoints(catalog);
  const endpoints = listed.map((entry): EndpointCoverage => {
    const s = seen.get(entry.key);
    const codes = s?.codes ?? new Set<number>();
    const reached = s !== undefined && s.tests + s.ciRequests > 0;
    const exercised = entry.documented.filter((c) => codes.has(c));
    const coverage = entry.documented.length === 0 ? (reached ? 1 : 0) : exercised.length / entry.documented.length;
    return {
      method: entry.method,
      endpoint: entry.endpoint,
      documented: entry.documented,
      exercised,
      undocumentedCodes: [...codes].filter((c) => !entry.documented.includes(c)).sort((a, b) => a - b),
      coverage,
      tests: s?.tests ?? 0,
      ciRequests: s?.ciRequests ?? 0,
      lastTested: s?.lastTested ?? null,
      underThreshold: coverage < minCoverage,
      missingScenarios: declaredScenarios.filter((sc) => !s?.scenarios.has(sc)),
    };
  });
  const keys = new Set(listed.map((e) => e.key));
  const undocumented = [...seen.entries()]
    .filter(([key, s]) => !keys.has(key) && s.tests + s.ciRequests > 0)
    .map(([, s]) => ({ method: s.method, endpoint: s.endpoint, tests: s.tests, ciRequests: s.ciRequests, codes: [...s.codes].sort((a, b) => a - b) }))
    .sort((a, b) => b.tests + b.ciRequests - (a.tests + a.ciRequests) || a.endpoint.localeCompare(b.endpoint) || a.method.localeCompare(b.method));
  let documented = 0;
  let exercised = 0;
  for (const e of endpoints) {
    documented += Math.max(1, e.documented.length);
    exercised += e.documented.length === 0 ? e.coverage : e.exercised.length;
  }
  const overall: OverallCoverage = {
    endpoints: endpoints.length,
    documented,
    exercised,
    coverage: documented === 0 ? 0 : exercised / documented,
    minCoverage,
    underThreshold: endpoints.filter((e) => e.underThreshold).length,
    uncovered: endpoints
      .filter((e) => e.coverage < 1)
      .map((e) => ({ method: e.method, endpoint: e.endpoint, missing: e.documented.filter((c) => !e.exercised.includes(c)) })),
  };
  return { endpoints, undocumented, overall };
}

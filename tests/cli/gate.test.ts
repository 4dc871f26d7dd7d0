// `tally gate`: coverage and drift of a hand-computed workspace against their
// thresholds, from config or flags; the exit code a CI step acts on.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkspaceConfig } from "../../shared/config.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { WS, apiError, startEdge, tally, tempDir, type FakeEdge } from "./helpers.ts";

const READ = "tly_r_abcdefghijklmnopqrstuvwxyz012345";
const base = `/api/v1/workspaces/${WS}`;
const T0 = Date.UTC(2026, 10, 18, 9, 0, 0);

let seq = 0;
function event(type: StoredEvent["type"], name: string, props: StoredEvent["props"]): StoredEvent {
  seq++;
  return { seq, id: `e${seq}`, ts: T0 + seq * 60_000, received_at: T0 + seq * 60_000, type, name, props };
}
const test = (method: string, endpoint: string, response: number, status = "passed") =>
  event("test", `${method} ${endpoint} answers ${response}`, { suite: "api", status, method, endpoint, response, attempt: 1, commit: "abc123" });

/**
 * Catalog: 7 documented codes (DELETE documents none: it counts as one).
 * Exercised: GET /users 200 and 401, POST /users 201 (a failed test still ran;
 * the skipped 400 did not), GET /users/{id} 200 by a test and 404 by a CI
 * request; the DELETE request carries no ci or run. 5 of 7 = 71.4%.
 * Drift: GET /users drifts (its latest state), four other mocks do not: 1 of 5 = 20%.
 */
const catalog = [
  { method: "GET", endpoint: "/users", responses: [200, 401] },
  { method: "POST", endpoint: "/users", responses: [201, 400] },
  { method: "GET", endpoint: "/users/{id}", responses: [200, 404] },
  { method: "DELETE", endpoint: "/users/{id}" },
];
const events: StoredEvent[] = [
  test("GET", "/users", 200),
  test("GET", "/users", 401),
  test("POST", "/users", 201, "failed"),
  test("POST", "/users", 400, "skipped"),
  test("GET", "/users/{id}", 200),
  event("request", "GET /users/{id}", { method: "GET", endpoint: "/users/{id}", status: 404, ci: "github", run: "r1" }),
  event("request", "DELETE /users/{id}", { method: "DELETE", endpoint: "/users/{id}", status: 204 }),
  event("mock", "users", { method: "GET", endpoint: "/users", reality_level: 3, drift: 0 }),
  event("mock", "users", { method: "GET", endpoint: "/users", reality_level: 3, drift: 0.3 }),
  event("mock", "users", { method: "POST", endpoint: "/users", reality_level: 3, drift: 0 }),
  event("mock", "user", { method: "GET", endpoint: "/users/{id}", reality_level: 3, drift: 0 }),
  event("mock", "user", { method: "DELETE", endpoint: "/users/{id}", reality_level: 3, drift: 0 }),
  event("mock", "legacy-mock", { reality_level: 4, drift: 0 }),
  event("job", "nightly", { status: "ok", duration_ms: 10 }),
  event("track", "signup", { plan: "pro" }),
];

/** What the fake edge serves; pages of three events, so the gate must follow the cursor. */
let config: WorkspaceConfig = {};
let served: StoredEvent[] = events;
const PAGE = 3;

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
  edge = await startEdge((req) => {
    const url = new URL(req.path, "http://edge");
    if (req.method === "GET" && url.pathname === `${base}/config`) return { status: 200, body: { config, versions: {} } };
    if (req.method === "GET" && url.pathname === `${base}/events`) {
      const after = Number(url.searchParams.get("after") ?? 0);
      const rest = served.filter((e) => e.seq > after);
      const page = rest.slice(0, PAGE);
      return { status: 200, body: { events: page, next: page.at(-1)?.seq ?? after, more: rest.length > PAGE } };
    }
    return undefined;
  });
});
afterAll(async () => {
  await edge.close();
  await tmp.remove();
});
beforeEach(() => {
  edge.requests.length = 0;
  config = { endpoint_catalog: catalog };
  served = events;
});

const gate = (...args: string[]) => tally(["gate", ...args], { edge, cwd: tmp.dir, token: READ });
const lastLine = (text: string) => text.trimEnd().split("\n").at(-1);

describe("tally gate", () => {
  it("fails on coverage below the default 80% and shows what is uncovered, reading every page with the read token", async () => {
    const r = await gate();
    expect(r.code).toBe(1);
    const out = r.stdout();
    expect(out).toContain(`Coverage gate of workspace ${WS} (15 events read)`);
    expect(out).toMatch(/coverage +71\.4% \(5 of 7 codes\) +>= 80% +FAIL/);
    expect(out).toMatch(/drift +20\.0% \(1 of 5 mocks\) +<= 20% +PASS/);
    expect(out).toContain("Endpoints not fully covered (2 of 4):");
    expect(out).toMatch(/POST +\/users +50\.0% +400 +yes/);
    expect(out).toMatch(/DELETE +\/users\/\{id\} +0\.0% +\(any\) +yes/);
    expect(out).not.toMatch(/GET +\/users\/\{id\} +\d/);
    expect(out).toContain("Endpoints below 80%: 2 of 4.");
    expect(lastLine(out)).toBe("Gate failed: coverage 71.4% is below the minimum 80%.");
    const pulls = edge.requests.filter((q) => q.path.includes("/events"));
    expect(pulls.map((q) => new URL(q.path, "http://edge").searchParams.get("after"))).toEqual(["0", "3", "6", "9", "12"]);
    expect(edge.requests.every((q) => q.headers.authorization === `Bearer ${READ}`)).toBe(true);
  });

  it("passes with the workspace's configured thresholds", async () => {
    config = { endpoint_catalog: catalog, thresholds: { coverage_min: 70, drift_max: 25 } };
    const r = await gate();
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout())).toBe("Gate passed: coverage 71.4% >= 70%, drift 20.0% <= 25%.");
  });

  it("lets flags override the config", async () => {
    config = { endpoint_catalog: catalog, thresholds: { coverage_min: 70, drift_max: 25 } };
    const r = await gate("--min-coverage", "75", "--max-drift", "10");
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout())).toBe("Gate failed: coverage 71.4% is below the minimum 75%; drift 20.0% is above the maximum 10%.");
  });

  it("fails on drift alone", async () => {
    const r = await gate("--min-coverage", "50", "--max-drift", "19.9");
    expect(r.code).toBe(1);
    expect(r.stdout()).toMatch(/coverage +71\.4% \(5 of 7 codes\) +>= 50% +PASS/);
    expect(lastLine(r.stdout())).toBe("Gate failed: drift 20.0% is above the maximum 19.9%.");
  });

  it.each([
    ["71.4", 0],
    ["71.5", 1],
    ["71.42857", 0],
  ])("compares exactly at the edge: --min-coverage %s exits %i (5 of 7 is 71.428…%)", async (min, code) => {
    expect((await gate("--min-coverage", min)).code).toBe(code);
  });

  it.each([
    ["75", 0],
    ["75.01", 1],
  ])("passes a minimum met exactly: 3 of 4 codes against --min-coverage %s exits %i", async (min, code) => {
    config = { endpoint_catalog: catalog.slice(0, 2) };
    expect((await gate("--min-coverage", min)).code).toBe(code);
  });

  it("shows more decimals where one would make a figure read against its verdict", async () => {
    config = { endpoint_catalog: [{ method: "GET", endpoint: "/a", responses: [200, 201, 202] }] };
    served = [
      test("GET", "/a", 200),
      test("GET", "/a", 201),
      event("mock", "a", { method: "GET", endpoint: "/a", drift: 0.1 }),
      event("mock", "b", { method: "GET", endpoint: "/b", drift: 0 }),
      event("mock", "c", { method: "GET", endpoint: "/c", drift: 0 }),
    ];
    const r = await gate("--min-coverage", "66.7", "--max-drift", "33.35");
    expect(r.code).toBe(1);
    // 2 of 3 is 66.66…%, 1 of 3 is 33.33…%
    expect(r.stdout()).toMatch(/coverage +66\.67% \(2 of 3 codes\) +>= 66\.7% +FAIL/);
    expect(r.stdout()).toMatch(/drift +33\.3% \(1 of 3 mocks\) +<= 33\.35% +PASS/);
    expect(lastLine(r.stdout())).toBe("Gate failed: coverage 66.67% is below the minimum 66.7%.");
    expect(r.stdout()).toMatch(/GET +\/a +66\.67% +202 +yes/);
    const passing = await gate("--min-coverage", "66.6666", "--max-drift", "33.3");
    expect(passing.code).toBe(1);
    expect(lastLine(passing.stdout())).toBe("Gate failed: drift 33.33% is above the maximum 33.3%.");
    expect(passing.stdout()).toMatch(/coverage +66\.7% \(2 of 3 codes\) +>= 66\.6666% +PASS/);
  });

  it("says every code was exercised when nothing is uncovered", async () => {
    config = { endpoint_catalog: [catalog[0]!] };
    const r = await gate();
    expect(r.code).toBe(0);
    expect(r.stdout()).toContain("Every documented response code of the 1 endpoints was exercised.");
  });

  it("skips the coverage check without a catalog when no minimum was asked for", async () => {
    config = {};
    const r = await gate();
    expect(r.code).toBe(0);
    expect(r.stdout()).toMatch(/coverage +- \(no endpoint catalog; check skipped\) +>= 80% +SKIPPED/);
    expect(lastLine(r.stdout())).toBe("Gate passed: coverage not measured (no catalog), drift 20.0% <= 20%.");
  });

  it.each([
    ["--min-coverage", { thresholds: {} }, ["--min-coverage", "10"]],
    ["the config's coverage_min", { thresholds: { coverage_min: 10 } }, []],
  ])("fails without a catalog when a minimum was asked for by %s", async (_, cfg, args) => {
    config = cfg;
    const r = await gate(...args);
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout())).toBe("Gate failed: coverage cannot be measured without an endpoint catalog (minimum 10%).");
  });

  it("passes drift when no mock reports it", async () => {
    served = events.filter((e) => e.type !== "mock");
    const r = await gate("--min-coverage", "70");
    expect(r.code).toBe(0);
    expect(r.stdout()).toMatch(/drift +0\.0% \(no mock reports drift\) +<= 20% +PASS/);
  });

  it("prints one JSON document with --json, the exit code unchanged", async () => {
    const r = await gate("--json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout());
    expect(out).toMatchObject({
      passed: false,
      events_read: 15,
      coverage: { state: "fail", min: 80, documented: 7, exercised: 5 },
      drift: { state: "pass", max: 20, actual: 20, mocks: 5, drifting: 1 },
    });
    expect(out.uncovered).toEqual([
      { method: "POST", endpoint: "/users", missing: [400] },
      { method: "DELETE", endpoint: "/users/{id}", missing: [] },
    ]);
    expect(out.below_min.map((e: { endpoint: string }) => e.endpoint)).toEqual(["/users", "/users/{id}"]);
  });

  it.each([["120"], ["-5"], ["lots"], [""], ["1e2"]])("refuses --min-coverage=%s as a usage error", async (value) => {
    const r = await gate(`--min-coverage=${value}`);
    expect(r.code).toBe(2);
    expect(r.stderr()).toContain("--min-coverage must be a percentage from 0 to 100");
    expect(edge.requests).toHaveLength(0);
  });

  it("takes a trailing percent sign", async () => {
    expect((await gate("--min-coverage", "70%", "--max-drift", "20%")).code).toBe(0);
  });

  it("exits 1 with the edge's error when events cannot be read", async () => {
    edge.queue.push({ status: 200, body: { config, versions: {} } }, apiError(401, "unauthorized", "the token is not valid for this workspace"));
    const r = await gate();
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("tally: could not read the workspace's events: HTTP 401 unauthorized: the token is not valid for this workspace");
    expect(r.stdout()).toBe("");
  });

  it("tells a CI holding only a write token to pass a read token", async () => {
    edge.queue.push(apiError(403, "insufficient_scope", "this takes read or admin tokens; this is a write token"));
    const r = await gate();
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("tally: could not read the workspace's config: HTTP 403 insufficient_scope: this takes read or admin tokens; this is a write token");
    expect(r.stderr()).toContain("pass a read token with --token");
  });

  it("stops when the edge says more but the cursor does not move", async () => {
    edge.queue.push({ status: 200, body: { config, versions: {} } }, { status: 200, body: { events: [], next: 0, more: true } });
    const r = await gate();
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("the cursor did not advance past 0");
  });
});

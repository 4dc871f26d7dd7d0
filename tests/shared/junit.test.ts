// The pure side of JUnit ingestion: durations, timestamps, the runs of a
// case, what a test covers, the CI run's fields, and derived ids.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  coversInText,
  durationMs,
  emptyCase,
  junitEvents,
  parseRunMeta,
  reportTime,
  testAttempts,
  testCovers,
  type JunitCase,
} from "../../shared/junit/index.ts";

const sha256 = async (text: string) => createHash("sha256").update(text).digest("hex");
const caseOf = (name: string, extra: Partial<JunitCase> = {}): JunitCase => ({ ...emptyCase(name, "suite"), ...extra });

describe("durationMs", () => {
  it.each([
    ["0.003", 3],
    ["12", 12_000],
    ["1,234.5", 1_234_500],
    ["1,234,567", 1_234_567_000],
    ["0.0000015", 0.002],
    ["1.5E-3", 1.5],
    [" 2.25 ", 2250],
    ["3.", 3000],
  ])("reads %j as %d ms", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each([[undefined], [""], ["-1"], ["abc"], ["1,23.4"], ["12,34"], ["1.234,5"], ["NaN"], ["1e999"]])("gives no duration for %j", (text) => {
    expect(durationMs(text)).toBeUndefined();
  });
});

describe("reportTime", () => {
  it.each([
    ["2026-11-20T10:00:00", Date.UTC(2026, 10, 20, 10)],
    ["2026-11-20T10:00:00Z", Date.UTC(2026, 10, 20, 10)],
    ["2026-11-20 10:00:00", Date.UTC(2026, 10, 20, 10)],
    ["2026-11-20T10:00:00.123456+00:00", Date.UTC(2026, 10, 20, 10, 0, 0, 123)],
    ["2026-11-20T12:30:00+02:00", Date.UTC(2026, 10, 20, 10, 30)],
    ["2026-11-20T05:00:00-0500", Date.UTC(2026, 10, 20, 10)],
  ])("reads %j", (text, ms) => {
    expect(reportTime(text)).toBe(ms);
  });

  it.each([[undefined], ["yesterday"], ["2026-02-30T10:00:00"], ["2026-11-20T25:00:00"], ["1999-12-31T23:59:59Z"], ["2026-11-20"]])("gives no time for %j", (text) => {
    expect(reportTime(text)).toBeUndefined();
  });
});

describe("testAttempts", () => {
  it("a plain case ran once, with its outcome", () => {
    expect(testAttempts(caseOf("a", { time: "1" }))).toEqual([{ status: "passed", time: "1" }]);
    expect(testAttempts(caseOf("a", { failures: [{ message: "m" }] }))).toEqual([{ status: "failed", message: "m" }]);
    expect(testAttempts(caseOf("a", { errors: [{}] }))).toEqual([{ status: "error" }]);
    expect(testAttempts(caseOf("a", { skipped: [{ message: "later" }] }))).toEqual([{ status: "skipped", message: "later" }]);
  });

  it("a failure wins over a skip in the same case", () => {
    expect(testAttempts(caseOf("a", { skipped: [{}], failures: [{}] }))[0]!.status).toBe("failed");
  });

  it("flaky: each failed run, then the passing one with the case's time", () => {
    const c = caseOf("a", { time: "0.5", flakyFailures: [{ message: "f1", time: "0.1" }, { message: "f2" }], flakyErrors: [{ message: "e1" }] });
    expect(testAttempts(c)).toEqual([
      { status: "failed", message: "f1", time: "0.1" },
      { status: "failed", message: "f2" },
      { status: "error", message: "e1" },
      { status: "passed", time: "0.5" },
    ]);
  });

  it("rerun: the first failure with the case's time, then every failed rerun", () => {
    const c = caseOf("a", { time: "0.5", errors: [{ message: "first" }], rerunFailures: [{ message: "r1" }], rerunErrors: [{ message: "r2", time: "0.2" }] });
    expect(testAttempts(c)).toEqual([
      { status: "error", message: "first", time: "0.5" },
      { status: "failed", message: "r1" },
      { status: "error", message: "r2", time: "0.2" },
    ]);
  });
});

describe("what a test covers", () => {
  it.each([
    ["returns a user [GET /users/{id}]", { method: "GET", endpoint: "/users/{id}" }],
    ["[get /users/{id} 404] answers not found", { method: "GET", endpoint: "/users/{id}", response: 404 }],
    ["[POST /orders 201] [scenario: checkout] [persona: admin]", { method: "POST", endpoint: "/orders", response: 201, scenario: "checkout", persona: "admin" }],
    ["outer [GET /a] inner [DELETE /a/{id} 204]", { method: "DELETE", endpoint: "/a/{id}", response: 204 }],
    ["[GET /a 999]", { method: "GET", endpoint: "/a" }],
    ["[1] parameterised [GET a] [FETCH /a] [scenario:] plain", {}],
  ])("reads %j", (name, covers) => {
    expect(coversInText(name)).toEqual(covers);
  });

  it("properties, bare or tally.-prefixed, win over the name key by key", () => {
    const result = testCovers([["tally.endpoint", " /x "], ["Persona", "admin"], ["other", "ignored"]], "t [GET /y 200] [persona: guest] [scenario: s]");
    expect(result).toEqual({ covers: { endpoint: "/x", method: "GET", response: 200, persona: "admin", scenario: "s" }, problems: [] });
  });

  it("the classname fills in what the name does not say", () => {
    expect(testCovers([], "returns 404 [scenario: missing]", "users [GET /users/{id}]").covers).toEqual({ method: "GET", endpoint: "/users/{id}", scenario: "missing" });
  });

  it("reports unreadable properties and keeps the rest", () => {
    const result = testCovers([["response", "OK"], ["method", "GET /x"], ["endpoint", "  "], ["scenario", "s"]], "t [GET /y 500]");
    expect(result.covers).toEqual({ scenario: "s", method: "GET", endpoint: "/y", response: 500 });
    expect(result.problems).toEqual([
      { path: "props.response", message: 'testcase property "response" must be an HTTP status code (100-599), got "OK"' },
      { path: "props.method", message: 'testcase property "method" must be an HTTP method such as GET, got "GET /x"' },
      { path: "props.endpoint", message: 'testcase property "endpoint" is empty' },
    ]);
  });
});

describe("parseRunMeta", () => {
  it("keeps what is given, lower-cases the commit, drops empty values", () => {
    const q = new URLSearchParams("ci=github&run=123-2&branch=feature/x%20y&commit=ABCDEF0&extra=1");
    q.set("branch", "feature/ü");
    expect(parseRunMeta((k) => q.get(k))).toEqual({ ok: true, value: { ci: "github", run: "123-2", branch: "feature/ü", commit: "abcdef0" } });
    expect(parseRunMeta(() => "")).toEqual({ ok: true, value: {} });
  });

  it("names every bad field", () => {
    const bad: Record<string, string> = { ci: "Git Hub", run: " lead", branch: "x".repeat(256), commit: "xyz" };
    const result = parseRunMeta((k) => bad[k]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(["ci", "run", "branch", "commit"]);
  });
});

describe("junitEvents", () => {
  const cases = [
    caseOf("a", { classname: "k", time: "0.1", properties: [["endpoint", "/a"]] }),
    caseOf("a", { classname: "k", failures: [{ message: "line one\nline two" }] }),
    caseOf("b", { suite: "", classname: "only", rerunFailures: [{}], failures: [{}], timestamp: "2026-11-20T10:00:00Z" }),
  ];

  it("makes one event per run, with the suite, the run's fields and what the test covers", async () => {
    const { events, problems } = await junitEvents(cases, { ci: "gitlab", run: "7", branch: "main", reportHash: "h" }, sha256);
    expect(problems).toEqual([]);
    expect(events.map((e) => ({ ...e.event, id: undefined }))).toEqual([
      { id: undefined, type: "test", name: "a", props: { suite: "suite", classname: "k", status: "passed", duration_ms: 100, attempt: 1, ci: "gitlab", run: "7", branch: "main", endpoint: "/a" } },
      { id: undefined, type: "test", name: "a", props: { suite: "suite", classname: "k", status: "failed", attempt: 1, ci: "gitlab", run: "7", branch: "main", message: "line one" } },
      { id: undefined, type: "test", name: "b", ts: Date.UTC(2026, 10, 20, 10), props: { suite: "only", classname: "only", status: "failed", attempt: 1, ci: "gitlab", run: "7", branch: "main" } },
      { id: undefined, type: "test", name: "b", ts: Date.UTC(2026, 10, 20, 10), props: { suite: "only", classname: "only", status: "failed", attempt: 2, ci: "gitlab", run: "7", branch: "main" } },
    ]);
    expect(events.map((e) => e.caseIndex)).toEqual([0, 1, 2, 2]);
  });

  it("derives ids from the report and its run: the same report again has the same ids, any other report or run others", async () => {
    const ids = async (ctx: Parameters<typeof junitEvents>[1]) => (await junitEvents(cases, ctx, sha256)).events.map((e) => e.event.id);
    const run7 = await ids({ ci: "gitlab", run: "7", reportHash: "h1" });
    expect(new Set(run7).size).toBe(4);
    for (const id of run7) expect(id).toMatch(/^junit_[0-9a-f]{32}$/);
    // the branch is not part of an execution's identity
    expect(await ids({ ci: "gitlab", run: "7", reportHash: "h1", branch: "other" })).toEqual(run7);
    // another leg of the same CI run (a matrix) writes another report
    expect(await ids({ ci: "gitlab", run: "7", reportHash: "h2" })).not.toEqual(run7);
    expect(await ids({ ci: "gitlab", run: "8", reportHash: "h1" })).not.toEqual(run7);
    const byReport = await ids({ reportHash: "h1" });
    expect(byReport).not.toEqual(run7);
    expect(await ids({ reportHash: "h1" })).toEqual(byReport);
    expect(await ids({ reportHash: "h2" })).not.toEqual(byReport);
  });

  it("truncates long failure messages and places property problems at their events", async () => {
    const long = caseOf("c", { failures: [{ message: "x".repeat(600) }], properties: [["response", "abc"]] });
    const { events, problems } = await junitEvents([cases[0]!, long], { reportHash: "h" }, sha256);
    expect(String(events[1]!.event.props!["message"])).toHaveLength(500);
    expect(problems).toEqual([{ index: 1, path: "props.response", message: expect.stringContaining('got "abc"') }]);
  });
});

// JUnit XML ingestion: every runner's shape becomes the `test` events it
// describes, with the CI run from the query, what tests cover from their
// properties or names, and ids that make a re-post store nothing new.
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/event.ts";
import type { IngestResponse } from "../../shared/wire.ts";
import { gzip, pullAll, workspace, type Ws } from "./helpers.ts";
import { gotestsum, jestJunit, junit5, postJunit, pytest, surefire } from "./junit-fixtures.ts";

const XML = { "Content-Type": "application/xml" };
const RECEIVED = { ts: expect.any(Number) };

async function stored(ws: Ws, body: BodyInit, query = "", headers: Record<string, string> = XML): Promise<{ answer: IngestResponse; events: StoredEvent[] }> {
  const res = await postJunit(ws.id, ws.write, body, query, headers);
  const answer = (await res.json()) as IngestResponse;
  expect(res.status, JSON.stringify(answer)).toBe(200);
  return { answer, events: await pullAll(ws.id, ws.read) };
}

/** What the tests compare: name, ts and props of each event, in stored order. */
const shape = (events: StoredEvent[]) => events.map((e) => ({ type: e.type, name: e.name, ts: e.ts, props: e.props }));

describe("runner shapes", () => {
  it("Maven Surefire: bare testsuite, failures, errors, skips, flaky and rerun attempts, grouped durations", async () => {
    const ws = await workspace();
    const xml = surefire("com.acme.UserApiTest", [
      { name: "getsUser", time: "0.012" },
      { name: "deletesUser", outcome: "failed", time: "1,234.5", message: "expected: <204> but was: <500>" },
      { name: "listsUsers", outcome: "error", time: "0.1" },
      { name: "exportsUsers", outcome: "skipped", time: "0" },
      { name: "updatesUser", flaky: ["failure", "error"], time: "0.2" },
      { name: "createsUser", outcome: "failed", reruns: ["failure", "error"], time: "0.3" },
    ]);
    const { answer, events } = await stored(ws, xml, "?ci=github&run=123-1&branch=main&commit=ABCDEF1");
    expect(answer).toEqual({ accepted: 10, duplicates: 0, rejected: 0, rejections: [], warnings: [] });
    const run = { ci: "github", run: "123-1", branch: "main", commit: "abcdef1" };
    const base = { suite: "com.acme.UserApiTest", classname: "com.acme.UserApiTest", ...run };
    expect(shape(events)).toEqual([
      { type: "test", name: "getsUser", ...RECEIVED, props: { ...base, status: "passed", duration_ms: 12, attempt: 1 } },
      { type: "test", name: "deletesUser", ...RECEIVED, props: { ...base, status: "failed", duration_ms: 1_234_500, attempt: 1, message: "expected: <204> but was: <500>" } },
      { type: "test", name: "listsUsers", ...RECEIVED, props: { ...base, status: "error", duration_ms: 100, attempt: 1, message: "Connection refused" } },
      { type: "test", name: "exportsUsers", ...RECEIVED, props: { ...base, status: "skipped", duration_ms: 0, attempt: 1, message: "disabled" } },
      { type: "test", name: "updatesUser", ...RECEIVED, props: { ...base, status: "failed", attempt: 1, message: "flaky failure" } },
      { type: "test", name: "updatesUser", ...RECEIVED, props: { ...base, status: "error", attempt: 2, message: "flaky error" } },
      { type: "test", name: "updatesUser", ...RECEIVED, props: { ...base, status: "passed", duration_ms: 200, attempt: 3 } },
      { type: "test", name: "createsUser", ...RECEIVED, props: { ...base, status: "failed", duration_ms: 300, attempt: 1, message: "expected: <200> but was: <404>" } },
      { type: "test", name: "createsUser", ...RECEIVED, props: { ...base, status: "failed", attempt: 2, message: "rerun failure" } },
      { type: "test", name: "createsUser", ...RECEIVED, props: { ...base, status: "error", attempt: 3, message: "rerun error" } },
    ]);
    // no timestamp anywhere in a Surefire report: events are stamped on receipt
    expect(new Set(events.map((e) => e.ts)).size).toBe(1);
    expect(events[0]!.ts).toBe(events[0]!.received_at);
  });

  it("pytest: testsuites > testsuite name=pytest, testcase properties, pytest.skip, the suite's zoned timestamp", async () => {
    const ws = await workspace();
    const xml = pytest([
      { name: "test_get_user", classname: "tests.test_users", properties: { endpoint: "/users/{id}", method: "get", response: "200", persona: "admin", scenario: "happy-path" } },
      { name: "test_missing_user", classname: "tests.test_users", outcome: "failed", properties: { "tally.endpoint": "/users/{id}", "tally.method": "GET", "tally.response": "404" } },
      { name: "test_upload", outcome: "skipped", message: "needs network" },
      { name: "test_db", outcome: "error", time: "0.000" },
    ]);
    const { events } = await stored(ws, xml, "?ci=gitlab&run=987654");
    const ts = Date.UTC(2026, 10, 20, 10, 0, 0, 123);
    const run = { ci: "gitlab", run: "987654", suite: "pytest" };
    expect(shape(events)).toEqual([
      { type: "test", name: "test_get_user", ts, props: { ...run, classname: "tests.test_users", status: "passed", duration_ms: 4, attempt: 1, endpoint: "/users/{id}", method: "GET", response: 200, persona: "admin", scenario: "happy-path" } },
      { type: "test", name: "test_missing_user", ts, props: { ...run, classname: "tests.test_users", status: "failed", duration_ms: 4, attempt: 1, endpoint: "/users/{id}", method: "GET", response: 404, message: "assert 404 == 200" } },
      { type: "test", name: "test_upload", ts, props: { ...run, classname: "tests.test_api", status: "skipped", duration_ms: 4, attempt: 1, message: "needs network" } },
      { type: "test", name: "test_db", ts, props: { ...run, classname: "tests.test_api", status: "error", duration_ms: 0, attempt: 1, message: `failed on setup with "fixture 'db' not found"` } },
    ]);
  });

  it("jest-junit: suites per describe block, the naming convention in names (the test's own tag last, so it counts), file attributes, entity-escaped failure text", async () => {
    const ws = await workspace();
    const xml = jestJunit([
      {
        name: "users [GET /users/{id}]",
        file: "tests/users.test.ts",
        cases: [
          { name: "returns the user [persona: admin]" },
          { name: "answers 404 for a stranger [GET /users/{id} 404] [scenario: missing-user]", outcome: "failed" },
        ],
      },
      { name: "health", file: "tests/health.test.ts", cases: [{ name: "is skipped for now", outcome: "skipped" }] },
    ]);
    const { events } = await stored(ws, xml);
    const ts = Date.UTC(2026, 10, 20, 10, 0, 0);
    const users = "users [GET /users/{id}]";
    expect(shape(events)).toEqual([
      {
        type: "test",
        name: `${users} returns the user [persona: admin]`,
        ts,
        props: { suite: users, classname: `${users} returns the user [persona: admin]`, status: "passed", duration_ms: 3, attempt: 1, endpoint: "/users/{id}", method: "GET", persona: "admin", file: "tests/users.test.ts" },
      },
      {
        type: "test",
        name: `${users} answers 404 for a stranger [GET /users/{id} 404] [scenario: missing-user]`,
        ts,
        props: {
          suite: users,
          classname: `${users} answers 404 for a stranger [GET /users/{id} 404] [scenario: missing-user]`,
          status: "failed",
          duration_ms: 3,
          attempt: 1,
          endpoint: "/users/{id}",
          method: "GET",
          response: 404,
          scenario: "missing-user",
          message: "Error: expect(received).toBe(expected)",
          file: "tests/users.test.ts",
        },
      },
      { type: "test", name: "health is skipped for now", ts, props: { suite: "health", classname: "health is skipped for now", status: "skipped", duration_ms: 3, attempt: 1, file: "tests/health.test.ts" } },
    ]);
  });

  it("gotestsum: a suite per package, classname = package, Failed failures and skip output", async () => {
    const ws = await workspace();
    const xml = gotestsum([
      { name: "github.com/acme/api/users", cases: [{ name: "TestGetUser" }, { name: "TestDeleteUser", outcome: "failed" }] },
      { name: "github.com/acme/api/orders", cases: [{ name: "TestExport", outcome: "skipped", time: "0.000000" }] },
    ]);
    const { events } = await stored(ws, xml, "?ci=circleci&run=wf-1&branch=feature%2Fx&commit=0123456789abcdef0123456789abcdef01234567");
    const ts = Date.UTC(2026, 10, 20, 10, 0, 0);
    const run = { ci: "circleci", run: "wf-1", branch: "feature/x", commit: "0123456789abcdef0123456789abcdef01234567" };
    const users = { suite: "github.com/acme/api/users", classname: "github.com/acme/api/users", ...run };
    expect(shape(events)).toEqual([
      { type: "test", name: "TestGetUser", ts, props: { ...users, status: "passed", duration_ms: 10, attempt: 1 } },
      { type: "test", name: "TestDeleteUser", ts, props: { ...users, status: "failed", duration_ms: 10, attempt: 1, message: "Failed" } },
      {
        type: "test",
        name: "TestExport",
        ts,
        props: { suite: "github.com/acme/api/orders", classname: "github.com/acme/api/orders", ...run, status: "skipped", duration_ms: 0, attempt: 1, message: "=== RUN   TestExport" },
      },
    ]);
  });

  it("JUnit 5 / Gradle: bare testsuite with hostname, a zone-less timestamp read as UTC, properties and system-out", async () => {
    const ws = await workspace();
    const xml = junit5("com.acme.OrderTest", [
      { name: "creates an order [POST /orders 201]" },
      { name: "refuses a bad order()", outcome: "error", message: "bad state" },
      { name: "ships()", outcome: "failed" },
      { name: "cancels()", outcome: "skipped" },
    ]);
    const { events } = await stored(ws, xml, "?ci=jenkins&run=jenkins-orders-42");
    const ts = Date.UTC(2026, 10, 20, 10, 0, 0);
    const base = { suite: "com.acme.OrderTest", classname: "com.acme.OrderTest", ci: "jenkins", run: "jenkins-orders-42", duration_ms: 50, attempt: 1 };
    expect(shape(events)).toEqual([
      { type: "test", name: "creates an order [POST /orders 201]", ts, props: { ...base, status: "passed", method: "POST", endpoint: "/orders", response: 201 } },
      { type: "test", name: "refuses a bad order()", ts, props: { ...base, status: "error", message: "bad state" } },
      { type: "test", name: "ships()", ts, props: { ...base, status: "failed", message: "boom" } },
      { type: "test", name: "cancels()", ts, props: { ...base, status: "skipped" } },
    ]);
    // the suite-level properties (java.vendor...) say nothing about what a test covers
    expect(events.every((e) => !("java.vendor" in e.props))).toBe(true);
  });
});

describe("character references", () => {
  it("decodes the characters XML allows and leaves references to forbidden ones (NUL, a lone surrogate) as written", async () => {
    const ws = await workspace();
    const xml = `<testsuite name="s"><testcase classname="k" name="tab&#9;nul&#0;half&#xD800;big&#x110000;ok&#x1F600;"/></testsuite>`;
    const { events } = await stored(ws, xml);
    expect(events.map((e) => e.name)).toEqual(["tab\tnul&#0;half&#xD800;big&#x110000;ok\u{1F600}"]);
  });
});

describe("roots and nesting", () => {
  it("reads nested testsuites and suites, with a testcase's own timestamp first and entities decoded", async () => {
    const ws = await workspace();
    const xml = `<?xml version="1.0"?>
<testsuites>
  <testsuites name="inner">
    <testsuite name="outer" timestamp="2026-11-20T09:00:00Z">
      <testcase classname="k" name="a &amp; b &lt;c&gt; &#233;&#x263A;" time="1"/>
      <testsuite name="nested">
        <testcase classname="k" name="own time" timestamp="2026-11-20T12:30:00+02:00" time="2"/>
      </testsuite>
    </testsuite>
  </testsuites>
  <testsuite><testcase classname="only.classname" name="no suite name"/></testsuite>
</testsuites>`;
    const { events } = await stored(ws, xml);
    // per level, suites come before nested groups
    expect(shape(events)).toEqual([
      { type: "test", name: "no suite name", ...RECEIVED, props: { suite: "only.classname", classname: "only.classname", status: "passed", attempt: 1 } },
      { type: "test", name: "a & b <c> é☺", ts: Date.UTC(2026, 10, 20, 9), props: { suite: "outer", classname: "k", status: "passed", duration_ms: 1000, attempt: 1 } },
      { type: "test", name: "own time", ts: Date.UTC(2026, 10, 20, 10, 30), props: { suite: "nested", classname: "k", status: "passed", duration_ms: 2000, attempt: 1 } },
    ]);
  });

  it("accepts text/xml and application/junit+xml, with a charset and a byte-order mark", async () => {
    const ws = await workspace();
    for (const type of ["text/xml; charset=utf-8", "application/junit+xml"]) {
      const xml = `\uFEFF${junit5(`suite.${type.length}`, [{ name: "t()" }])}`;
      const { answer } = await stored(ws, xml, "", { "Content-Type": type });
      expect(answer.accepted).toBe(1);
    }
  });

  it.each([
    ["with Content-Encoding: gzip", { "Content-Encoding": "gzip" }],
    ["recognised by its magic bytes", {}],
  ])("stores a gzipped report %s", async (_, encoding) => {
    const ws = await workspace();
    const xml = gotestsum([{ name: "pkg", cases: [{ name: "TestA" }, { name: "TestB" }] }]);
    const { answer, events } = await stored(ws, await gzip(xml), "", { ...XML, ...encoding });
    expect(answer.accepted).toBe(2);
    expect(events.map((e) => e.name)).toEqual(["TestA", "TestB"]);
  });
});

describe("what tests cover", () => {
  it("properties win over the name, key by key; the name fills in the rest", async () => {
    const ws = await workspace();
    const xml = pytest([
      { name: "test_x [GET /a 200] [scenario: from-name] [persona: guest]", properties: { endpoint: "/b", persona: "admin" } },
      { name: "test_y [delete /items/{id}] [Scenario:  spaced out  ]" },
      { name: "test_z [FETCH /nope] [GET nope] [persona:]" },
    ]);
    const { events } = await stored(ws, xml);
    const covers = events.map((e) => ({ endpoint: e.props["endpoint"], method: e.props["method"], response: e.props["response"], scenario: e.props["scenario"], persona: e.props["persona"] }));
    expect(covers).toEqual([
      { endpoint: "/b", method: "GET", response: 200, scenario: "from-name", persona: "admin" },
      { endpoint: "/items/{id}", method: "DELETE", response: undefined, scenario: "spaced out", persona: undefined },
      { endpoint: undefined, method: undefined, response: undefined, scenario: undefined, persona: undefined },
    ]);
  });

  it("rejects only the test whose response property is no status code, saying which test and why", async () => {
    const ws = await workspace();
    const xml = pytest([{ name: "test_ok", properties: { response: "200" } }, { name: "test_bad", properties: { response: "OK" } }]);
    const res = await postJunit(ws.id, ws.write, xml);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as IngestResponse;
    expect(answer).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: 1,
      rejections: [{ index: 1, id: expect.stringMatching(/^junit_[0-9a-f]{32}$/), path: "props.response", message: `testcase "test_bad" of "pytest": testcase property "response" must be an HTTP status code (100-599), got "OK"` }],
      warnings: [],
    });
    expect((await pullAll(ws.id, ws.read)).map((e) => e.name)).toEqual(["test_ok"]);
  });
});

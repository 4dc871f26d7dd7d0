// `tally post` with JUnit XML reports: which files are reports, the request
// to the junit endpoint with the CI run from flags or the environment, and
// how the edge's answers and refusals are reported.
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IngestResponse } from "../../shared/wire.ts";
import { apiError, ndjson, requestEvents, startEdge, tally, tempDir, WRITE, WS, type FakeEdge, type Recorded } from "./helpers.ts";

const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.ApiTest" tests="2">
  <testcase classname="com.acme.ApiTest" name="gets [GET /users/{id}]" time="0.01"/>
  <testcase classname="com.acme.ApiTest" name="fails" time="0.02"><failure message="boom"/></testcase>
</testsuite>
`;

const answer = (accepted: number, extra: Partial<IngestResponse> = {}): IngestResponse => ({ accepted, duplicates: 0, rejected: 0, rejections: [], warnings: [], ...extra });
const isJunit = (req: Recorded) => req.method === "POST" && /\/junit(\?|$)/.test(req.path);

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge.close());
beforeEach(async () => {
  edge.requests.length = 0;
  edge.queue.length = 0;
  edge.stored.clear();
  // the fake edge counts test cases the way the real one stores them: one event each
  edge.handler = (req) => (isJunit(req) ? { status: 200, body: answer((req.text.match(/<testcase/g) ?? []).length) } : undefined);
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

const post = (args: string[], env: Record<string, string | undefined> = {}, stdin?: string) =>
  tally(["post", ...args], { edge, cwd: tmp.dir, env, ...(stdin !== undefined ? { stdin } : {}) });
const query = (req: Recorded) => Object.fromEntries(new URL(req.path, "http://x").searchParams);

describe("the request", () => {
  it("posts report.xml whole, gzipped, as application/xml to the junit endpoint with the run from the flags", async () => {
    await tmp.write("report.xml", REPORT);
    const r = await post(["report.xml", "--ci", "github", "--run", "77-1", "--branch", "feature/x", "--commit", "ABC1234"]);
    expect(r.code).toBe(0);
    expect(edge.requests).toHaveLength(1);
    const req = edge.requests[0]!;
    expect(req.path).toBe(`/api/v1/workspaces/${WS}/junit?ci=github&run=77-1&branch=feature%2Fx&commit=abc1234`);
    expect(req.headers.authorization).toBe(`Bearer ${WRITE}`);
    expect(req.headers["content-type"]).toBe("application/xml");
    expect(req.headers["content-encoding"]).toBe("gzip");
    expect(req.text).toBe(REPORT);
    expect(r.stdout()).toContain("report.xml: 2 accepted, 0 duplicates, 0 rejected");
    expect(r.stdout()).toContain("total: 2 accepted, 0 duplicates, 0 rejected");
  });

  it("sends no query parameters outside CI without flags", async () => {
    await tmp.write("report.xml", REPORT);
    expect((await post(["report.xml"])).code).toBe(0);
    expect(edge.requests[0]!.path).toBe(`/api/v1/workspaces/${WS}/junit`);
  });

  it("reads the run from the CI environment, and flags win over it field by field", async () => {
    await tmp.write("report.xml", REPORT);
    const github = { GITHUB_ACTIONS: "true", GITHUB_RUN_ID: "900", GITHUB_RUN_ATTEMPT: "3", GITHUB_REF_NAME: "main", GITHUB_SHA: "deadbeef" };
    expect((await post(["report.xml"], github)).code).toBe(0);
    expect(query(edge.requests[0]!)).toEqual({ ci: "github", run: "900-3", branch: "main", commit: "deadbeef" });
    expect((await post(["report.xml", "--run", "manual", "--branch", "hotfix"], github)).code).toBe(0);
    expect(query(edge.requests[1]!)).toEqual({ ci: "github", run: "manual", branch: "hotfix", commit: "deadbeef" });
  });

  it("leaves out, with a note, a value from the environment that the edge would refuse", async () => {
    await tmp.write("report.xml", REPORT);
    const r = await post(["report.xml"], { GITLAB_CI: "true", CI_PIPELINE_ID: "12", CI_COMMIT_SHA: "not-a-sha" });
    expect(r.code).toBe(0);
    expect(query(edge.requests[0]!)).toEqual({ ci: "gitlab", run: "12" });
    expect(r.stderr()).toContain("tally: leaving out the commit found in the CI environment: commit must be a commit hash");
  });

  it("refuses a bad flag as a usage error, before anything is sent", async () => {
    await tmp.write("report.xml", REPORT);
    const r = await post(["report.xml", "--commit", "xyz"]);
    expect(r.code).toBe(2);
    expect(r.stderr()).toContain("--commit must be a commit hash");
    expect(edge.requests).toHaveLength(0);
  });
});

describe("which files are reports", () => {
  it("a .xml.gz file is decompressed and sent like a .xml one", async () => {
    await tmp.write("TEST-api.xml.gz", gzipSync(REPORT));
    const r = await post(["TEST-api.xml.gz"]);
    expect(r.code).toBe(0);
    expect(isJunit(edge.requests[0]!)).toBe(true);
    expect(edge.requests[0]!.text).toBe(REPORT);
  });

  it("content starting with < is a report whatever its name, stdin too", async () => {
    await tmp.write("results.txt", `\uFEFF\n  ${REPORT}`);
    expect((await post(["results.txt"])).code).toBe(0);
    expect((await post(["-"], {}, REPORT)).code).toBe(0);
    expect(edge.requests.map(isJunit)).toEqual([true, true]);
    expect(edge.requests[1]!.text).toBe(REPORT);
  });

  it("posts events files and reports of one command each to their own endpoint, in order", async () => {
    await tmp.write("a.ndjson", ndjson(requestEvents(2)));
    await tmp.write("b.xml", REPORT);
    await tmp.write("c.json.gz", gzipSync(JSON.stringify(requestEvents(1))));
    const r = await post(["a.ndjson", "b.xml", "c.json.gz"]);
    expect(r.code).toBe(0);
    expect(edge.requests.map((q) => new URL(q.path, "http://x").pathname.split("/").at(-1))).toEqual(["events", "junit", "events"]);
    expect(r.stdout()).toContain("total (3 files): 5 accepted, 0 duplicates, 0 rejected");
  });

  it("checks reports before sending anything: a .xml file that is not XML, one over the body limit", async () => {
    await tmp.write("ok.xml", REPORT);
    await tmp.write("notes.xml", "just text");
    await tmp.write("huge.xml", `<testsuite name="s"><testcase name="a"><system-out>${"x".repeat(1_000_000)}</system-out></testcase></testsuite>`);
    const r = await post(["ok.xml", "notes.xml", "huge.xml"]);
    expect(r.code).toBe(1);
    expect(edge.requests).toHaveLength(0);
    expect(r.stderr()).toContain('FILE: notes.xml: named .xml but does not start with "<": not an XML report');
    expect(r.stderr()).toMatch(/FILE: huge\.xml: the report is 1000\d\d\d bytes; the edge takes at most 1000000 bytes per report/);
    expect(r.stderr()).toContain("tally: nothing was posted");
  });
});

describe("the edge's answers", () => {
  it("shows rejected test events as FILE#INDEX with the edge's message, and exits 1", async () => {
    await tmp.write("report.xml", REPORT);
    const rejection = { index: 1, id: "junit_0123", path: "props.response", message: 'testcase "fails" of "com.acme.ApiTest": testcase property "response" must be an HTTP status code (100-599), got "OK"' };
    edge.queue.push({ status: 200, body: answer(1, { rejected: 1, rejections: [rejection] }) });
    const r = await post(["report.xml"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain(`report.xml#1 (id junit_0123) props.response: ${rejection.message}`);
    expect(r.stdout()).toContain("report.xml: 1 accepted, 0 duplicates, 1 rejected");
  });

  it("counts a re-post as duplicates", async () => {
    await tmp.write("report.xml", REPORT);
    edge.queue.push({ status: 200, body: answer(0, { duplicates: 2 }) });
    const r = await post(["report.xml"]);
    expect(r.code).toBe(0);
    expect(r.stdout()).toContain("report.xml: 0 accepted, 2 duplicates, 0 rejected");
  });

  it("says why a report was not stored, with the line and column, and goes on with the next file", async () => {
    await tmp.write("bad.xml", "<testsuite>\n<testcase name='a'>\n</testsuite>");
    await tmp.write("good.xml", REPORT);
    edge.queue.push(apiError(400, "invalid_xml", "the body is not well-formed XML: line 3, column 1: Expected closing tag 'testcase'", { line: 3, column: 1, reason: "InvalidTag" }));
    const r = await post(["bad.xml", "good.xml"]);
    expect(r.code).toBe(1);
    expect(edge.requests).toHaveLength(2);
    expect(r.stderr()).toContain("bad.xml: not stored: HTTP 400 invalid_xml: the body is not well-formed XML: line 3, column 1: Expected closing tag 'testcase'");
    expect(r.stderr()).toContain('details: {"line":3,"column":1,"reason":"InvalidTag"}');
    expect(r.stdout()).toContain("bad.xml: not stored");
    expect(r.stdout()).toContain("good.xml: 2 accepted");
  });

  it("retries a 503 with the same report, and stops every later file after an auth failure", async () => {
    await tmp.write("a.xml", REPORT);
    await tmp.write("b.xml", REPORT);
    edge.queue.push(apiError(503, "unavailable", "busy"));
    const first = await post(["a.xml"]);
    expect(first.code).toBe(0);
    expect(edge.requests.map((q) => q.text)).toEqual([REPORT, REPORT]);
    edge.requests.length = 0;
    edge.queue.push(apiError(403, "insufficient_scope", "this takes write or admin tokens; this is a read token"));
    const second = await post(["a.xml", "b.xml"]);
    expect(second.code).toBe(1);
    expect(edge.requests).toHaveLength(1);
    expect(second.stderr()).toContain("a.xml: not stored: HTTP 403 insufficient_scope");
    expect(second.stderr()).toContain("b.xml: not sent (stopped after an earlier failure)");
  });
});

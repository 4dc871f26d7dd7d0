// JUnit reports that are refused, each leaving the stored log untouched:
// malformed XML (with line and column), hostile DOCTYPEs, wrong roots, bodies
// and reports too large, bad tokens, content types and query parameters; and
// re-posts, which store nothing new.
import { describe, expect, it } from "vitest";
import type { IngestResponse } from "../../shared/wire.ts";
import { chunked, countEvents, createToken, expectError, gzip, pullAll, snapshot, utf8, workspace, type Ws } from "./helpers.ts";
import { billionLaughs, externalEntity, gotestsum, junit5, manyCases, postJunit, pytest, surefire } from "./junit-fixtures.ts";

const XML = { "Content-Type": "application/xml" };

/** Posts a refused report to a workspace that already holds test events and checks nothing changed. */
async function refused(post: (ws: Ws) => Promise<Response>, status: number, code: string) {
  const ws = await workspace();
  const first = await postJunit(ws.id, ws.write, junit5("seed", [{ name: "a()" }, { name: "b()" }]));
  expect(first.status).toBe(200);
  const before = await snapshot(ws.id);
  const error = await expectError(await post(ws), status, code);
  expect(await snapshot(ws.id)).toEqual(before);
  return error;
}

describe("400: not well-formed XML, with the line and column", () => {
  it.each([
    ["a mismatched closing tag", `<testsuite name="s">\n  <testcase name="a">\n  </testsuite>`, 3, 3],
    ["an unquoted attribute", `<?xml version="1.0"?>\n<testsuite name=s>\n</testsuite>`, 2, 12],
    ["a truncated document", `<testsuites>\n<testsuite name="s">\n<testcase name="a"/>\n`, 3, 21],
    ["a bare < in text", `<testsuite name="s">\n<testcase name="a"><failure>1 < 2</failure></testcase></testsuite>`, 2, 32],
  ])("refuses %s", async (_, xml, line, column) => {
    const error = await refused((ws) => postJunit(ws.id, ws.write, xml), 400, "invalid_xml");
    expect(error.details).toMatchObject({ line, column });
    expect(error.message).toContain(`line ${line}, column ${column}`);
  });

  it("says which elements a truncated report leaves open", async () => {
    const error = await refused((ws) => postJunit(ws.id, ws.write, `<testsuites>\n<testsuite name="s">\n<testcase name="a"/>`), 400, "invalid_xml");
    expect(error.message).toBe("the body is not well-formed XML: line 3, column 21: the document ends before <testsuites>, <testsuite> are closed");
  });

  it("refuses text that is not XML at all", async () => {
    const error = await refused((ws) => postJunit(ws.id, ws.write, '{"events": []}'), 400, "invalid_xml");
    expect(error.details).toMatchObject({ line: 1, column: 1 });
  });
});

describe("400: hostile documents are refused before parsing", () => {
  it("refuses billion-laughs entity expansion", async () => {
    const error = await refused((ws) => postJunit(ws.id, ws.write, billionLaughs()), 400, "xml_entities_refused");
    expect(error.details).toEqual({ line: 2, column: 1 });
    expect(error.message).toMatch(/DOCTYPE and ENTITY declarations are refused \(line 2, column 1\)/);
  });

  it("refuses an external entity to file:///etc/passwd, plain and gzipped", async () => {
    await refused((ws) => postJunit(ws.id, ws.write, externalEntity()), 400, "xml_entities_refused");
    const gz = await gzip(externalEntity());
    await refused((ws) => postJunit(ws.id, ws.write, gz, "", { ...XML, "Content-Encoding": "gzip" }), 400, "xml_entities_refused");
  });

  it("refuses an ENTITY declaration outside a DOCTYPE and a lower-case doctype", async () => {
    await refused((ws) => postJunit(ws.id, ws.write, `<testsuite name="s"><!ENTITY x "y"><testcase name="a"/></testsuite>`), 400, "xml_entities_refused");
    await refused((ws) => postJunit(ws.id, ws.write, `<!doctype testsuite>\n<testsuite name="s"><testcase name="a"/></testsuite>`), 400, "xml_entities_refused");
  });

  it("leaves an undeclared entity reference as written, never resolved", async () => {
    const ws = await workspace();
    const res = await postJunit(ws.id, ws.write, `<testsuite name="s"><testcase classname="c" name="uses &xxe; here"/></testsuite>`);
    expect(res.status).toBe(200);
    expect((await pullAll(ws.id, ws.read)).map((e) => e.name)).toEqual(["uses &xxe; here"]);
  });

  it("accepts a DOCTYPE that is only text inside CDATA or a comment", async () => {
    const ws = await workspace();
    const xml = `<!-- <!DOCTYPE x [<!ENTITY a "b">]> -->\n${surefire("s", [{ name: "t" }])}`.replace('<?xml version="1.0" encoding="UTF-8"?>\n', "");
    const res = await postJunit(ws.id, ws.write, xml);
    expect(res.status).toBe(200);
    expect(await countEvents(ws.id)).toBe(1);
  });
});

describe("400: XML that is not a JUnit report", () => {
  it.each([
    ["another root element", `<?xml version="1.0"?><project><testcase name="a"/></project>`, "project"],
    ["an HTML page", `<html><body>502 Bad Gateway</body></html>`, "html"],
  ])("refuses %s, naming the root it found", async (_, xml, root) => {
    const error = await refused((ws) => postJunit(ws.id, ws.write, xml), 400, "invalid_junit");
    expect(error.message).toContain(`found root element <${root}>`);
    expect(error.details).toEqual({ root });
  });

  it("refuses well-formed XML the parser will not read: nesting past 100 levels, a __proto__ name", async () => {
    const deep = `<testsuites>${"<testsuite>".repeat(150)}${"</testsuite>".repeat(150)}</testsuites>`;
    const e1 = await refused((ws) => postJunit(ws.id, ws.write, deep), 400, "unreadable_xml");
    expect(e1.message).toMatch(/^the report could not be read: .*nested/i);
    const proto = `<testsuite name="s"><testcase name="a"/><__proto__ polluted="yes"/></testsuite>`;
    const e2 = await refused((ws) => postJunit(ws.id, ws.write, proto), 400, "unreadable_xml");
    expect(e2.message).toContain("__proto__");
  });

  it("refuses a report without test cases", async () => {
    await refused((ws) => postJunit(ws.id, ws.write, `<testsuites><testsuite name="empty" tests="0"/></testsuites>`), 400, "empty_report");
  });

  it("refuses a body that is not UTF-8 and an empty body", async () => {
    const bad = new Uint8Array([...utf8('<testsuite name="'), 0xc3, 0x28, ...utf8('"><testcase name="a"/></testsuite>')]);
    await refused((ws) => postJunit(ws.id, ws.write, bad), 400, "invalid_encoding");
    await refused((ws) => postJunit(ws.id, ws.write, ""), 400, "empty_body");
  });

  it.each([
    ["ci", "?ci=GitHub%20Actions", "ci must be a lowercase name"],
    ["commit", "?commit=not-a-sha", "commit must be a commit hash"],
    ["run", `?run=${"r".repeat(129)}`, "run must be 1 to 128 characters without control characters"],
    ["branch", "?branch=a%0Ab", "branch must be 1 to 255 characters without control characters"],
  ])("refuses a bad %s query parameter", async (param, query, message) => {
    const error = await refused((ws) => postJunit(ws.id, ws.write, junit5("s", [{ name: "t()" }]), query), 400, "invalid_query");
    expect(error.message).toContain(message);
    expect(error.details).toMatchObject({ issues: [{ path: param }] });
  });
});

describe("413: too large", () => {
  it("refuses a body over 1,000,000 bytes, declared or streamed", async () => {
    const big = surefire("big", [{ name: "t", message: "x".repeat(1_000_100), outcome: "failed" }]);
    const e1 = await refused((ws) => postJunit(ws.id, ws.write, big), 413, "body_too_large");
    expect(e1.details).toEqual({ limit: 1_000_000 });
    await refused((ws) => postJunit(ws.id, ws.write, chunked(utf8(big))), 413, "body_too_large");
  });

  it("refuses a small gzip report that decompresses past the limit", async () => {
    const bomb = await gzip(`<testsuite name="s"><testcase name="a"><system-out>${" ".repeat(1_000_001)}</system-out></testcase></testsuite>`);
    expect(bomb.byteLength).toBeLessThan(10_000);
    const error = await refused((ws) => postJunit(ws.id, ws.write, bomb), 413, "body_too_large");
    expect(error.message).toBe("body exceeds 1000000 bytes after decompression");
  });

  it("refuses a report making more than 10,000 test events, counting reruns, and accepts 10,000 (more than one event batch)", async () => {
    const error = await refused((ws) => postJunit(ws.id, ws.write, manyCases(10_001)), 413, "batch_too_large");
    expect(error.details).toEqual({ limit: 10_000, events: 10_001 });
    // 9,999 cases, one of them with two failed reruns: 10,001 events
    const reruns = manyCases(9_999).replace('<testcase classname="many" name="case 0" time="0.001"/>', '<testcase classname="many" name="case 0"><failure/><rerunFailure/><rerunFailure/></testcase>');
    await refused((ws) => postJunit(ws.id, ws.write, reruns), 413, "batch_too_large");
    const ws = await workspace();
    const res = await postJunit(ws.id, ws.write, manyCases(10_000));
    expect(res.status).toBe(200);
    expect(await countEvents(ws.id)).toBe(10_000);
  });
});

describe("401, 403, 415", () => {
  const report = () => junit5("s", [{ name: "t()" }]);

  it("refuses a missing, unknown or read token, and another workspace's write token", async () => {
    await refused((ws) => postJunit(ws.id, undefined as unknown as string, report()), 401, "missing_token");
    await refused((ws) => postJunit(ws.id, `tly_w_${"a".repeat(32)}`, report()), 401, "invalid_token");
    await refused((ws) => postJunit(ws.id, ws.read, report()), 403, "insufficient_scope");
    const other = await workspace("other");
    await refused((ws) => postJunit(ws.id, other.write, report()), 403, "wrong_workspace");
  });

  it("accepts an admin token and a second, labelled write token", async () => {
    const ws = await workspace();
    expect((await postJunit(ws.id, ws.admin, report())).status).toBe(200);
    const ci = await createToken(ws, { kind: "write", label: "jenkins" });
    expect((await postJunit(ws.id, ci.token, junit5("s2", [{ name: "t()" }]))).status).toBe(200);
  });

  it.each([["application/json"], ["text/plain"], [""]])("refuses Content-Type %j", async (type) => {
    const error = await refused((ws) => postJunit(ws.id, ws.write, report(), "", type ? { "Content-Type": type } : {}), 415, "unsupported_media_type");
    expect(error.details).toEqual({ accepted: ["application/xml", "text/xml", "application/junit+xml"] });
  });
});

describe("re-posting", () => {
  async function post(ws: Ws, xml: string | Uint8Array, query = "", headers = XML): Promise<IngestResponse> {
    const res = await postJunit(ws.id, ws.write, xml, query, headers);
    expect(res.status).toBe(200);
    return res.json();
  }

  it("stores nothing new when the same report is posted again, plain or gzipped", async () => {
    const ws = await workspace();
    const xml = surefire("s", [{ name: "a" }, { name: "b", flaky: ["failure"] }]);
    expect(await post(ws, xml)).toMatchObject({ accepted: 3, duplicates: 0 });
    const before = await snapshot(ws.id);
    expect(await post(ws, xml)).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await post(ws, await gzip(xml))).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await snapshot(ws.id)).toEqual(before);
  });

  it("stores the reports of two legs of one CI run (a matrix shares the run id); the same report again stores nothing", async () => {
    const ws = await workspace();
    const q = "?ci=github&run=42-1";
    // node 18 and node 20 legs: the same tests, their own reports
    expect(await post(ws, pytest([{ name: "test_a" }], "2026-11-20T10:00:00+00:00"), q)).toMatchObject({ accepted: 1 });
    expect(await post(ws, pytest([{ name: "test_a" }], "2026-11-20T10:05:00+00:00"), q)).toMatchObject({ accepted: 1, duplicates: 0 });
    // a retried upload of the first leg's report
    expect(await post(ws, pytest([{ name: "test_a" }], "2026-11-20T10:00:00+00:00"), q)).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await post(ws, pytest([{ name: "test_a" }], "2026-11-20T10:05:00+00:00"), "?ci=github&run=42-2")).toMatchObject({ accepted: 1 });
    expect(await post(ws, pytest([{ name: "test_a" }], "2026-11-20T10:06:00+00:00"))).toMatchObject({ accepted: 1 });
    expect(await countEvents(ws.id)).toBe(4);
  });

  it("keeps identical test cases of one report apart", async () => {
    const ws = await workspace();
    const xml = gotestsum([{ name: "pkg", cases: [{ name: "TestSame" }, { name: "TestSame", outcome: "failed" }] }]);
    expect(await post(ws, xml)).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await pullAll(ws.id, ws.read)).map((e) => e.props["status"])).toEqual(["passed", "failed"]);
  });
});

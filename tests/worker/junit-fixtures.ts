// JUnit reports built in code, each in the shape its runner really writes:
// Maven Surefire (with flaky and rerun failures), pytest, jest-junit,
// gotestsum and JUnit 5 / Gradle. Small factories, so a test states only what
// it is about. And the request that posts them.
import { api } from "./helpers.ts";

/** `POST /junit` with the report as the body; the query carries ci, run, branch, commit. */
export function postJunit(ws: string, token: string, body: BodyInit, query = "", headers: Record<string, string> = { "Content-Type": "application/xml" }): Promise<Response> {
  return api(`/api/v1/workspaces/${ws}/junit${query}`, { method: "POST", token, headers, body });
}

/** XML-escapes attribute or text content the way the runners do. */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}

const attrs = (a: Record<string, string | number | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join("");

const props = (p: Record<string, string> | undefined, indent = "    ") =>
  p ? `${indent}<properties>\n${Object.entries(p).map(([n, v]) => `${indent}  <property name="${esc(n)}" value="${esc(v)}"/>`).join("\n")}\n${indent}</properties>\n` : "";

/** One test case as the factories take it. */
export interface CaseSpec {
  name: string;
  classname?: string;
  time?: string;
  outcome?: "passed" | "failed" | "error" | "skipped";
  message?: string;
  properties?: Record<string, string>;
  /** Surefire: failed runs before a passing one. */
  flaky?: ("failure" | "error")[];
  /** Surefire: reruns that failed again. */
  reruns?: ("failure" | "error")[];
}

/** Maven Surefire 3: a bare `<testsuite>` per test class, with reruns and stack traces in CDATA. */
export function surefire(suite: string, cases: CaseSpec[]): string {
  const body = cases
    .map((c) => {
      const inner: string[] = [];
      if (c.outcome === "failed") inner.push(`<failure message="${esc(c.message ?? "expected: <200> but was: <404>")}" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: boom\n\tat com.acme.Test.run(Test.java:42)\n]]></failure>`);
      if (c.outcome === "error") inner.push(`<error message="${esc(c.message ?? "Connection refused")}" type="java.net.ConnectException"><![CDATA[java.net.ConnectException: Connection refused\n]]></error>`);
      if (c.outcome === "skipped") inner.push(`<skipped message="${esc(c.message ?? "disabled")}"/>`);
      for (const f of c.flaky ?? []) {
        const tag = f === "failure" ? "flakyFailure" : "flakyError";
        inner.push(`<${tag} message="flaky ${f}" type="java.lang.AssertionError"><stackTrace><![CDATA[java.lang.AssertionError: flaky\n]]></stackTrace><system-out><![CDATA[attempt log]]></system-out></${tag}>`);
      }
      for (const f of c.reruns ?? []) {
        const tag = f === "failure" ? "rerunFailure" : "rerunError";
        inner.push(`<${tag} message="rerun ${f}" type="java.lang.AssertionError"><stackTrace><![CDATA[java.lang.AssertionError: again\n]]></stackTrace></${tag}>`);
      }
      inner.push(`<system-out><![CDATA[<!DOCTYPE html><html>a page the test printed</html>]]></system-out>`);
      return `  <testcase${attrs({ name: c.name, classname: c.classname ?? suite, time: c.time ?? "0.012" })}>\n${props(c.properties)}    ${inner.join("\n    ")}\n  </testcase>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="${esc(suite)}" time="1,234.5" tests="${cases.length}" errors="0" skipped="0" failures="0">
  <properties>
    <property name="java.version" value="21.0.2"/>
    <property name="surefire.rerunFailingTestsCount" value="2"/>
  </properties>
${body}
</testsuite>
`;
}

/** pytest --junitxml (xunit2): `<testsuites>` around one suite named "pytest". */
export function pytest(cases: CaseSpec[], timestamp = "2026-11-20T10:00:00.123456+00:00"): string {
  const body = cases
    .map((c) => {
      let inner = props(c.properties, "      ");
      if (c.outcome === "failed") inner += `      <failure message="${esc(c.message ?? "assert 404 == 200")}">def test():\n&gt;       assert resp.status == 200\nE       assert 404 == 200</failure>\n`;
      if (c.outcome === "error") inner += `      <error message="failed on setup with &quot;fixture 'db' not found&quot;">fixture 'db' not found</error>\n`;
      if (c.outcome === "skipped") inner += `      <skipped type="pytest.skip" message="${esc(c.message ?? "needs network")}">tests/test_api.py:12: ${esc(c.message ?? "needs network")}</skipped>\n`;
      return `    <testcase${attrs({ classname: c.classname ?? "tests.test_api", name: c.name, time: c.time ?? "0.004" })}>\n${inner}    </testcase>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">
  <testsuite name="pytest" errors="0" failures="0" skipped="0" tests="${cases.length}" time="0.321" timestamp="${timestamp}" hostname="runner-1">
${body}
  </testsuite>
</testsuites>`;
}

/** jest-junit: describe blocks as suites, classname and name both "{describe} {title}", a file attribute. */
export function jestJunit(suites: { name: string; file: string; cases: CaseSpec[] }[]): string {
  const all = suites.flatMap((s) => s.cases);
  const body = suites
    .map((s) => {
      const cases = s.cases
        .map((c) => {
          const title = `${s.name} ${c.name}`;
          let inner = props(c.properties, "      ");
          if (c.outcome === "failed") inner += `      <failure>${esc(c.message ?? "Error: expect(received).toBe(expected)\n\nExpected: 200\nReceived: 404")}</failure>\n`;
          if (c.outcome === "skipped") inner += "      <skipped/>\n";
          return `    <testcase${attrs({ classname: title, name: title, time: c.time ?? "0.003", file: s.file })}>\n${inner}    </testcase>`;
        })
        .join("\n");
      return `  <testsuite name="${esc(s.name)}" errors="0" failures="0" skipped="0" timestamp="2026-11-20T10:00:00" time="0.5" tests="${s.cases.length}">\n${cases}\n  </testsuite>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="${all.length}" failures="0" errors="0" time="1.234">
${body}
</testsuites>`;
}

/** gotestsum --junitfile: one suite per package, classname = package, tabs, `message="Failed"`. */
export function gotestsum(packages: { name: string; cases: CaseSpec[] }[]): string {
  const body = packages
    .map((p) => {
      const cases = p.cases
        .map((c) => {
          let inner = "";
          if (c.outcome === "failed") inner = `\n\t\t\t<failure message="Failed" type="">=== RUN   ${c.name}\n    api_test.go:42: got 500\n--- FAIL: ${c.name} (0.00s)\n</failure>\n\t\t`;
          if (c.outcome === "skipped") inner = `\n\t\t\t<skipped message="=== RUN   ${c.name}&#xA;    api_test.go:50: ${esc(c.message ?? "needs network")}&#xA;--- SKIP: ${c.name} (0.00s)&#xA;"></skipped>\n\t\t`;
          return `\t\t<testcase classname="${esc(p.name)}" name="${esc(c.name)}" time="${c.time ?? "0.010000"}">${inner}</testcase>`;
        })
        .join("\n");
      return `\t<testsuite tests="${p.cases.length}" failures="0" time="0.500000" name="${esc(p.name)}" timestamp="2026-11-20T10:00:00Z">\n\t\t<properties>\n\t\t\t<property name="go.version" value="go1.22.1 linux/amd64"></property>\n\t\t</properties>\n${cases}\n\t</testsuite>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${packages.reduce((n, p) => n + p.cases.length, 0)}" failures="0" errors="0" time="1.500000">\n${body}\n</testsuites>\n`;
}

/** JUnit 5's legacy XML reporter and Gradle (ant style): a bare `<testsuite>` with hostname, timestamp, properties, system-out/err. */
export function junit5(suite: string, cases: CaseSpec[], timestamp = "2026-11-20T10:00:00"): string {
  const body = cases
    .map((c) => {
      const open = `  <testcase${attrs({ name: c.name, classname: c.classname ?? suite, time: c.time ?? "0.05" })}`;
      if (c.outcome === undefined || c.outcome === "passed") {
        return `${open}>\n    <system-out><![CDATA[\nunique-id: [engine:junit-jupiter]/[class:${suite}]/[method:${c.name}]\ndisplay-name: ${c.name}\n]]></system-out>\n  </testcase>`;
      }
      const inner =
        c.outcome === "skipped"
          ? "<skipped/>"
          : `<${c.outcome === "failed" ? "failure" : "error"} message="${esc(c.message ?? "boom")}" type="java.lang.IllegalStateException">java.lang.IllegalStateException: boom\n\tat ${suite}.run(${suite}.java:7)\n</${c.outcome === "failed" ? "failure" : "error"}>`;
      return `${open}>\n    ${inner}\n  </testcase>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="${esc(suite)}" tests="${cases.length}" skipped="0" failures="0" errors="0" timestamp="${timestamp}" hostname="build-7" time="0.321">
  <properties>
    <property name="java.vendor" value="Eclipse Adoptium"/>
    <property name="file.encoding" value="UTF-8"/>
  </properties>
${body}
  <system-out><![CDATA[suite output]]></system-out>
  <system-err><![CDATA[]]></system-err>
</testsuite>
`;
}

/** The classic billion-laughs document: ten levels of tenfold entity expansion. */
export function billionLaughs(): string {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE testsuite [\n ${levels.join("\n ")}\n]>\n<testsuite name="&lol9;"><testcase name="t" classname="c"/></testsuite>`;
}

/** An external entity pointing at a local file. */
export function externalEntity(): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE testsuite [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<testsuite name="x"><testcase name="&xxe;" classname="c"/></testsuite>`;
}

/** A bare suite with `n` passing cases. */
export function manyCases(n: number, suite = "many"): string {
  const cases = Array.from({ length: n }, (_, i) => `<testcase classname="${suite}" name="case ${i}" time="0.001"/>`).join("\n");
  return `<?xml version="1.0"?>\n<testsuite name="${suite}" tests="${n}">\n${cases}\n</testsuite>`;
}

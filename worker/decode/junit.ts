/**
 * JUnit XML to plain data (shared/junit/report.ts). Hostile documents are
 * refused before the parser sees them: any DOCTYPE or ENTITY declaration (the
 * only way to entity expansion and external entities) is a 400, and the parser
 * runs with entity processing off, so only the five predefined entities and
 * character references are decoded, by us. The library's validator finds
 * malformed XML and says where.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { emptyCase, type JunitCase, type JunitDetail } from "../../shared/junit/index.ts";
import { ApiError } from "../http/api-error.ts";

type Node = Record<string, unknown>;

const ATTR = "@_";
const REPEATED = new Set([
  "testsuites",
  "testsuite",
  "testcase",
  "property",
  "failure",
  "error",
  "skipped",
  "flakyFailure",
  "flakyError",
  "rerunFailure",
  "rerunError",
]);
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** A code point XML 1.0 allows in a document: no NUL or other C0 controls but tab and newlines, no lone surrogate, nothing past U+10FFFF. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Decodes the references XML defines without a DOCTYPE; anything else (a reference to a character XML forbids too) stays as written. */
function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|(lt|gt|amp|quot|apos));/g, (whole, hex?: string, dec?: string, name?: string) => {
    if (name !== undefined) return PREDEFINED[name]!;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return isXmlChar(code) ? String.fromCodePoint(code) : whole;
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // CDATA is text as written: kept apart so entity decoding never touches it
  cdataPropName: "#cdata",
  isArray: (name) => REPEATED.has(name),
  tagValueProcessor: (name, value) => (name === "#cdata" ? value : decodeEntities(value)),
  attributeValueProcessor: (_, value) => decodeEntities(value),
});

/** 1-based line and column of a character offset. */
function place(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Refuses DOCTYPE and ENTITY declarations outside comments and CDATA (test
 * output often holds HTML with its own `<!DOCTYPE html>` in CDATA).
 */
function refuseDeclarations(text: string): void {
  for (let at = text.indexOf("<!"); at !== -1; at = text.indexOf("<!", at + 2)) {
    if (text.startsWith("<!--", at)) {
      const end = text.indexOf("-->", at + 4);
      if (end === -1) return; // unterminated: the validator reports it
      at = end;
    } else if (text.startsWith("<![CDATA[", at)) {
      const end = text.indexOf("]]>", at + 9);
      if (end === -1) return;
      at = end;
    } else if (/^<!(DOCTYPE|ENTITY)/i.test(text.slice(at, at + 9))) {
      const where = place(text, at);
      throw new ApiError(
        400,
        "xml_entities_refused",
        `DOCTYPE and ENTITY declarations are refused (line ${where.line}, column ${where.column}): entity expansion and external entities are never processed, and JUnit reports need neither`,
        where,
      );
    }
  }
}

function validate(text: string): void {
  const result = XMLValidator.validate(text);
  if (result === true) return;
  const { code, msg } = result.err;
  let { line, col } = result.err;
  let reason = msg;
  // unclosed elements come back as a list at line 1: say so, at the end, where the text stops
  const unclosed = code === "InvalidXml" && msg.startsWith("Invalid '[") ? [...msg.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
  if (unclosed.length > 0) {
    ({ line, column: col } = place(text, text.trimEnd().length));
    reason = `the document ends before ${unclosed.map((n) => `<${n}>`).join(", ")} ${unclosed.length === 1 ? "is" : "are"} closed`;
  }
  throw new ApiError(400, "invalid_xml", `the body is not well-formed XML: line ${line}, column ${col}: ${reason}`, { line, column: col, reason: code });
}

function nodes(parent: Node, name: string): Node[] {
  const value = parent[name];
  if (!Array.isArray(value)) return [];
  // an element with only text (or none) parses as a string: no attributes, no children
  return value.map((v) => (v !== null && typeof v === "object" ? (v as Node) : typeof v === "string" && v !== "" ? { "#text": v } : {}));
}

function attr(node: Node, name: string): string | undefined {
  const value = node[ATTR + name];
  return typeof value === "string" ? value : undefined;
}

function text(node: Node): string | undefined {
  const parts = [node["#text"], node["#cdata"]].filter((p): p is string => typeof p === "string");
  return parts.length > 0 ? parts.join("") : undefined;
}

function details(testcase: Node, name: string): JunitDetail[] {
  return nodes(testcase, name).map((n) => {
    const d: JunitDetail = {};
    const message = attr(n, "message") ?? text(n);
    if (message !== undefined) d.message = message;
    const type = attr(n, "type");
    if (type !== undefined) d.type = type;
    const time = attr(n, "time");
    if (time !== undefined) d.time = time;
    return d;
  });
}

function properties(node: Node): [string, string][] {
  const out: [string, string][] = [];
  const value = node["properties"];
  // one <properties> parses as an object, several as an array
  for (const group of (Array.isArray(value) ? value : [value]).filter((g): g is Node => g !== null && typeof g === "object")) {
    for (const p of nodes(group, "property")) {
      const name = attr(p, "name");
      // pytest writes multi-line values as the element's text
      const value = attr(p, "value") ?? text(p);
      if (name !== undefined && value !== undefined) out.push([name, value]);
    }
  }
  return out;
}

interface Inherited {
  suite: string;
  timestamp?: string;
}

function testcase(node: Node, from: Inherited): JunitCase {
  const c = emptyCase(attr(node, "name") ?? "", from.suite);
  const classname = attr(node, "classname");
  if (classname !== undefined) c.classname = classname;
  const time = attr(node, "time");
  if (time !== undefined) c.time = time;
  const timestamp = attr(node, "timestamp");
  if (timestamp !== undefined) c.timestamp = timestamp;
  if (from.timestamp !== undefined) c.suiteTimestamp = from.timestamp;
  const file = attr(node, "file");
  if (file !== undefined) c.file = file;
  c.properties = properties(node);
  c.failures = details(node, "failure");
  c.errors = details(node, "error");
  c.skipped = details(node, "skipped");
  c.flakyFailures = details(node, "flakyFailure");
  c.flakyErrors = details(node, "flakyError");
  c.rerunFailures = details(node, "rerunFailure");
  c.rerunErrors = details(node, "rerunError");
  return c;
}

/** A suite's cases, then those of the suites nested in it. */
function suiteCases(node: Node, outer: Inherited, out: JunitCase[]): void {
  const here: Inherited = { suite: attr(node, "name") ?? outer.suite };
  const timestamp = attr(node, "timestamp") ?? outer.timestamp;
  if (timestamp !== undefined) here.timestamp = timestamp;
  for (const c of nodes(node, "testcase")) out.push(testcase(c, here));
  for (const s of nodes(node, "testsuite")) suiteCases(s, here, out);
}

function groupCases(node: Node, out: JunitCase[]): void {
  for (const s of nodes(node, "testsuite")) suiteCases(s, { suite: "" }, out);
  for (const g of nodes(node, "testsuites")) groupCases(g, out);
}

/**
 * The test cases of a JUnit report, in document order (per suite: its cases,
 * then its nested suites). Throws a 400 ApiError naming what was wrong and
 * where.
 */
export function decodeJunit(xml: string): JunitCase[] {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  refuseDeclarations(text);
  validate(text);
  let doc: Node;
  try {
    doc = parser.parse(text) as Node;
  } catch (e) {
    // well-formed, but past the parser's guards: nesting over 100 levels, names such as __proto__
    throw new ApiError(400, "unreadable_xml", `the report could not be read: ${(e as Error).message}`);
  }
  const roots = Object.keys(doc).filter((k) => !k.startsWith("?") && k !== "#text" && k !== "#comment");
  const cases: JunitCase[] = [];
  const root = roots[0];
  if (roots.length === 1 && root === "testsuites") {
    for (const g of nodes(doc, "testsuites")) groupCases(g, cases);
  } else if (roots.length === 1 && root === "testsuite") {
    for (const s of nodes(doc, "testsuite")) suiteCases(s, { suite: "" }, cases);
  } else {
    const found = roots.length === 0 ? "no root element" : `root element <${roots.join(">, <")}>`;
    throw new ApiError(400, "invalid_junit", `a JUnit report's root element is <testsuites> or <testsuite>; found ${found}`, { root: root ?? null });
  }
  return cases;
}

// OpenAPI 3 documents, JSON and YAML, into endpoint catalog entries: shapes,
// skipped codes and their warnings, refused documents and where errors point.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseOpenApiCatalog, type OpenApiCatalog } from "../../shared/openapi.ts";

/** A document with the given paths; fields in `extra` are merged at the top level. */
function doc(paths: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { openapi: "3.0.3", info: { title: "Shop", version: "1" }, paths, ...extra };
}

function ok(result: OpenApiCatalog): Extract<OpenApiCatalog, { ok: true }> {
  if (!result.ok) throw new Error(`expected a catalog, got: ${result.error}`);
  return result;
}

function failure(result: OpenApiCatalog): string {
  if (result.ok) throw new Error(`expected an error, got ${result.entries.length} entries`);
  return result.error;
}

const shop = doc({
  "/users": {
    get: { responses: { "200": { description: "ok" }, "401": { $ref: "#/components/responses/Unauthorized" } } },
    post: { responses: { "201": { description: "made" }, "400": { description: "bad" }, "422": { description: "invalid" } } },
  },
  "/users/{id}": {
    parameters: [{ name: "id", in: "path", required: true }],
    get: { responses: { "404": { description: "none" }, "200": { description: "ok" } } },
    delete: { responses: { "204": { description: "gone" } } },
  },
});

describe("parseOpenApiCatalog: what it reads", () => {
  const expected = [
    { method: "GET", endpoint: "/users", responses: [200, 401] },
    { method: "POST", endpoint: "/users", responses: [201, 400, 422] },
    { method: "GET", endpoint: "/users/{id}", responses: [200, 404] },
    { method: "DELETE", endpoint: "/users/{id}", responses: [204] },
  ];

  it.each([
    ["JSON", JSON.stringify(shop, null, 2)],
    ["minified JSON", JSON.stringify(shop)],
    ["YAML", stringify(shop)],
    ["JSON with a byte order mark", `\uFEFF${JSON.stringify(shop)}`],
  ])("reads paths × methods × codes from %s, templates as written and codes sorted", (_, text) => {
    const result = ok(parseOpenApiCatalog(text));
    expect(result.entries).toEqual(expected);
    expect(result.title).toBe("Shop");
    expect(result.warnings).toEqual([]);
  });

  it("reads YAML written by hand: unquoted numeric codes, an unquoted 3.1 version, every method in its fixed order", () => {
    const text = `openapi: 3.1
info: {title: Ops, version: "2"}
paths:
  /health:
    trace: {responses: {200: {description: ok}}}
    head: {responses: {200: {description: ok}}}
    options: {responses: {204: {description: ok}}}
    patch: {responses: {200: {description: ok}}}
    put: {responses: {200: {description: ok}}}
    get:
      responses:
        200: {description: ok}
        503: {description: down}
`;
    const result = ok(parseOpenApiCatalog(text));
    expect(result.entries.map((e) => e.method)).toEqual(["GET", "PUT", "OPTIONS", "HEAD", "PATCH", "TRACE"]);
    expect(result.entries[0]).toEqual({ method: "GET", endpoint: "/health", responses: [200, 503] });
  });

  it("keeps servers' base paths off the endpoints", () => {
    const result = ok(parseOpenApiCatalog(JSON.stringify(doc({ "/a": { get: { responses: { "200": {} } } } }, { servers: [{ url: "https://api.example.com/v2" }] }))));
    expect(result.entries).toEqual([{ method: "GET", endpoint: "/a", responses: [200] }]);
  });

  it("skips range codes and default with one warning per kind naming where, and extensions silently", () => {
    const result = ok(
      parseOpenApiCatalog(
        JSON.stringify(
          doc({
            "/a": { get: { responses: { "200": {}, "2XX": {}, default: {}, "x-note": "mine" } } },
            "/b": { post: { responses: { "5xx": {}, default: {} } } },
            "x-internal": { whatever: true },
          }),
        ),
      ),
    );
    expect(result.entries).toEqual([
      { method: "GET", endpoint: "/a", responses: [200] },
      // nothing countable is left: the entry counts as one code
      { method: "POST", endpoint: "/b" },
    ]);
    expect(result.warnings).toEqual([
      "range codes like 2XX are not countable response codes; skipped at paths./a.get.responses.2XX, paths./b.post.responses.5xx",
      "`default` responses are not countable response codes; skipped at paths./a.get.responses.default, paths./b.post.responses.default",
    ]);
  });

  it("names five places of a warning and counts the rest", () => {
    const paths = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`/p${i}`, { get: { responses: { default: {} } } }]));
    const [warning] = ok(parseOpenApiCatalog(JSON.stringify(doc(paths)))).warnings;
    expect(warning).toContain("paths./p4.get.responses.default (and 3 more)");
    expect(warning).not.toContain("/p5");
  });

  it("warns of operations without responses, status-like keys that are not codes, and paths without a slash", () => {
    const result = ok(parseOpenApiCatalog(JSON.stringify(doc({ "/a": { get: {} }, "/b": { get: { responses: { "600": {}, "20": {} } } }, users: { get: { responses: { "200": {} } } } }))));
    expect(result.entries).toEqual([
      { method: "GET", endpoint: "/a" },
      { method: "GET", endpoint: "/b" },
    ]);
    expect(result.warnings).toEqual([
      "operations that declare no responses count as one code each, covered by any test of them: paths./a.get",
      "keys that are not status codes (100-599) were skipped at paths./b.get.responses.20, paths./b.get.responses.600",
      "path names must start with /; skipped paths.users",
    ]);
  });

  it("follows a local path-item $ref, its own operations winning, and warns of an external one", () => {
    const result = ok(
      parseOpenApiCatalog(
        JSON.stringify(
          doc(
            {
              "/users": { $ref: "#/components/pathItems/Users", delete: { responses: { "204": {} } }, get: { responses: { "200": {} } } },
              "/orders/{id}": { $ref: "#/paths/~1orders~1%7Bid%7D~1legacy" },
              "/orders/{id}/legacy": { get: { responses: { "410": {} } } },
              "/remote": { $ref: "./other.yaml#/paths/~1remote", post: { responses: { "202": {} } } },
            },
            { components: { pathItems: { Users: { get: { responses: { "500": {} } }, put: { responses: { "200": {} } } } } } },
          ),
        ),
      ),
    );
    expect(result.entries).toEqual([
      { method: "GET", endpoint: "/users", responses: [200] },
      { method: "PUT", endpoint: "/users", responses: [200] },
      { method: "DELETE", endpoint: "/users", responses: [204] },
      { method: "GET", endpoint: "/orders/{id}", responses: [410] },
      { method: "GET", endpoint: "/orders/{id}/legacy", responses: [410] },
      { method: "POST", endpoint: "/remote", responses: [202] },
    ]);
    expect(result.warnings).toEqual(["path item $refs to other documents are not followed, so only their own operations are read: paths./remote (./other.yaml#/paths/~1remote)"]);
  });

  it("accepts a document with no paths, saying the catalog would be empty", () => {
    const result = ok(parseOpenApiCatalog(JSON.stringify({ openapi: "3.1.0", info: { title: "Hooks", version: "1" }, webhooks: {} })));
    expect(result.entries).toEqual([]);
    expect(result.warnings).toEqual(["the document declares no operations: the catalog would be empty"]);
  });

  it("takes up to the config's limits: 2000 endpoints of 100 codes", () => {
    const codes = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [String(200 + i), {}]));
    const paths = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`/e${i}`, { get: { responses: i === 0 ? codes : { "200": {} } } }]));
    const result = ok(parseOpenApiCatalog(JSON.stringify(doc(paths))));
    expect(result.entries).toHaveLength(2000);
    expect(result.entries[0]!.responses).toHaveLength(100);
  });
});

describe("parseOpenApiCatalog: what it refuses", () => {
  it.each([
    ["Swagger 2.0", JSON.stringify({ swagger: "2.0", info: {}, paths: {} }), /^Swagger 2\.0 documents are not supported: convert it to OpenAPI 3/],
    ["OpenAPI 4", JSON.stringify({ openapi: "4.0.0", paths: {} }), /^openapi: version "4\.0\.0" is not supported/],
    ["a version that is an object", JSON.stringify({ openapi: { v: 3 }, paths: {} }), /^openapi: version an object is not supported/],
    ["no version", JSON.stringify({ paths: {} }), /^not an OpenAPI document: it has no `openapi` version field/],
    ["a list at the top", "- a\n- b\n", /^not an OpenAPI document: the top level is an array, not an object$/],
    ["plain text", "hello there", /^not an OpenAPI document: the top level is a string, not an object$/],
    ["empty text", "  \n", /^the document is empty$/],
    ["paths that are a list", JSON.stringify(doc([])), /^paths: must be an object of path to path item, not an array$/],
    ["a path item that is a string", JSON.stringify(doc({ "/a": "x" })), /^paths\.\/a: a path item must be an object, not a string$/],
    ["an operation that is a list", JSON.stringify(doc({ "/a": { get: [] } })), /^paths\.\/a\.get: an operation must be an object, not an array$/],
    ["responses that are a list", JSON.stringify(doc({ "/users": { get: { responses: ["200"] } } })), /^paths\.\/users\.get\.responses: must be an object of status code to response, not an array$/],
    ["a $ref to nothing", JSON.stringify(doc({ "/a": { $ref: "#/components/pathItems/Nope" } })), /^paths\.\/a\.\$ref: "#\/components\/pathItems\/Nope" names nothing in the document$/],
    ["a $ref loop", JSON.stringify(doc({ "/a": { $ref: "#/paths/~1b" }, "/b": { $ref: "#/paths/~1a" } })), /\$ref: more than 10 \$refs in a chain; is there a loop\?$/],
    ["a $ref that is a number", JSON.stringify(doc({ "/a": { $ref: 7 } })), /^paths\.\/a\.\$ref: must be a string, not a number$/],
  ])("refuses %s", (_, text, error) => {
    expect(failure(parseOpenApiCatalog(text))).toMatch(error);
  });

  it("gives the line and column of broken JSON", () => {
    const text = '{\n  "openapi": "3.0.0",\n  "paths": {\n    "/a": { "get": }\n  }\n}';
    expect(failure(parseOpenApiCatalog(text))).toBe(`invalid JSON at line 4, column 20: expected a value, found "}"`);
  });

  it("gives the end of truncated JSON", () => {
    expect(failure(parseOpenApiCatalog('{\n  "openapi": "3.0.0",\n  "paths": {'))).toBe("invalid JSON at line 3, column 13: expected a key in double quotes, found the end of the text");
  });

  it("gives the line and column of broken YAML, without the parser's quote of the source", () => {
    const error = failure(parseOpenApiCatalog("openapi: 3.0.0\npaths:\n  /a:\n    get: x\n     y: z\n"));
    expect(error).toMatch(/^invalid YAML at line 4, column \d+: /);
    expect(error).not.toContain("\n");
  });

  it("refuses duplicate YAML keys at the second one", () => {
    expect(failure(parseOpenApiCatalog("openapi: 3.0.0\npaths:\n  /a: {}\n  /a: {}\n"))).toMatch(/^invalid YAML at line 4, column 3: Map keys must be unique/);
  });

  it("refuses YAML whose aliases expand exponentially", () => {
    let text = "openapi: 3.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]\n`;
    text += "paths: {}\n";
    expect(failure(parseOpenApiCatalog(text))).toMatch(/^invalid YAML: its aliases expand too far/);
  });

  it("names the limit exceeded: more than 2000 endpoints", () => {
    const paths = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`/e${i}`, { get: { responses: { "200": {} } }, post: { responses: { "201": {} } } }]));
    expect(failure(parseOpenApiCatalog(JSON.stringify(doc(paths))))).toBe("the document declares 2002 operations; a catalog holds at most 2000 endpoints");
  });

  it("names the limit exceeded: more than 100 codes on one operation", () => {
    const codes = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [String(200 + i), {}]));
    const text = JSON.stringify(doc({ "/ok": { get: { responses: { "200": {} } } }, "/big": { get: { responses: { "200": {} } }, put: { responses: codes } } }));
    expect(failure(parseOpenApiCatalog(text))).toBe("paths./big.put.responses declares 101 response codes; an endpoint holds at most 100 response codes");
  });

  it("names the limit exceeded: a path longer than the catalog keeps", () => {
    const long = `/${"a".repeat(600)}`;
    expect(failure(parseOpenApiCatalog(JSON.stringify(doc({ [long]: { get: { responses: { "200": {} } } } }))))).toBe(
      `paths.${long}.get: the path is too long: endpoints are limited to 512 characters`,
    );
  });
});

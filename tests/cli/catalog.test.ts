// `tally catalog import`: an OpenAPI file into config key endpoint_catalog,
// merged or replaced, with what changed; refused documents write nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { configPatchRequest, type WorkspaceConfig } from "../../shared/config.ts";
import type { ConfigPatchResponse, ConfigResponse } from "../../shared/wire.ts";
import { ADMIN, WS, apiError, startEdge, tally, tempDir, type FakeEdge } from "./helpers.ts";

const configPath = `/api/v1/workspaces/${WS}/config`;

/** The workspace's config as the fake edge holds it; the real patch schema checks every write. */
let config: WorkspaceConfig = {};
let version = 0;
/** Set to have the next write find a newer version than the one read, as after someone else's edit. */
let bumpBeforeWrite = false;

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
  edge = await startEdge((req) => {
    if (req.path !== configPath) return undefined;
    // the CLI reads only the catalog's version
    if (req.method === "GET") return { status: 200, body: { config, versions: { endpoint_catalog: version } as Partial<ConfigResponse["versions"]> } };
    if (req.method === "PATCH") {
      const parsed = configPatchRequest.safeParse(req.json);
      if (!parsed.success) return apiError(400, "invalid_body", parsed.error.issues[0]!.message);
      if (bumpBeforeWrite) version++;
      const before = version;
      config = { ...config, endpoint_catalog: parsed.data.set.endpoint_catalog! };
      version++;
      const base = parsed.data.base_versions?.endpoint_catalog;
      const overwritten = base !== undefined && base !== before ? [{ key: "endpoint_catalog" as const, base_version: base, replaced_version: before }] : [];
      return { status: 200, body: { config, versions: { endpoint_catalog: version }, changed: ["endpoint_catalog"], overwritten } as unknown as ConfigPatchResponse };
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
  config = {};
  version = 0;
  bumpBeforeWrite = false;
});

const run = (args: string[], stdin?: string) => tally(args, { edge, cwd: tmp.dir, token: ADMIN, ...(stdin === undefined ? {} : { stdin }) });

const shop = {
  openapi: "3.0.3",
  info: { title: "Shop", version: "1" },
  paths: {
    "/users": { get: { responses: { "200": {}, "401": {}, default: {} } }, post: { responses: { "201": {}, "400": {} } } },
    "/users/{id}": { get: { responses: { "200": {}, "404": {} } } },
  },
};
const shopEntries = [
  { method: "GET", endpoint: "/users", responses: [200, 401] },
  { method: "POST", endpoint: "/users", responses: [201, 400] },
  { method: "GET", endpoint: "/users/{id}", responses: [200, 404] },
];

const patches = () => edge.requests.filter((r) => r.method === "PATCH");

describe("catalog import", () => {
  it("writes a YAML document's operations with the admin token, based on the version read, and says what it did", async () => {
    await tmp.write("shop.yaml", stringify(shop));
    const r = await run(["catalog", "import", "shop.yaml"]);
    expect(r.stderr()).toContain("tally: shop.yaml: warning: `default` responses are not countable response codes; skipped at paths./users.get.responses.default");
    expect(r.code).toBe(0);
    const [patch] = patches();
    expect(patch!.headers.authorization).toBe(`Bearer ${ADMIN}`);
    expect(patch!.json).toEqual({ set: { endpoint_catalog: shopEntries }, base_versions: { endpoint_catalog: 0 } });
    expect(r.stdout()).toContain(`Imported "Shop" from shop.yaml: 3 endpoints, 6 response codes.`);
    expect(r.stdout()).toContain("Catalog now: 3 endpoints, 6 response codes (version 1).");
    expect(r.stdout()).toContain("3 added, 0 changed, 0 removed, 0 unchanged");
    expect(r.stdout()).toContain("  + GET /users/{id}  200 404");
  });

  it("merges into the stored catalog by default: updates listed endpoints, keeps others, appends new ones", async () => {
    config = {
      endpoint_catalog: [
        { method: "GET", endpoint: "/health" },
        { method: "GET", endpoint: "/users", responses: [200] },
        { method: "POST", endpoint: "/users", responses: [201, 400] },
      ],
    };
    version = 4;
    await tmp.write("shop.json", JSON.stringify(shop));
    const r = await run(["catalog", "import", "shop.json"]);
    expect(r.code).toBe(0);
    expect(patches()[0]!.json).toEqual({
      set: { endpoint_catalog: [{ method: "GET", endpoint: "/health" }, ...shopEntries] },
      base_versions: { endpoint_catalog: 4 },
    });
    expect(r.stdout()).toContain("1 added, 1 changed, 0 removed, 2 unchanged; 1 endpoint the document does not list kept (--replace drops them)");
    expect(r.stdout()).toContain("  ~ GET /users  200 -> 200 401");
  });

  it("--replace makes the catalog exactly the document's", async () => {
    config = { endpoint_catalog: [{ method: "GET", endpoint: "/health" }, { method: "GET", endpoint: "/users", responses: [200, 401] }] };
    await tmp.write("shop.json", JSON.stringify(shop));
    const r = await run(["catalog", "import", "shop.json", "--replace"]);
    expect(r.code).toBe(0);
    expect(patches()[0]!.json.set.endpoint_catalog).toEqual(shopEntries);
    expect(r.stdout()).toContain("2 added, 0 changed, 1 removed, 1 unchanged");
    expect(r.stdout()).toContain("  - GET /health  (no codes)");
  });

  it("writes nothing when the stored catalog already matches", async () => {
    config = { endpoint_catalog: shopEntries };
    const r = await run(["catalog", "import", "-"], JSON.stringify(shop));
    expect(r.code).toBe(0);
    expect(patches()).toHaveLength(0);
    expect(r.stdout()).toContain(`Read "Shop" from stdin: 3 endpoints, 6 response codes.`);
    expect(r.stdout()).toContain("already matches; nothing written");
  });

  it("--dry-run shows the change and writes nothing", async () => {
    await tmp.write("shop.json", JSON.stringify(shop));
    const r = await run(["catalog", "import", "shop.json", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(patches()).toHaveLength(0);
    expect(r.stdout()).toContain("Dry run: nothing written.");
    expect(r.stdout()).toContain("3 added");
  });

  it("prints one JSON document with --json, warnings included", async () => {
    await tmp.write("shop.json", JSON.stringify(shop));
    const r = await run(["catalog", "import", "shop.json", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr()).toBe("");
    const out = JSON.parse(r.stdout());
    expect(out).toMatchObject({ file: "shop.json", title: "Shop", endpoints: 3, response_codes: 6, written: true, version: 1, kept: 0, overwritten: null });
    expect(out.added).toEqual(shopEntries);
    expect(out.warnings).toHaveLength(1);
  });

  it("warns when someone else's change to the catalog was replaced", async () => {
    bumpBeforeWrite = true;
    await tmp.write("shop.json", JSON.stringify(shop));
    const r = await run(["catalog", "import", "shop.json"]);
    expect(r.code).toBe(0);
    expect(r.stderr()).toContain("the catalog changed while importing (version 0 was read, 1 replaced)");
  });

  it.each([
    ["a Swagger 2.0 document", "old.json", JSON.stringify({ swagger: "2.0", paths: {} }), "tally: old.json: Swagger 2.0 documents are not supported"],
    ["broken YAML, with line and column", "bad.yaml", "openapi: 3.0.0\npaths:\n  /a: {get: \n", "tally: bad.yaml: invalid YAML at line "],
    ["a document without operations", "empty.json", JSON.stringify({ openapi: "3.1.0", info: { title: "x", version: "1" } }), "tally: empty.json declares no operations; nothing to import"],
    ["a file that is not UTF-8", "latin.yaml", Buffer.from([0x6f, 0x70, 0x65, 0x6e, 0xe9, 0xff]), "tally: latin.yaml: not valid UTF-8"],
  ])("refuses %s before touching the edge", async (_, file, content, message) => {
    await tmp.write(file, content);
    const r = await run(["catalog", "import", file]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain(message);
    expect(edge.requests).toHaveLength(0);
  });

  it("says a missing file is missing", async () => {
    const r = await run(["catalog", "import", "nope.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("tally: cannot read nope.yaml: no such file");
  });

  it("refuses a merge that would exceed the catalog's limit, pointing at --replace", async () => {
    config = { endpoint_catalog: Array.from({ length: 1999 }, (_, i) => ({ method: "GET", endpoint: `/old/${i}` })) };
    await tmp.write("shop.json", JSON.stringify(shop));
    const r = await run(["catalog", "import", "shop.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("the merged catalog would hold 2002 endpoints; a catalog holds at most 2000 endpoints (--replace imports the document alone)");
    expect(patches()).toHaveLength(0);
  });

  it("reports the edge's refusal, e.g. a token that is not an admin's", async () => {
    edge.queue.push({ status: 200, body: { config: {}, versions: { endpoint_catalog: 0 } } }, apiError(403, "insufficient_scope", "this takes admin tokens; this is a read token"));
    await tmp.write("shop.json", JSON.stringify(shop));
    const r = await run(["catalog", "import", "shop.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("tally: could not write the endpoint catalog: HTTP 403 insufficient_scope: this takes admin tokens; this is a read token");
    expect(r.stderr()).toContain("pass an admin token with --token");
    expect(patches()).toHaveLength(1);
  });

  it("says how large a write the edge refused as too large was", async () => {
    edge.queue.push({ status: 200, body: { config: {}, versions: { endpoint_catalog: 0 } } }, apiError(413, "body_too_large", "body exceeds 16384 bytes"));
    await tmp.write("shop.json", JSON.stringify(shop));
    const r = await run(["catalog", "import", "shop.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("tally: could not write the endpoint catalog: HTTP 413 body_too_large: body exceeds 16384 bytes");
    expect(r.stderr()).toMatch(/the write was \d+ bytes of JSON for 3 endpoints/);
  });

  it("needs a FILE", async () => {
    const r = await run(["catalog", "import"]);
    expect(r.code).toBe(2);
    expect(r.stderr()).toContain("missing FILE");
  });
});

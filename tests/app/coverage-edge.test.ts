// The Coverage view's calls to the edge, against a fake edge: the coverage
// config keys read and checked, the catalog written whole with the admin
// token and the version it was read at, and every refusal a named error.
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, type ConfigVersions } from "../../shared/config.ts";
import type { ConfigPatchRequest, ConfigPatchResponse, ConfigResponse } from "../../shared/wire.ts";
import { EdgeError, EdgeOfflineError } from "../../app/src/data/edge-call.ts";
import { fetchCoverageConfig, importCatalog, readCoverageConfig, saveCatalog } from "../../app/src/views/coverage-edge.ts";
import { loadCachedCoverageConfig, saveCachedCoverageConfig } from "../../app/src/views/coverage-config-cache.ts";
import { errorResponse } from "./helpers.ts";

const WS = { id: "ws_1", apiBase: "http://edge.test/", key: "tly_r_read" };
const ADMIN = "tly_a_admin";
const CATALOG = [
  { method: "GET", endpoint: "/users/{id}", responses: [200, 404] },
  { method: "POST", endpoint: "/users" },
];

function versions(catalog: number): ConfigVersions {
  return { ...(Object.fromEntries(CONFIG_KEYS.map((k) => [k, 0])) as ConfigVersions), endpoint_catalog: catalog };
}

interface Seen {
  method: string;
  path: string;
  auth: string | null;
  body: unknown;
}

function edge(answer: (req: Seen) => Response | Error): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const req: Seen = { method: init?.method ?? "GET", path: url.pathname, auth: new Headers(init?.headers).get("authorization"), body: init?.body ? JSON.parse(String(init.body)) : null };
      seen.push(req);
      const out = answer(req);
      if (out instanceof Error) throw out;
      return out;
    },
  };
}

const STORED: ConfigResponse = {
  config: { endpoint_catalog: CATALOG, personas: ["admin", "guest"], scenarios: ["happy"], thresholds: { coverage_min: 90 }, retention_days: { request: 30 } },
  versions: versions(4),
};

describe("fetchCoverageConfig", () => {
  it("reads the coverage keys and the catalog's version with the read token", async () => {
    const e = edge(() => Response.json(STORED));
    expect(await fetchCoverageConfig(WS, undefined, e.fetch)).toEqual({ catalog: CATALOG, personas: ["admin", "guest"], scenarios: ["happy"], thresholds: { coverage_min: 90 }, catalogVersion: 4 });
    expect(e.seen).toEqual([{ method: "GET", path: "/api/v1/workspaces/ws_1/config", auth: "Bearer tly_r_read", body: null }]);
  });

  it("gives empty lists for keys never written", async () => {
    const e = edge(() => Response.json({ config: {}, versions: versions(0) }));
    expect(await fetchCoverageConfig(WS, undefined, e.fetch)).toEqual({ catalog: [], personas: [], scenarios: [], thresholds: {}, catalogVersion: 0 });
  });

  it("names the stored key that no longer fits the schema", () => {
    const bad = { config: { endpoint_catalog: [{ method: "GET", endpoint: "/x", responses: [42] }] }, versions: versions(1) };
    expect(() => readCoverageConfig(bad)).toThrow(/endpoint_catalog\.0\.responses\.0.*status code/);
    expect(() => readCoverageConfig({ config: {} })).toThrow(/not the API's shape/);
    expect(() => readCoverageConfig("<html>")).toThrow(EdgeError);
  });

  it("turns a refusal into EdgeError and an unreachable edge into EdgeOfflineError", async () => {
    await expect(fetchCoverageConfig(WS, undefined, edge(() => errorResponse(401, "unauthorized", "token revoked")).fetch)).rejects.toMatchObject({ name: "EdgeError", status: 401, code: "unauthorized" });
    await expect(fetchCoverageConfig(WS, undefined, edge(() => new TypeError("Failed to fetch")).fetch)).rejects.toBeInstanceOf(EdgeOfflineError);
  });
});

describe("saveCatalog", () => {
  const patched = (changed: boolean, overwritten: ConfigPatchResponse["overwritten"] = []): ConfigPatchResponse => ({
    config: { ...STORED.config, endpoint_catalog: [CATALOG[1]!] },
    versions: versions(changed ? 5 : 4),
    changed: changed ? ["endpoint_catalog"] : [],
    overwritten,
  });

  it("PATCHes endpoint_catalog whole with the admin token and the version it was based on", async () => {
    const e = edge(() => Response.json(patched(true)));
    const outcome = await saveCatalog(WS, ADMIN, [CATALOG[1]!], 4, e.fetch);
    expect(outcome).toEqual({ kind: "saved", changed: true, config: { catalog: [CATALOG[1]], personas: ["admin", "guest"], scenarios: ["happy"], thresholds: { coverage_min: 90 }, catalogVersion: 5 } });
    const body: ConfigPatchRequest = { set: { endpoint_catalog: [CATALOG[1]!] }, base_versions: { endpoint_catalog: 4 } };
    expect(e.seen).toEqual([{ method: "PATCH", path: "/api/v1/workspaces/ws_1/config", auth: `Bearer ${ADMIN}`, body }]);
  });

  it("says when the same catalog was imported again (nothing changed)", async () => {
    const outcome = await saveCatalog(WS, ADMIN, [CATALOG[1]!], 4, edge(() => Response.json(patched(false))).fetch);
    expect(outcome).toMatchObject({ kind: "saved", changed: false });
  });

  it("says when the import replaced a catalog written by someone else meanwhile", async () => {
    const outcome = await saveCatalog(WS, ADMIN, [CATALOG[1]!], 2, edge(() => Response.json(patched(true, [{ key: "endpoint_catalog", base_version: 2, replaced_version: 4 }]))).fetch);
    expect(outcome).toMatchObject({ kind: "replaced", replacedVersion: 4 });
  });

  it("passes the edge's 400 with its issues, and a refused token as 403", async () => {
    const issues = { issues: [{ path: "set.endpoint_catalog.0.method", message: "must not be empty" }] };
    await expect(saveCatalog(WS, ADMIN, CATALOG, 4, edge(() => Response.json({ error: { code: "invalid_body", message: "the request body is invalid", details: issues } }, { status: 400 })).fetch)).rejects.toMatchObject({ status: 400, details: issues });
    await expect(saveCatalog(WS, "tly_a_wrong", CATALOG, 4, edge(() => errorResponse(403, "forbidden", "admin token required")).fetch)).rejects.toMatchObject({ status: 403 });
  });
});

describe("importCatalog", () => {
  const DOC = [
    { method: "GET", endpoint: "/users/{id}", responses: [200, 404, 410] },
    { method: "GET", endpoint: "/health" },
  ];
  /** An edge whose stored catalog is CATALOG at version 7 (newer than any page showed), answering the PATCH with what it was sent. */
  const stored = () =>
    edge((req) => {
      if (req.method === "GET") return Response.json({ ...STORED, versions: versions(7) });
      const set = (req.body as ConfigPatchRequest).set;
      return Response.json({ config: { ...STORED.config, endpoint_catalog: set.endpoint_catalog ?? [] }, versions: versions(8), changed: ["endpoint_catalog"], overwritten: [] } satisfies ConfigPatchResponse);
    });

  it("merges onto the catalog read afresh with the admin token, and writes based on that version", async () => {
    const e = stored();
    const outcome = await importCatalog(WS, ADMIN, DOC, false, e.fetch);
    const merged = [DOC[0], CATALOG[1], DOC[1]];
    expect(e.seen.map((s) => [s.method, s.auth])).toEqual([
      ["GET", `Bearer ${ADMIN}`],
      ["PATCH", `Bearer ${ADMIN}`],
    ]);
    expect(e.seen[1]!.body).toEqual({ set: { endpoint_catalog: merged }, base_versions: { endpoint_catalog: 7 } });
    expect(outcome).toMatchObject({ kind: "saved", changed: true, config: { catalog: merged, catalogVersion: 8 } });
    expect(outcome.plan.change.added).toEqual([DOC[1]]);
    expect(outcome.plan.change.changed).toEqual([{ method: "GET", endpoint: "/users/{id}", before: [200, 404], after: [200, 404, 410] }]);
    expect(outcome.plan.change.removed).toEqual([]);
  });

  it("replaces the catalog when asked, saying what was removed", async () => {
    const e = stored();
    const outcome = await importCatalog(WS, ADMIN, DOC, true, e.fetch);
    expect((e.seen[1]!.body as ConfigPatchRequest).set.endpoint_catalog).toEqual(DOC);
    expect(outcome.plan.change.removed).toEqual([CATALOG[1]]);
  });

  it("writes nothing when the merged catalog would not fit the config", async () => {
    const e = edge(() => Response.json({ config: { endpoint_catalog: Array.from({ length: 1999 }, (_, i) => ({ method: "GET", endpoint: `/e${i}` })) }, versions: versions(3) }));
    await expect(importCatalog(WS, ADMIN, DOC, false, e.fetch)).rejects.toMatchObject({ status: 400, code: "invalid_catalog", message: expect.stringMatching(/at most 2000 endpoints/) });
    expect(e.seen.map((s) => s.method)).toEqual(["GET"]);
  });
});

describe("the kept copy", () => {
  function memoryStorage(): Storage {
    const map = new Map<string, string>();
    return {
      get length() {
        return map.size;
      },
      clear: () => map.clear(),
      getItem: (k) => map.get(k) ?? null,
      key: (i) => [...map.keys()][i] ?? null,
      removeItem: (k) => void map.delete(k),
      setItem: (k, v) => void map.set(k, v),
    };
  }

  it("round-trips per workspace and refuses a copy that no longer fits", () => {
    const store = memoryStorage();
    const config = readCoverageConfig(STORED);
    saveCachedCoverageConfig("ws_1", config, 1234, store);
    expect(loadCachedCoverageConfig("ws_1", store)).toEqual({ config, fetchedAt: 1234 });
    expect(loadCachedCoverageConfig("ws_2", store)).toBeNull();
    store.setItem("tally:coverage-config:ws_3", JSON.stringify({ value: { ...config, personas: [1] }, fetchedAt: 1 }));
    expect(loadCachedCoverageConfig("ws_3", store)).toBeNull();
    store.setItem("tally:coverage-config:ws_4", "{not json");
    expect(loadCachedCoverageConfig("ws_4", store)).toBeNull();
  });
});

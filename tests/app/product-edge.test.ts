// The Product view's config from the edge, against a fake edge: the
// experiments and funnels keys read with the read token and checked with the
// shared schemas (a bad stored value names its key and place), one key
// written with the admin token based on the version read, conflicts
// reported; and the kept copy, checked again when read, and its zod-free
// reading for the Overview.
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, type ConfigVersions } from "../../shared/config.ts";
import type { ConfigPatchRequest, ConfigPatchResponse, ConfigResponse } from "../../shared/wire.ts";
import { EdgeError, EdgeOfflineError } from "../../app/src/data/edge-call.ts";
import { loadCachedProductConfig, saveCachedProductConfig } from "../../app/src/views/product-config-cache.ts";
import { fetchProductConfig, readProductConfig, saveProductKey, type ProductConfig } from "../../app/src/views/product-edge.ts";
import { fetchProductSettings, keptProductSettings, overviewSettings, writeKeptProductConfig } from "../../app/src/views/product-kept.ts";
import { NO_SETTINGS } from "../../app/src/panels/product.ts";
import { forgetKeptCopies } from "../../app/src/views/kept-copies.ts";
import { errorResponse } from "./helpers.ts";

const WS = { id: "ws_1", apiBase: "http://edge.test", key: "tly_r_read" };
const ADMIN = "tly_a_admin";
const FUNNELS = [{ name: "Checkout", steps: [{ name: "cart" }, { name: "paid", props: { plan: "pro" } }], window_hours: 24 }];
const EXPERIMENTS = [{ experiment: "pricing", control: "a", goal: { name: "signup" } }];

function versions(experiments: number, funnels: number): ConfigVersions {
  return { ...(Object.fromEntries(CONFIG_KEYS.map((k) => [k, 0])) as ConfigVersions), experiments, funnels };
}

const STORED: ConfigResponse = { config: { experiments: EXPERIMENTS, funnels: FUNNELS, personas: ["admin"] }, versions: versions(2, 5) };

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

class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

describe("fetchProductConfig", () => {
  it("reads experiments, funnels and their versions with the read token", async () => {
    const e = edge(() => Response.json(STORED));
    expect(await fetchProductConfig(WS, undefined, e.fetch)).toEqual({ experiments: EXPERIMENTS, funnels: FUNNELS, versions: { experiments: 2, funnels: 5 } });
    expect(e.seen).toEqual([{ method: "GET", path: "/api/v1/workspaces/ws_1/config", auth: "Bearer tly_r_read", body: null }]);
  });

  it("gives empty lists for keys never written", () => {
    expect(readProductConfig({ config: {}, versions: versions(0, 0) })).toEqual({ experiments: [], funnels: [], versions: { experiments: 0, funnels: 0 } });
  });

  it("names the stored key and place that no longer fit the schema", () => {
    const bad = (config: Record<string, unknown>) => () => readProductConfig({ config, versions: versions(1, 1) });
    expect(bad({ funnels: [{ name: "One step", steps: [{ name: "a" }], window_hours: 1 }] })).toThrow(/funnels\[0\]\.steps.*at least 2 steps/);
    expect(bad({ funnels: [{ ...FUNNELS[0], window_hours: 0 }] })).toThrow(/funnels\[0\]\.window_hours/);
    expect(bad({ experiments: [EXPERIMENTS[0], EXPERIMENTS[0]] })).toThrow(/experiments\[1\]\.experiment.*listed twice/);
    expect(bad({ experiments: "pricing" })).toThrow(/stored config key experiments does not fit/);
    expect(() => readProductConfig({ config: {}, versions: { funnels: "5" } })).toThrow(/not the API's shape/);
    expect(() => readProductConfig(null)).toThrow(EdgeError);
  });

  it("turns a refusal into EdgeError and an unreachable edge into EdgeOfflineError", async () => {
    await expect(fetchProductConfig(WS, undefined, edge(() => errorResponse(401, "unauthorized", "token revoked")).fetch)).rejects.toMatchObject({ name: "EdgeError", status: 401 });
    await expect(fetchProductConfig(WS, undefined, edge(() => new TypeError("Failed to fetch")).fetch)).rejects.toBeInstanceOf(EdgeOfflineError);
  });
});

describe("saveProductKey", () => {
  const NEXT = [{ name: "Signup", steps: [{ name: "visit" }, { name: "signup" }], window_hours: 2 }];
  /** An edge storing STORED at `funnelsVersion`, answering a PATCH with what it was sent. */
  const stored = (funnelsVersion: number, overwritten: ConfigPatchResponse["overwritten"] = []) =>
    edge((req) => {
      if (req.method === "GET") return Response.json({ ...STORED, versions: versions(2, funnelsVersion) });
      const set = (req.body as ConfigPatchRequest).set;
      return Response.json({ config: { ...STORED.config, funnels: set.funnels ?? [] }, versions: versions(2, funnelsVersion + 1), changed: ["funnels"], overwritten } satisfies ConfigPatchResponse);
    });

  it("reads afresh with the admin token, then PATCHes the key whole based on the version the form started from", async () => {
    const e = stored(5);
    const outcome = await saveProductKey(WS, ADMIN, "funnels", NEXT, 5, e.fetch);
    expect(outcome).toEqual({ kind: "saved", config: { experiments: EXPERIMENTS, funnels: NEXT, versions: { experiments: 2, funnels: 6 } } });
    expect(e.seen.map((s) => [s.method, s.auth])).toEqual([
      ["GET", `Bearer ${ADMIN}`],
      ["PATCH", `Bearer ${ADMIN}`],
    ]);
    expect(e.seen[1]!.body).toEqual({ set: { funnels: NEXT }, base_versions: { funnels: 5 } });
  });

  it("writes nothing when the key changed since the form read it", async () => {
    const e = stored(7);
    const outcome = await saveProductKey(WS, ADMIN, "funnels", NEXT, 5, e.fetch);
    expect(outcome).toMatchObject({ kind: "conflict", written: false, config: { versions: { funnels: 7 } } });
    expect(e.seen.map((s) => s.method)).toEqual(["GET"]);
  });

  it("says when a write raced another admin's and replaced it, and counts a 409 as a conflict", async () => {
    expect(await saveProductKey(WS, ADMIN, "funnels", NEXT, 5, stored(5, [{ key: "funnels", base_version: 5, replaced_version: 6 }]).fetch)).toMatchObject({ kind: "conflict", written: true });
    const refusing = edge((req) => (req.method === "GET" ? Response.json(STORED) : errorResponse(409, "conflict", "stale")));
    expect(await saveProductKey(WS, ADMIN, "funnels", NEXT, 5, refusing.fetch)).toEqual({ kind: "conflict", config: null, written: false });
  });

  it("passes a refused token and the edge's 400 on as EdgeError", async () => {
    await expect(saveProductKey(WS, "tly_a_wrong", "experiments", [], 2, edge(() => errorResponse(403, "forbidden", "admin token required")).fetch)).rejects.toMatchObject({ status: 403 });
    const issues = { issues: [{ path: "set.funnels[0].window_hours", message: "must be finite" }] };
    const bad = edge((req) => (req.method === "GET" ? Response.json(STORED) : Response.json({ error: { code: "invalid_body", message: "invalid", details: issues } }, { status: 400 })));
    await expect(saveProductKey(WS, ADMIN, "funnels", NEXT, 5, bad.fetch)).rejects.toMatchObject({ status: 400, details: issues });
  });
});

describe("the kept copy", () => {
  const CONFIG: ProductConfig = { experiments: EXPERIMENTS, funnels: FUNNELS, versions: { experiments: 2, funnels: 5 } };

  it("comes back as kept, and is removed with the workspace's other copies", () => {
    const store = new MemoryStorage();
    saveCachedProductConfig("ws_1", CONFIG, 1234, store);
    expect(loadCachedProductConfig("ws_1", store)).toEqual({ config: CONFIG, fetchedAt: 1234 });
    expect(keptProductSettings("ws_1", store)).toMatchObject({ experiments: EXPERIMENTS, funnels: FUNNELS });
    forgetKeptCopies("ws_1", [store]);
    expect(loadCachedProductConfig("ws_1", store)).toBeNull();
  });

  it("counts as none when unreadable or no longer fitting the schemas", () => {
    const store = new MemoryStorage();
    const keep = (value: unknown) => writeKeptProductConfig("ws_1", value, 1, store);
    store.setItem("tally:product-config:ws_1", "{not json");
    expect(loadCachedProductConfig("ws_1", store)).toBeNull();
    keep({ ...CONFIG, funnels: [{ name: "x", steps: [{ name: "a" }], window_hours: 1 }] });
    expect(loadCachedProductConfig("ws_1", store)).toBeNull();
    keep({ ...CONFIG, experiments: [{ experiment: 42 }] });
    expect(loadCachedProductConfig("ws_1", store)).toBeNull();
    store.setItem("tally:product-config:ws_1", JSON.stringify({ value: CONFIG }));
    expect(loadCachedProductConfig("ws_1", store)).toBeNull();
  });

  it("gives the Overview the settings only when shaped as the worker reads them", () => {
    const store = new MemoryStorage();
    const keep = (value: unknown) => writeKeptProductConfig("ws_1", value, 1, store);
    expect(keptProductSettings("ws_1", store)).toBeNull();
    keep({ ...CONFIG, funnels: [{ name: "x", steps: "a,b", window_hours: 1 }] });
    expect(keptProductSettings("ws_1", store)).toBeNull();
    keep({ ...CONFIG, funnels: [{ ...FUNNELS[0], window_hours: -1 }] });
    expect(keptProductSettings("ws_1", store)).toBeNull();
    keep({ ...CONFIG, experiments: [{ experiment: "p", goal: { props: {} } }] });
    expect(keptProductSettings("ws_1", store)).toBeNull();
    keep([]);
    expect(keptProductSettings("ws_1", store)).toBeNull();
  });
});

describe("the Overview's settings", () => {
  it("fetches the experiments and funnels keys with the read token, checked by hand", async () => {
    const e = edge(() => Response.json(STORED));
    expect(await fetchProductSettings(WS, e.fetch)).toEqual({ experiments: EXPERIMENTS, funnels: FUNNELS });
    expect(e.seen).toEqual([{ method: "GET", path: "/api/v1/workspaces/ws_1/config", auth: "Bearer tly_r_read", body: null }]);
  });

  it("counts keys never written as empty", async () => {
    const e = edge(() => Response.json({ config: { personas: ["admin"] }, versions: versions(0, 0) }));
    expect(await fetchProductSettings(WS, e.fetch)).toEqual(NO_SETTINGS);
  });

  it("gives null, never a throw, when offline, refused, misshapen or without an edge", async () => {
    expect(await fetchProductSettings(WS, edge(() => new TypeError("Failed to fetch")).fetch)).toBeNull();
    expect(await fetchProductSettings(WS, edge(() => errorResponse(401, "unauthorized", "bad token")).fetch)).toBeNull();
    expect(await fetchProductSettings(WS, edge(() => new Response("not json")).fetch)).toBeNull();
    expect(await fetchProductSettings(WS, edge(() => Response.json({ config: { funnels: [{ name: "x", steps: "a", window_hours: 1 }] } })).fetch)).toBeNull();
    const none = edge(() => Response.json(STORED));
    expect(await fetchProductSettings({ ...WS, apiBase: "" }, none.fetch)).toBeNull();
    expect(none.seen).toEqual([]);
  });

  it("uses fetched settings, else the kept copy, else defaults said to be defaults", () => {
    const store = new MemoryStorage();
    const fetched = { experiments: EXPERIMENTS, funnels: [] };
    expect(overviewSettings(null, "ws_1", store)).toEqual({ settings: NO_SETTINGS, defaults: true });
    writeKeptProductConfig("ws_1", { experiments: [], funnels: FUNNELS, versions: { experiments: 0, funnels: 1 } }, 1, store);
    expect(overviewSettings(null, "ws_1", store)).toEqual({ settings: { experiments: [], funnels: FUNNELS }, defaults: false });
    expect(overviewSettings(fetched, "ws_1", store)).toEqual({ settings: fetched, defaults: false });
  });
});

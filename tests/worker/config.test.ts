// Workspace config: read by readers, written by admins key by key, each key
// with its own version, last writer wins; invalid writes change nothing.
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../shared/config.ts";
import type { ConfigResponse } from "../../shared/wire.ts";
import { api, configRows, expectError, patchConfig, patchConfigRequest, snapshot, workspace, type Ws } from "./helpers.ts";

const NO_VERSIONS = Object.fromEntries(CONFIG_KEYS.map((k) => [k, 0]));

async function readConfig(ws: Ws, token = ws.read): Promise<ConfigResponse> {
  const res = await api(`/api/v1/workspaces/${ws.id}/config`, { token });
  expect(res.status).toBe(200);
  return res.json();
}

const rule = (id: string, threshold = 10) => ({ id, name: `rule ${id}`, severity: "warning", type: "event_rate", threshold, window_minutes: 5 });

describe("GET /api/v1/workspaces/:id/config", () => {
  it("answers an empty config with every key at version 0", async () => {
    const ws = await workspace();
    expect(await readConfig(ws)).toEqual({ config: {}, versions: NO_VERSIONS });
  });

  it("is open to read and admin tokens, not to write tokens", async () => {
    const ws = await workspace();
    await patchConfig(ws, { personas: ["alice"] });
    expect((await readConfig(ws, ws.read)).config).toEqual({ personas: ["alice"] });
    expect((await readConfig(ws, ws.admin)).config).toEqual({ personas: ["alice"] });
    await expectError(await api(`/api/v1/workspaces/${ws.id}/config`, { token: ws.write }), 403, "insufficient_scope");
    await expectError(await api(`/api/v1/workspaces/${ws.id}/config`), 401, "missing_token");
  });

  it("refuses another workspace's tokens", async () => {
    const [a, b] = await Promise.all([workspace("a"), workspace("b")]);
    await patchConfig(a, { scenarios: ["checkout"] });
    for (const token of [b.read, b.admin]) await expectError(await api(`/api/v1/workspaces/${a.id}/config`, { token }), 403, "wrong_workspace");
  });
});

describe("PATCH /api/v1/workspaces/:id/config", () => {
  it("writes keys, versions each on its own, and answers the whole config", async () => {
    const ws = await workspace();
    const first = await patchConfig(ws, { retention_days: { request: 30, test: 90 }, personas: ["alice", "bob"] });
    expect(first).toEqual({
      config: { retention_days: { request: 30, test: 90 }, personas: ["alice", "bob"] },
      versions: { ...NO_VERSIONS, retention_days: 1, personas: 1 },
      changed: ["retention_days", "personas"],
      overwritten: [],
    });
    const second = await patchConfig(ws, { personas: ["carol"] });
    expect(second.versions).toEqual({ ...NO_VERSIONS, retention_days: 1, personas: 2 });
    expect(second.config).toEqual({ retention_days: { request: 30, test: 90 }, personas: ["carol"] });
    expect(await readConfig(ws)).toEqual({ config: second.config, versions: second.versions });
  });

  it("lets the last writer win per key, and says whose change it replaced", async () => {
    const ws = await workspace();
    const start = await patchConfig(ws, { thresholds: { coverage_min: 0.8 }, scenarios: ["a"] });
    // two admins read version 1 of thresholds; both write; the second write wins and learns it replaced version 2
    const one = await patchConfig(ws, { thresholds: { coverage_min: 0.7 } }, { thresholds: start.versions.thresholds });
    expect(one.overwritten).toEqual([]);
    const two = await patchConfig(ws, { thresholds: { coverage_min: 0.9 } }, { thresholds: start.versions.thresholds });
    expect(two.overwritten).toEqual([{ key: "thresholds", base_version: 1, replaced_version: 2 }]);
    expect(two.config.thresholds).toEqual({ coverage_min: 0.9 });
    expect(two.versions.thresholds).toBe(3);
    // the other key was never touched by either
    expect(two.config.scenarios).toEqual(["a"]);
    expect(two.versions.scenarios).toBe(1);
  });

  it("gives concurrent writes of one key each their own version, and keeps the last", async () => {
    const ws = await workspace();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => patchConfig(ws, { scenarios: [`s${i}`] })));
    expect(answers.map((a) => a.versions.scenarios).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const last = answers.find((a) => a.versions.scenarios === 8)!;
    expect(await readConfig(ws)).toEqual({ config: last.config, versions: last.versions });
  });

  it("treats writing the current value again as no change, whatever its key order", async () => {
    const ws = await workspace();
    await patchConfig(ws, { retention_days: { request: 7, job: 30 } });
    const again = await patchConfig(ws, { retention_days: { job: 30, request: 7 } }, { retention_days: 0 });
    expect(again).toMatchObject({ changed: [], overwritten: [], versions: { retention_days: 1 } });
    expect((await configRows(ws.id)).map((r) => r["version"])).toEqual([1]);
  });

  it("removes a key with null, keeping its version counting", async () => {
    const ws = await workspace();
    await patchConfig(ws, { retention_days: { request: 7 } });
    const removed = await patchConfig(ws, { retention_days: null });
    expect(removed).toMatchObject({ config: {}, changed: ["retention_days"], versions: { retention_days: 2 } });
    const back = await patchConfig(ws, { retention_days: { request: 9 } });
    expect(back.versions.retention_days).toBe(3);
    // removing a key never written stores nothing
    const noop = await patchConfig(ws, { dashboards: null });
    expect(noop).toMatchObject({ changed: [], versions: { dashboards: 0 } });
    expect((await configRows(ws.id)).map((r) => r["key"])).toEqual(["retention_days"]);
  });

  it("stores alert rules with their defaults filled in", async () => {
    const ws = await workspace();
    const res = await patchConfig(ws, { alert_rules: [rule("r1")] });
    expect(res.config.alert_rules).toEqual([{ ...rule("r1"), enabled: true, event_type: "request", direction: "above" }]);
  });

  it.each([
    ["retention of 0 days", { set: { retention_days: { request: 0 } } }, [{ path: "set.retention_days.request", message: "must be at least 1 day" }]],
    ["retention over 3650 days", { set: { retention_days: { job: 3651 } } }, [{ path: "set.retention_days.job", message: "must be at most 3650 days" }]],
    ["a fraction of a day", { set: { retention_days: { test: 1.5 } } }, [{ path: "set.retention_days.test", message: "must be a whole number of days" }]],
    ["days as text", { set: { retention_days: { test: "7" } } }, [{ path: "set.retention_days.test", message: "must be a number of days" }]],
    ["an unknown event type", { set: { retention_days: { requests: 7 } } }, [{ path: "set.retention_days.requests", message: "unknown field" }]],
    ["an unknown key", { set: { retention: 7 } }, [{ path: "set.retention", message: "unknown field" }]],
    ["a duplicate persona", { set: { personas: ["a", "b", "a"] } }, [{ path: "set.personas[2]", message: '"a" is listed twice' }]],
    ["a bad threshold name", { set: { thresholds: { "Coverage Min": 1 } } }, [{ path: 'set.thresholds["Coverage Min"]', message: expect.stringMatching(/^threshold names are lowercase/) }]],
    ["an alert rule of no known type", { set: { alert_rules: [{ ...rule("x"), type: "vibes" }] } }, [{ path: "set.alert_rules[0].type", message: expect.stringMatching(/^type must be one of/) }]],
    ["a bad catalog entry", { set: { endpoint_catalog: [{ method: "GET", endpoint: "/a", responses: [200, 99] }] } }, [{ path: "set.endpoint_catalog[0].responses[1]", message: "must be a status code" }]],
    ["an empty set", { set: {} }, [{ path: "set", message: "must name at least one key" }]],
    ["no set", {}, [{ path: "set", message: "required" }]],
    ["a base version for a key not written", { set: { personas: [] }, base_versions: { scenarios: 1 } }, [{ path: "base_versions.scenarios", message: "names a key that set does not write" }]],
    ["a negative base version", { set: { personas: [] }, base_versions: { personas: -1 } }, [{ path: "base_versions.personas", message: "must not be negative" }]],
    ["an unknown top-level field", { set: { personas: [] }, force: true }, [{ path: "force", message: "unknown field" }]],
  ])("rejects %s with the failing path, and changes nothing", async (_, body, issues) => {
    const ws = await workspace();
    await patchConfig(ws, { personas: ["kept"], retention_days: { request: 30 } });
    const before = await snapshot(ws.id);
    const rows = await configRows(ws.id);
    const error = await expectError(await patchConfigRequest(ws, body), 400, "invalid_body");
    expect(error.details).toEqual({ issues });
    expect(await snapshot(ws.id)).toEqual(before);
    expect(await configRows(ws.id)).toEqual(rows);
  });

  it("writes nothing at all when one of several keys is invalid", async () => {
    const ws = await workspace();
    const error = await expectError(await patchConfigRequest(ws, { set: { personas: ["ok"], retention_days: { chaos: -1 } } }), 400, "invalid_body");
    expect(error.details).toEqual({ issues: [{ path: "set.retention_days.chaos", message: "must be at least 1 day" }] });
    expect(await configRows(ws.id)).toEqual([]);
  });

  it("is for admin tokens only, and only of the workspace", async () => {
    const [ws, other] = await Promise.all([workspace(), workspace("other")]);
    for (const token of [ws.read, ws.write]) {
      await expectError(await patchConfigRequest(ws, { set: { personas: ["x"] } }, token), 403, "insufficient_scope");
    }
    await expectError(await patchConfigRequest(ws, { set: { personas: ["x"] } }, other.admin), 403, "wrong_workspace");
    expect(await configRows(ws.id)).toEqual([]);
  });

  it("refuses a body that is not JSON", async () => {
    const ws = await workspace();
    const res = await api(`/api/v1/workspaces/${ws.id}/config`, { method: "PATCH", token: ws.admin, headers: { "Content-Type": "application/json" }, body: "{set:" });
    await expectError(res, 400, "invalid_json");
  });
});

describe("config write size", () => {
  // 2,000 endpoints (the schema's limit) with their codes: far past the 16 KB other admin bodies get
  const catalog = Array.from({ length: 2000 }, (_, i) => ({ method: i % 2 ? "POST" : "GET", endpoint: `/api/v1/resources-${i}/{id}/children`, responses: [200, 201, 400, 404, 500] }));

  it("takes a full-size endpoint catalog in one write", async () => {
    const ws = await workspace();
    expect(JSON.stringify({ set: { endpoint_catalog: catalog } }).length).toBeGreaterThan(150_000);
    const written = await patchConfig(ws, { endpoint_catalog: catalog });
    expect(written.changed).toEqual(["endpoint_catalog"]);
    expect((await readConfig(ws)).config.endpoint_catalog).toHaveLength(2000);
  });

  it("refuses a config body over 1,000,000 bytes with 413, storing nothing", async () => {
    const ws = await workspace();
    const res = await patchConfigRequest(ws, { set: { personas: ["a"] }, padding: "x".repeat(1_000_001) });
    expect((await expectError(res, 413, "body_too_large")).details).toEqual({ limit: 1_000_000 });
    expect(await configRows(ws.id)).toEqual([]);
  });

  it("keeps the 16 KB limit for other admin bodies", async () => {
    const res = await api("/api/v1/workspaces", {
      method: "POST",
      token: "test-admin-secret-0123456789abcdef",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "w", padding: "x".repeat(17_000) }),
    });
    expect((await expectError(res, 413, "body_too_large")).details).toEqual({ limit: 16_384 });
  });
});

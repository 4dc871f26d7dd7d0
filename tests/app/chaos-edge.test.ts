// The Chaos & alerts view's calls to the edge, against a fake edge: alerts and
// rules read and checked, rules written with the version they were read at.
import { describe, expect, it } from "vitest";
import { validateAlertRules, type AlertRule } from "../../shared/alerts/rule.ts";
import { CONFIG_KEYS, type ConfigVersions } from "../../shared/config.ts";
import type { AlertsResponse, ConfigPatchRequest, ConfigPatchResponse } from "../../shared/wire.ts";
import { EdgeError, EdgeOfflineError } from "../../app/src/data/edge-call.ts";
import { fetchAlerts, fetchRules, saveRules } from "../../app/src/views/chaos-edge.ts";
import { errorResponse } from "./helpers.ts";

const WS = { id: "ws_1", apiBase: "http://edge.test/", key: "tly_r_read" };
const ADMIN = "tly_a_admin";

const checked = validateAlertRules([{ id: "slow", name: "Slow", type: "latency", threshold: 500, window_minutes: 5, severity: "warning" }]);
if (!checked.ok) throw new Error("fixture rule is invalid");
const RULES: AlertRule[] = checked.value;

function versions(alertRules: number): ConfigVersions {
  return { ...(Object.fromEntries(CONFIG_KEYS.map((k) => [k, 0])) as ConfigVersions), alert_rules: alertRules };
}

interface Seen {
  method: string;
  path: string;
  search?: string;
  auth: string | null;
  body: unknown;
}

/** A fetch answering from `answer`, recording each request. */
function edge(answer: (req: Seen) => Response | Error): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const req: Seen = { method: init?.method ?? "GET", path: url.pathname, ...(url.search ? { search: url.search } : {}), auth: new Headers(init?.headers).get("authorization"), body: init?.body ? JSON.parse(String(init.body)) : null };
      seen.push(req);
      const out = answer(req);
      if (out instanceof Error) throw out;
      return out;
    },
  };
}

const ALERTS: AlertsResponse = {
  states: [{ rule_id: "slow", name: "Slow", status: "firing", since: 1, evaluated_at: 2, value: 900, threshold: 500, severity: "warning", detail: "p95 latency 900 ms" }],
  history: [{ id: 7, rule_id: "slow", name: "Slow", kind: "firing", at: 1, value: 900, threshold: 500, severity: "warning", detail: "p95 latency 900 ms" }],
  next_before: null,
};

describe("fetchAlerts", () => {
  it("reads active alerts and history with the read token", async () => {
    const e = edge(() => Response.json(ALERTS));
    expect(await fetchAlerts(WS, e.fetch)).toEqual(ALERTS);
    expect(e.seen).toEqual([{ method: "GET", path: "/api/v1/workspaces/ws_1/alerts", auth: "Bearer tly_r_read", body: null }]);
    // older pages by cursor
    await fetchAlerts(WS, e.fetch, 7);
    expect(e.seen[1]!.path + e.seen[1]!.search).toBe("/api/v1/workspaces/ws_1/alerts?before=7");
  });

  it("refuses an answer that is not the API's shape, and names errors and unreachable edges", async () => {
    await expect(fetchAlerts(WS, edge(() => Response.json({ states: "nope" })).fetch)).rejects.toMatchObject({ name: "EdgeError", code: "bad_response" });
    await expect(fetchAlerts(WS, edge(() => errorResponse(401, "invalid_token", "revoked")).fetch)).rejects.toMatchObject({ status: 401, code: "invalid_token", message: "revoked" });
    await expect(fetchAlerts(WS, edge(() => new TypeError("Failed to fetch")).fetch)).rejects.toBeInstanceOf(EdgeOfflineError);
    await expect(fetchAlerts(WS, edge(() => new Response("<html>", { status: 502 })).fetch)).rejects.toMatchObject({ status: 502, code: "http_error" });
  });
});

describe("fetchRules", () => {
  it("reads alert_rules and its version; a workspace without rules has none at version 0", async () => {
    expect(await fetchRules(WS, undefined, edge(() => Response.json({ config: { alert_rules: RULES }, versions: versions(4) })).fetch)).toEqual({ rules: RULES, version: 4 });
    expect(await fetchRules(WS, undefined, edge(() => Response.json({ config: {}, versions: versions(0) })).fetch)).toEqual({ rules: [], version: 0 });
  });

  it("refuses stored rules that do not pass the shared schema", async () => {
    const bad = edge(() => Response.json({ config: { alert_rules: [{ id: "x", type: "latency" }] }, versions: versions(1) }));
    await expect(fetchRules(WS, undefined, bad.fetch)).rejects.toBeInstanceOf(EdgeError);
  });
});

describe("saveRules", () => {
  /** An edge whose rules are at `current`; a PATCH answers `patch`. */
  function configEdge(current: number, patch: (body: ConfigPatchRequest) => Response) {
    return edge((req) => {
      if (req.method === "GET") return Response.json({ config: { alert_rules: [] }, versions: versions(current) });
      return patch(req.body as ConfigPatchRequest);
    });
  }
  const saved = (over: Partial<ConfigPatchResponse> = {}): Response =>
    Response.json({ config: { alert_rules: RULES }, versions: versions(5), changed: ["alert_rules"], overwritten: [], ...over } satisfies ConfigPatchResponse);

  it("writes alert_rules whole with the admin token and the version it read", async () => {
    const e = configEdge(4, () => saved());
    expect(await saveRules(WS, ADMIN, RULES, 4, e.fetch)).toEqual({ kind: "saved", stored: { rules: RULES, version: 5 } });
    expect(e.seen.map((s) => [s.method, s.auth])).toEqual([
      ["GET", `Bearer ${ADMIN}`],
      ["PATCH", `Bearer ${ADMIN}`],
    ]);
    expect(e.seen[1]!.body).toEqual({ set: { alert_rules: RULES }, base_versions: { alert_rules: 4 } });
  });

  it("writes nothing when the rules changed since they were read", async () => {
    const e = configEdge(6, () => saved());
    expect(await saveRules(WS, ADMIN, RULES, 4, e.fetch)).toMatchObject({ kind: "conflict", written: false, stored: { version: 6 } });
    expect(e.seen.map((s) => s.method)).toEqual(["GET"]);
  });

  it("reports a write that replaced a change made in between, and a 409, as conflicts", async () => {
    const raced = configEdge(4, () => saved({ overwritten: [{ key: "alert_rules", base_version: 4, replaced_version: 5 }], versions: versions(6) }));
    expect(await saveRules(WS, ADMIN, RULES, 4, raced.fetch)).toMatchObject({ kind: "conflict", written: true, stored: { version: 6 } });
    const refused = configEdge(4, () => errorResponse(409, "version_conflict", "alert_rules changed"));
    expect(await saveRules(WS, ADMIN, RULES, 4, refused.fetch)).toEqual({ kind: "conflict", written: false, stored: null });
  });

  it("passes on the edge's 400 details and a refused token", async () => {
    const details = { issues: [{ path: "set.alert_rules[0].threshold", message: "must be 0 or more" }] };
    const invalid = configEdge(4, () => Response.json({ error: { code: "invalid_body", message: "the request body is invalid", details } }, { status: 400 }));
    await expect(saveRules(WS, ADMIN, RULES, 4, invalid.fetch)).rejects.toMatchObject({ status: 400, details });
    const denied = edge(() => errorResponse(403, "forbidden", "this token may not do that"));
    await expect(saveRules(WS, "tly_a_wrong", RULES, 4, denied.fetch)).rejects.toMatchObject({ status: 403, code: "forbidden" });
  });
});

// What the Chaos & alerts view keeps in the browser: the admin token in
// sessionStorage only, and the last copy of alerts and rules for offline use.
import { describe, expect, it } from "vitest";
import type { AlertsResponse } from "../../shared/wire.ts";
import { forgetAdminToken, isAdminToken, loadAdminToken, saveAdminToken } from "../../app/src/views/chaos-admin-token.ts";
import { loadCachedAlerts, loadCachedRules, saveCachedAlerts, saveCachedRules } from "../../app/src/views/chaos-alerts-cache.ts";

/** A Storage over a Map, as the browser's behaves for strings. */
function memoryStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, String(v)),
  };
}

/** A Storage that refuses writes, as a full or disabled one does. */
function refusingStorage(): Storage {
  const s = memoryStorage();
  s.setItem = () => {
    throw new DOMException("quota", "QuotaExceededError");
  };
  return s;
}

describe("admin token", () => {
  it("recognises admin tokens by their prefix only", () => {
    expect(isAdminToken("tly_a_0123abc")).toBe(true);
    expect(isAdminToken("tly_r_0123abc")).toBe(false);
    expect(isAdminToken("tly_a_")).toBe(false);
    expect(isAdminToken("tly_a_abc def")).toBe(false);
  });

  it("is kept per workspace and forgotten on request", () => {
    const s = memoryStorage();
    expect(saveAdminToken("ws_1", "tly_a_one", s)).toBe(true);
    expect(loadAdminToken("ws_1", s)).toBe("tly_a_one");
    expect(loadAdminToken("ws_2", s)).toBeNull();
    forgetAdminToken("ws_1", s);
    expect(loadAdminToken("ws_1", s)).toBeNull();
    expect(s.map.size).toBe(0);
  });

  it("says when the browser would not keep it", () => {
    expect(saveAdminToken("ws_1", "tly_a_one", refusingStorage())).toBe(false);
    expect(saveAdminToken("ws_1", "tly_a_one", null)).toBe(false);
    expect(loadAdminToken("ws_1", null)).toBeNull();
  });
});

const ALERTS: AlertsResponse = {
  states: [{ rule_id: "slow", name: "Slow", status: "ok", since: 1, evaluated_at: 2, value: null, threshold: 500, severity: "info", detail: "no data" }],
  history: [],
  next_before: null,
};

describe("offline copies", () => {
  it("keep the last alerts and rules with when they were fetched", () => {
    const s = memoryStorage();
    saveCachedAlerts("ws_1", ALERTS, 1000, s);
    expect(loadCachedAlerts("ws_1", s)).toEqual({ value: ALERTS, fetchedAt: 1000 });
    expect(loadCachedAlerts("ws_2", s)).toBeNull();
    const rules = [{ id: "r", name: "R", type: "rate_limit" as const, threshold: 0.1, window_minutes: 5, severity: "info" as const, enabled: true }];
    saveCachedRules("ws_1", { rules, version: 3 }, 2000, s);
    expect(loadCachedRules("ws_1", s)).toEqual({ value: { rules, version: 3 }, fetchedAt: 2000 });
  });

  it("count anything unreadable or out of shape as no copy", () => {
    const s = memoryStorage();
    s.setItem("tally:alerts:ws_1", "{not json");
    expect(loadCachedAlerts("ws_1", s)).toBeNull();
    s.setItem("tally:alerts:ws_1", JSON.stringify({ value: { states: [{}] }, fetchedAt: 1 }));
    expect(loadCachedAlerts("ws_1", s)).toBeNull();
    // rules an older app wrote that no longer pass the schema
    s.setItem("tally:alert-rules:ws_1", JSON.stringify({ value: { rules: [{ id: "r", type: "latency" }], version: 1 }, fetchedAt: 1 }));
    expect(loadCachedRules("ws_1", s)).toBeNull();
    // a refused write costs only the copy
    expect(() => saveCachedAlerts("ws_1", ALERTS, 1, refusingStorage())).not.toThrow();
  });
});

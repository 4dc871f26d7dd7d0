// The coverage settings form's model: names split and checked with the config
// schema, thresholds checked against what each can mean, other thresholds
// kept; and the save, which reports a change made elsewhere instead of
// replacing it.
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, type ConfigVersions } from "../../shared/config.ts";
import type { ConfigPatchRequest, ConfigResponse } from "../../shared/wire.ts";
import { readCoverageConfig, saveCoverageSettings } from "../../app/src/views/coverage-edge.ts";
import { draftFromConfig, readDraft, splitNames, type SettingsDraft } from "../../app/src/views/coverage-settings.ts";

const STORED = { personas: ["admin"], scenarios: ["happy", "sad"], thresholds: { coverage_min: 90, latency_budget: 250 } };

function draft(change: Partial<SettingsDraft> & { t?: Partial<SettingsDraft["thresholds"]> } = {}): SettingsDraft {
  const d = draftFromConfig(STORED);
  return { ...d, ...change, thresholds: { ...d.thresholds, ...change.t } };
}

describe("the settings form", () => {
  it("starts from the stored values, defaults left empty", () => {
    expect(draftFromConfig(STORED)).toEqual({ personas: "admin", scenarios: "happy\nsad", thresholds: { coverage_min: "90", stale_days: "", drift_max: "", high_drift: "" } });
  });

  it("splits names by line or comma and drops blanks", () => {
    expect(splitNames(" admin, guest\n\n  auditor  \n,")).toEqual(["admin", "guest", "auditor"]);
  });

  it("reads the settings, keeping thresholds it does not edit and removing emptied ones", () => {
    const read = readDraft(draft({ personas: "admin\nguest", t: { coverage_min: "", stale_days: "14", high_drift: "0.4" } }), STORED.thresholds);
    expect(read).toEqual({ ok: true, value: { personas: ["admin", "guest"], scenarios: ["happy", "sad"], thresholds: { latency_budget: 250, stale_days: 14, high_drift: 0.4 } } });
  });

  it("names each field that is wrong, and why", () => {
    const read = readDraft(draft({ personas: "admin\nadmin", t: { coverage_min: "120", stale_days: "2.5", drift_max: "lots", high_drift: "-1" } }), {});
    expect(read).toEqual({
      ok: false,
      errors: {
        personas: '"admin": "admin" is listed twice',
        coverage_min: "must be from 0 to 100",
        stale_days: "must be a whole number of days",
        drift_max: "must be a number (empty for the default, 20)",
        high_drift: "must be from 0 to 1",
      },
    });
    const long = readDraft(draft({ scenarios: "x".repeat(201) }), {});
    expect(!long.ok && long.errors.scenarios).toMatch(/limited to 200 characters/);
  });
});

describe("saveCoverageSettings", () => {
  const versions = Object.fromEntries(CONFIG_KEYS.map((k) => [k, 1])) as ConfigVersions;
  const WS = { id: "ws_1", apiBase: "http://edge.test", key: "tly_r_read" };

  function edge(stored: typeof STORED) {
    const seen: Array<{ method: string; auth: string | null; body: unknown }> = [];
    const fetchFn: typeof fetch = async (_input, init) => {
      const body = init?.body ? (JSON.parse(String(init.body)) as ConfigPatchRequest) : null;
      seen.push({ method: init?.method ?? "GET", auth: new Headers(init?.headers).get("authorization"), body });
      const config = body ? { ...stored, ...body.set } : stored;
      return Response.json({ config: config as ConfigResponse["config"], versions } satisfies ConfigResponse);
    };
    return { fetchFn, seen };
  }

  it("writes personas, scenarios and thresholds when nothing changed elsewhere", async () => {
    const e = edge(STORED);
    const settings = { personas: ["admin", "guest"], scenarios: ["happy"], thresholds: { coverage_min: 70 } };
    const outcome = await saveCoverageSettings(WS, "tly_a_admin", settings, STORED, e.fetchFn);
    expect(e.seen.map((s) => [s.method, s.auth])).toEqual([
      ["GET", "Bearer tly_a_admin"],
      ["PATCH", "Bearer tly_a_admin"],
    ]);
    expect(e.seen[1]!.body).toEqual({ set: settings });
    expect(outcome).toEqual({ kind: "saved", config: readCoverageConfig({ config: settings, versions }) });
  });

  it("writes nothing when another admin changed one of them since the form read them", async () => {
    const e = edge({ ...STORED, scenarios: ["happy", "sad", "timeout"] });
    const outcome = await saveCoverageSettings(WS, "tly_a_admin", { personas: [], scenarios: [], thresholds: {} }, STORED, e.fetchFn);
    expect(outcome).toMatchObject({ kind: "conflict", keys: ["scenarios"], config: { scenarios: ["happy", "sad", "timeout"] } });
    expect(e.seen.map((s) => s.method)).toEqual(["GET"]);
  });
});

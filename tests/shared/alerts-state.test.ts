// Firing, holding and resolving over successive evaluations, with hysteresis.
import { describe, expect, it } from "vitest";
import { alertRule, evaluateRule, evaluateRules, RESOLVE_BAND, type AlertRule, type AlertState, type AlertTransition } from "../../shared/alerts.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { blocksOf, ev } from "./engine/fixtures.ts";

const T0 = Date.parse("2026-11-20T12:00:00Z");
const M = 60_000;
const W = 5;

const rule = (fields: Record<string, unknown>): AlertRule =>
  alertRule.parse({ id: "rate", name: "Request rate", severity: "critical", window_minutes: W, type: "event_rate", threshold: 2, ...fields });

/** `n` requests inside the `minutes` that end at `now`. */
const requests = (now: number, n: number, props = {}, minutes = W): StoredEvent[] =>
  Array.from({ length: n }, (_, i) => ev(now - minutes * M + i * 1000, props));

/**
 * Evaluates `rules` once per entry of `counts`, a minute apart, each time over
 * `counts[i]` requests in the window; returns every transition and the last states.
 */
function run(rules: AlertRule[], counts: number[], minutes = W) {
  let states: AlertState[] = [];
  const transitions: AlertTransition[] = [];
  counts.forEach((n, i) => {
    const now = T0 + i * M;
    const { blocks, dict } = blocksOf(requests(now, n, {}, minutes));
    const out = evaluateRules(rules, blocks, dict, now, states);
    states = out.states;
    transitions.push(...out.transitions);
  });
  return { states, transitions };
}

const kinds = (ts: AlertTransition[]) => ts.map((t) => `${t.kind}@${(t.at - T0) / M}`);

describe("evaluateRules", () => {
  it("fires once, with what history needs, and stays firing without repeating", () => {
    // 11 requests / 5 min = 2.2 > 2
    const { states, transitions } = run([rule({})], [11, 11, 12]);
    expect(transitions).toEqual([
      { rule_id: "rate", name: "Request rate", kind: "firing", at: T0, value: 2.2, threshold: 2, severity: "critical", detail: expect.stringMatching(/2.2 request events\/min/) },
    ]);
    expect(states).toEqual([
      { rule_id: "rate", name: "Request rate", status: "firing", since: T0, evaluated_at: T0 + 2 * M, value: 2.4, threshold: 2, severity: "critical", detail: expect.any(String) },
    ]);
  });

  it("does not flap while the value hovers at the threshold", () => {
    // over 10 minutes: 2.1, 2.0, 1.9, 2.1, 2.0, 1.9, 2.2 per minute. Firing from the
    // first; none of the later values is at or below 2 × 0.9 = 1.8, so it never
    // resolves (without the band it would resolve and fire again three times)
    expect(RESOLVE_BAND).toBe(0.1);
    const { states, transitions } = run([rule({ window_minutes: 10 })], [21, 20, 19, 21, 20, 19, 22], 10);
    expect(kinds(transitions)).toEqual(["firing@0"]);
    expect(states[0]).toMatchObject({ status: "firing", since: T0, value: 2.2 });
  });

  it("resolves at threshold × 0.9 and fires again only past the threshold", () => {
    // 2.2 fire, 2.0 hold, 1.8 (= 2 × 0.9) resolve, 2.0 stay ok, 2.2 fire
    const { states, transitions } = run([rule({})], [11, 10, 9, 10, 11]);
    expect(kinds(transitions)).toEqual(["firing@0", "resolved@2", "firing@4"]);
    expect(transitions[1]).toMatchObject({ kind: "resolved", value: 1.8, threshold: 2 });
    expect(states[0]).toMatchObject({ status: "firing", since: T0 + 4 * M });
  });

  it("turns the band around for direction below", () => {
    // over 10 minutes: 1.9 fires (< 2), 2.1 holds (below 2 × 1.1), 2.2 resolves
    const { transitions } = run([rule({ direction: "below", window_minutes: 10 })], [19, 21, 22], 10);
    expect(kinds(transitions)).toEqual(["firing@0", "resolved@2"]);
  });

  it("keeps an ok rule ok, and its `since` from the first evaluation", () => {
    const { states, transitions } = run([rule({})], [1, 10, 3]);
    expect(transitions).toEqual([]);
    expect(states[0]).toMatchObject({ status: "ok", since: T0, evaluated_at: T0 + 2 * M });
  });

  it("holds a firing alert through a window without data", () => {
    const slow = alertRule.parse({ id: "slow", name: "Slow", severity: "warning", type: "latency", threshold: 500, window_minutes: W });
    const at = (i: number, latency?: number) => {
      const now = T0 + i * M;
      return { now, ...blocksOf(latency === undefined ? [] : [ev(now - M, { latency_ms: latency })]) };
    };
    let states: AlertState[] = [];
    const seen: string[] = [];
    for (const [i, latency] of [[0, 900], [1, undefined], [2, 460], [3, 440]] as const) {
      const { now, blocks, dict } = at(i, latency);
      const out = evaluateRules([slow], blocks, dict, now, states);
      states = out.states;
      seen.push(`${states[0]!.status}:${states[0]!.value}`);
    }
    // 900 fires; no data holds; 460 is above 450 (500 × 0.9) and holds; 440 resolves
    expect(seen).toEqual(["firing:900", "firing:null", "firing:460", "ok:440"]);
  });

  it("resolves a firing alert whose rule is disabled or removed, with value null", () => {
    const firing = run([rule({}), rule({ id: "other", name: "Other" })], [11]).states;
    expect(firing.map((s) => s.status)).toEqual(["firing", "firing"]);
    const { blocks, dict } = blocksOf(requests(T0 + M, 11));
    const out = evaluateRules([rule({ enabled: false })], blocks, dict, T0 + M, firing);
    expect(out.states).toEqual([]);
    expect(out.transitions).toEqual([
      { rule_id: "rate", name: "Request rate", kind: "resolved", at: T0 + M, value: null, threshold: 2, severity: "critical", detail: "rule disabled" },
      { rule_id: "other", name: "Other", kind: "resolved", at: T0 + M, value: null, threshold: 2, severity: "critical", detail: "rule removed" },
    ]);
  });

  it("says nothing when an ok rule is removed", () => {
    const ok = run([rule({})], [1]).states;
    const { blocks, dict } = blocksOf([]);
    expect(evaluateRules([], blocks, dict, T0 + M, ok)).toEqual({ states: [], transitions: [] });
  });

  it("evaluates many rules in one pass with the same values as one by one", () => {
    const rules = [
      rule({}),
      rule({ id: "prod", filters: [{ dim: { prop: "env" }, in: ["prod"] }], threshold: 1 }),
      alertRule.parse({ id: "slow", name: "Slow", severity: "info", type: "latency", threshold: 100, window_minutes: 10 }),
      alertRule.parse({ id: "limited", name: "429", severity: "warning", type: "rate_limit", threshold: 0.1, window_minutes: 60 }),
      alertRule.parse({ id: "impact", name: "Impact", severity: "critical", type: "impact", threshold: 10, window_minutes: 5, baseline_minutes: 120 }),
    ];
    const events = [
      ...requests(T0, 6, { env: "prod", latency_ms: 120, status: 200 }),
      ...requests(T0, 6, { env: "dev", latency_ms: 80, status: 429 }),
      ev(T0 - 30 * M, { latency_ms: 50, status: 200 }),
      ev(T0 - M, { fault: "error" }, "chaos"),
    ];
    const { blocks, dict } = blocksOf(events.slice(0, 5), events.slice(5));
    const { states } = evaluateRules(rules, blocks, dict, T0, []);
    expect(states.map((s) => s.value)).toEqual(rules.map((r) => evaluateRule(r, blocks, dict, T0).value));
    // 12/5 = 2.4 and 6/5 = 1.2 per minute; p95 of six 80s and six 120s = 120;
    // 6 of the hour's 13 requests are 429s
    expect(states.map((s) => s.value).slice(0, 3)).toEqual([2.4, 1.2, 120]);
    expect(states[3]!.value).toBeCloseTo(6 / 13, 12);
    // faults 1/12 → 30 × (1 − e^−0.41667) = 10.22; p95 (120 − 50)/50 = 1.4 → 80 × (1 − e^−1.4) = 60.27;
    // 1 − (1 − 0.1022)(1 − 0.6027) = 64.33
    expect(states[4]!.value).toBeCloseTo(64.33, 1);
    expect(states.map((s) => s.status)).toEqual(["firing", "firing", "firing", "firing", "firing"]);
  });

  it("produces plain data that survives JSON", () => {
    const { states, transitions } = run([rule({}), alertRule.parse({ id: "slow", name: "Slow", severity: "info", type: "latency", threshold: 1, window_minutes: 5 })], [11]);
    expect(JSON.parse(JSON.stringify({ states, transitions }))).toEqual({ states, transitions });
    expect(states[1]!.value).toBeNull();
  });
});

// Edge evaluation called directly, at explicit times over hand-made events:
// alerts fire when events cross a rule and resolve later, history and states
// are stored as they should be, webhooks are queued for rules that name one,
// and workspaces without rules (or other workspaces) are left alone.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateWorkspace, MIN_TICK_MS } from "../../worker/alerts/evaluate.ts";
import { hasAlertWork } from "../../worker/db/alerts.ts";
import { historyRows, MIN, rule, stateRows, storeRequests, T0, times, webhookRows, writeRules } from "./alert-fixtures.ts";
import { workspace } from "./helpers.ts";

const evaluate = (ws: string, now: number, maxRows?: number) => evaluateWorkspace(env.DB, ws, now, maxRows);

describe("a latency rule", () => {
  const slow = rule({ id: "p95", name: "Slow", type: "latency", percentile: "p95", threshold: 500, severity: "critical" });

  it("fires when slow requests arrive, keeps firing without data, and resolves once requests are fast again", async () => {
    const { id } = await workspace();
    await writeRules(id, [slow]);
    await storeRequests(id, times(10, T0 - 2 * MIN), { latency_ms: 900 });

    const fired = await evaluate(id, T0);
    expect(fired.entries).toEqual([
      { id: expect.any(Number), rule_id: "p95", name: "Slow", kind: "firing", at: T0, value: 900, threshold: 500, severity: "critical", detail: expect.stringContaining("p95 latency 900 ms") },
    ]);
    expect(fired.nextTickAt).toBe(T0 + MIN_TICK_MS);
    expect(await stateRows(id)).toEqual([
      expect.objectContaining({ rule_id: "p95", position: 0, status: "firing", since: T0, evaluated_at: T0, value: 900, threshold: 500, severity: "critical" }),
    ]);

    // the slow requests have left the window: no data neither fires nor resolves
    const quiet = await evaluate(id, T0 + 10 * MIN);
    expect(quiet.entries).toEqual([]);
    expect(await stateRows(id)).toEqual([expect.objectContaining({ status: "firing", since: T0, evaluated_at: T0 + 10 * MIN, value: null })]);

    await storeRequests(id, times(20, T0 + 10 * MIN), { latency_ms: 40 });
    const resolved = await evaluate(id, T0 + 12 * MIN);
    expect(resolved.entries).toEqual([expect.objectContaining({ rule_id: "p95", kind: "resolved", at: T0 + 12 * MIN, value: 40 })]);
    expect(resolved.entries[0]!.id).toBeGreaterThan(fired.entries[0]!.id);
    expect(await stateRows(id)).toEqual([expect.objectContaining({ status: "ok", since: T0 + 12 * MIN, value: 40 })]);

    const history = await historyRows(id);
    expect(history.map((h) => [h.id, h.kind, h.at, h.value])).toEqual([
      [fired.entries[0]!.id, "firing", T0, 900],
      [resolved.entries[0]!.id, "resolved", T0 + 12 * MIN, 40],
    ]);
  });

  it("stays firing, with one history entry, while the value hovers over the threshold", async () => {
    const { id } = await workspace();
    await writeRules(id, [slow]);
    await storeRequests(id, times(10, T0 - MIN), { latency_ms: 600 });
    expect((await evaluate(id, T0)).entries).toHaveLength(1);
    await storeRequests(id, times(10, T0), { latency_ms: 480 });
    // p95 of 600s and 480s is still 600; then only 480s: within the 10% band, so no resolve
    expect((await evaluate(id, T0 + MIN)).entries).toEqual([]);
    expect((await evaluate(id, T0 + 5 * MIN + 30_000)).entries).toEqual([]);
    expect(await historyRows(id)).toHaveLength(1);
  });
});

describe("an event_rate rule with direction below", () => {
  it("fires on silence, which only the timer sees, and resolves when events come back", async () => {
    const { id } = await workspace();
    await writeRules(id, [rule({ id: "alive", name: "Heartbeat", direction: "below", threshold: 1, window_minutes: 5 })]);
    await storeRequests(id, times(20, T0 - MIN));

    const ok = await evaluate(id, T0);
    expect(ok.entries).toEqual([]);
    expect(await stateRows(id)).toEqual([expect.objectContaining({ rule_id: "alive", status: "ok", value: 4 })]);
    expect(ok.nextTickAt).toBe(T0 + MIN_TICK_MS);

    const silent = await evaluate(id, T0 + 6 * MIN);
    expect(silent.entries).toEqual([expect.objectContaining({ kind: "firing", value: 0 })]);
    // nothing in the window, but a below rule must still be looked at as time passes
    expect(silent.nextTickAt).toBe(T0 + 6 * MIN + MIN_TICK_MS);

    await storeRequests(id, times(10, T0 + 7 * MIN));
    expect((await evaluate(id, T0 + 8 * MIN)).entries).toEqual([expect.objectContaining({ kind: "resolved", value: 2 })]);
  });
});

describe("when to look again", () => {
  it("asks for no timer once no window holds events and nothing fires", async () => {
    const { id } = await workspace();
    await writeRules(id, [rule({ window_minutes: 60 })]);
    await storeRequests(id, [T0 - 2 * MIN]);
    // a fifth of the hour-long window
    expect((await evaluate(id, T0)).nextTickAt).toBe(T0 + 12 * MIN);
    expect((await evaluate(id, T0 + 61 * MIN)).nextTickAt).toBeNull();
  });
});

describe("rules changing", () => {
  it("resolves a disabled rule's alert (queuing its webhook) and a removed rule's (with none to post to)", async () => {
    const { id } = await workspace();
    const hooked = rule({ id: "a", name: "A", webhook_url: "https://hooks.example.com/a" });
    const plain = rule({ id: "b", name: "B" });
    await writeRules(id, [hooked, plain]);
    await storeRequests(id, times(30, T0 - MIN));
    const fired = await evaluate(id, T0);
    expect(fired.entries.map((e) => [e.rule_id, e.kind])).toEqual([
      ["a", "firing"],
      ["b", "firing"],
    ]);
    expect((await webhookRows(id)).map((w) => [w.history_id, w.url, w.state, w.attempts, w.next_attempt_at])).toEqual([
      [fired.entries[0]!.id, "https://hooks.example.com/a", "pending", 0, T0],
    ]);

    await writeRules(id, [{ ...hooked, enabled: false }]);
    const ended = await evaluate(id, T0 + MIN);
    expect(ended.entries).toEqual([
      expect.objectContaining({ rule_id: "a", kind: "resolved", value: null, detail: "rule disabled" }),
      expect.objectContaining({ rule_id: "b", name: "B", kind: "resolved", value: null, detail: "rule removed" }),
    ]);
    expect(await stateRows(id)).toEqual([]);
    expect((await webhookRows(id)).map((w) => w.history_id)).toEqual([fired.entries[0]!.id, ended.entries[0]!.id]);

    // nothing left to evaluate or resolve: no reads of events, no writes
    expect(await evaluate(id, T0 + 2 * MIN)).toEqual({ entries: [], nextTickAt: null, truncated: false, rules: 0 });
    expect(await hasAlertWork(env.DB, id)).toBe(false);
  });
});

describe("no rules, and other workspaces", () => {
  it("does nothing for a workspace without rules", async () => {
    const { id } = await workspace();
    await storeRequests(id, times(50, T0 - MIN), { latency_ms: 5000 });
    expect(await hasAlertWork(env.DB, id)).toBe(false);
    expect(await evaluate(id, T0)).toEqual({ entries: [], nextTickAt: null, truncated: false, rules: 0 });
    expect([await historyRows(id), await stateRows(id), await webhookRows(id)]).toEqual([[], [], []]);
  });

  it("reads only the workspace's own events, and writes only its own rows", async () => {
    const [a, b] = [await workspace(), await workspace()];
    await writeRules(a.id, [rule({ webhook_url: "https://hooks.example.com/a" })]);
    await writeRules(b.id, [rule({ threshold: 100 })]);
    // b is busy enough to fire a's rule, a is quiet
    await storeRequests(b.id, times(50, T0 - MIN));
    await storeRequests(a.id, [T0 - MIN]);
    expect((await evaluate(a.id, T0)).entries).toEqual([]);
    expect(await stateRows(a.id)).toEqual([expect.objectContaining({ status: "ok", value: 0.2 })]);

    await storeRequests(a.id, times(50, T0));
    expect((await evaluate(a.id, T0 + MIN)).entries).toHaveLength(1);
    expect([await historyRows(b.id), await stateRows(b.id), await webhookRows(b.id)]).toEqual([[], [], []]);
  });
});

describe("the row cap", () => {
  it("reads at most the cap, the newest events first, and says it cut", async () => {
    const { id } = await workspace();
    await writeRules(id, [rule({ threshold: 100 })]);
    await storeRequests(id, times(30, T0 - 4 * MIN, 4 * MIN));
    const capped = await evaluate(id, T0, 10);
    expect(capped.truncated).toBe(true);
    expect(await stateRows(id)).toEqual([expect.objectContaining({ value: 2 })]);
    expect((await evaluate(id, T0, 30)).truncated).toBe(false);
    expect(await stateRows(id)).toEqual([expect.objectContaining({ value: 6 })]);
  });
});

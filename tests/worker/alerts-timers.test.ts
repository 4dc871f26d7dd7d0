// Alerts without ingest: the hub's alarm evaluates again when time alone can
// change an alert, a rule edit is evaluated at once, and the hourly job wakes
// hubs whose timers seem lost (a stale firing alert, an overdue webhook).
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MIN_TICK_MS } from "../../worker/alerts/evaluate.ts";
import { wakeLostAlertTimers } from "../../worker/alerts/backstop.ts";
import { storeEvaluation, workspacesWithLostAlertTimers } from "../../worker/db/alerts.ts";
import { historyRows, rule, stateRows, webhookRows, writeRules } from "./alert-fixtures.ts";
import { hubStub, patchConfig, workspace } from "./helpers.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const HOUR = 3_600_000;

describe("the hub's alarm", () => {
  it("evaluates a new below rule at once (silence fires it) and keeps looking every minute", async () => {
    const ws = await workspace();
    const before = Date.now();
    await patchConfig(ws, { alert_rules: [rule({ id: "alive", name: "Heartbeat", direction: "below", threshold: 1 })] });
    await vi.waitFor(async () => expect(await historyRows(ws.id)).toEqual([expect.objectContaining({ rule_id: "alive", kind: "firing", value: 0 })]), { timeout: 3_000 });
    const evaluated = (await stateRows(ws.id))[0]!.evaluated_at as number;
    expect(evaluated).toBeGreaterThanOrEqual(before);

    const hub = hubStub(ws.id);
    const next = await runInDurableObject(hub, async (_, state) => ({ at: await state.storage.get<number>("alerts:evaluate_at"), alarm: await state.storage.getAlarm() }));
    expect(next).toEqual({ at: evaluated + MIN_TICK_MS, alarm: evaluated + MIN_TICK_MS });

    // the minute passes (the alarm is run early, with its due time moved back to match)
    await runInDurableObject(hub, (_, state) => state.storage.put("alerts:evaluate_at", Date.now()));
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect((await stateRows(ws.id))[0]!.evaluated_at).toBeGreaterThan(evaluated);
    // still silent: still firing, no second entry
    expect(await historyRows(ws.id)).toHaveLength(1);
  });

  it("does nothing when the alarm rings before anything is due", async () => {
    const ws = await workspace();
    await patchConfig(ws, { alert_rules: [rule({ direction: "below" })] });
    await vi.waitFor(async () => expect(await stateRows(ws.id)).toHaveLength(1), { timeout: 3_000 });
    const evaluated = (await stateRows(ws.id))[0]!.evaluated_at;
    expect(await runDurableObjectAlarm(hubStub(ws.id))).toBe(true);
    expect((await stateRows(ws.id))[0]!.evaluated_at).toBe(evaluated);
  });
});

describe("the hourly backstop", () => {
  it("wakes the hub of a firing alert left unevaluated for over an hour, and of an overdue webhook", async () => {
    const [stale, overdue, fresh] = [await workspace(), await workspace(), await workspace()];
    const now = Date.now();
    const firing = (at: number) => ({ rule_id: "r1", name: "Busy", status: "firing" as const, since: at, evaluated_at: at, value: 9, threshold: 1, severity: "warning" as const, detail: "" });
    const transition = (at: number) => ({ rule_id: "r1", name: "Busy", kind: "firing" as const, at, value: 9, threshold: 1, severity: "warning" as const, detail: "" });
    for (const ws of [stale, overdue, fresh]) await writeRules(ws.id, [rule({ webhook_url: "https://hooks.example.com/x" })]);
    await storeEvaluation(env.DB, stale.id, [firing(now - 2 * HOUR)], [], now - 2 * HOUR);
    await storeEvaluation(env.DB, overdue.id, [firing(now - 5 * 60_000)], [{ transition: transition(now - HOUR), webhookUrl: "https://hooks.example.com/x" }], now - HOUR);
    await storeEvaluation(env.DB, fresh.id, [firing(now - 5 * 60_000)], [], now);

    const lost = await workspacesWithLostAlertTimers(env.DB, now - HOUR, now - 10 * 60_000, 1000);
    expect(lost).toEqual(expect.arrayContaining([stale.id, overdue.id]));
    expect(lost).not.toContain(fresh.id);

    const hooks = vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("ok"));
    const woken = await wakeLostAlertTimers(env, now);
    expect(woken.woken).toBeGreaterThanOrEqual(2);
    expect(woken.failed).toBe(0);
    // the stale alert resolves (no events at all), the overdue webhook goes out
    await vi.waitFor(async () => expect(await stateRows(stale.id)).toEqual([expect.objectContaining({ status: "ok", value: 0 })]), { timeout: 3_000 });
    await vi.waitFor(async () => expect((await webhookRows(overdue.id)).map((w) => w.state)).toContain("delivered"), { timeout: 3_000 });
    expect(hooks).toHaveBeenCalled();
  });
});

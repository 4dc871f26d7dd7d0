// Alerts through the Worker, as a CI sender and a browser see them: posting
// events that cross a rule sends an `alert` message to live sockets and
// posts the rule's webhook, while ingestion answers as always even when the
// evaluation or the webhook fails. Outbound fetch is stubbed: no network.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AlertsResponse, LiveAlertMessage, LiveMessage } from "../../shared/wire.ts";
import { ALERT_THROTTLE_MS } from "../../worker/alerts/runner.ts";
import { historyRows, MIN, rule, stateRows, webhookRows } from "./alert-fixtures.ts";
import { api, connectLive, countEvents, hubStub, ingest, patchConfig, requestEvents, sleep, workspace, type LiveClient, type Ws } from "./helpers.ts";

const HOOK = "https://hooks.example.com/tally";

afterEach(() => {
  vi.restoreAllMocks();
});

/** `n` request events spread over the last half minute. */
const recent = (n: number) => {
  const now = Date.now();
  return requestEvents(n, (i) => ({ ts: now - 30_000 + i }));
};

/** The next message of a type, skipping others (events messages come first). */
async function nextOfType<T extends LiveMessage["type"]>(client: LiveClient, type: T, ms = 4_000): Promise<Extract<LiveMessage, { type: T }>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = await client.next(Math.max(1, deadline - Date.now()));
    if (m.type === type) return m as Extract<LiveMessage, { type: T }>;
  }
}

async function alerts(ws: Ws, query = ""): Promise<AlertsResponse> {
  const res = await api(`/api/v1/workspaces/${ws.id}/alerts${query}`, { token: ws.read });
  expect(res.status).toBe(200);
  return res.json();
}

/** What the hub keeps about alerts in its storage, and its alarm. */
function hubAlerts(ws: string) {
  return runInDurableObject(hubStub(ws), async (_, state) => ({
    stored: Object.fromEntries(await state.storage.list({ prefix: "alerts:" })),
    alarm: await state.storage.getAlarm(),
  }));
}

/** Lets outbound calls to the webhook host answer as `answer` says; anything else fails the test. */
function stubWebhooks(answer: () => Response | Promise<Response>) {
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(HOOK)) throw new Error(`unexpected fetch of ${url}`);
    return answer();
  });
}

describe("an alert crossing on ingest", () => {
  it("reaches live sockets once stored, as GET alerts lists it, and the rule's webhook", async () => {
    const ws = await workspace();
    const hooks = stubWebhooks(() => new Response("ok"));
    await patchConfig(ws, { alert_rules: [rule({ id: "busy", name: "Busy", webhook_url: HOOK })] });
    const { client } = await connectLive(ws.id, ws.read);

    expect(await ingest(ws.id, ws.write, recent(30))).toMatchObject({ accepted: 30 });
    const message = await nextOfType(client, "alert");
    expect(message).toEqual({
      type: "alert",
      workspace: ws.id,
      alert: expect.objectContaining({ rule_id: "busy", name: "Busy", kind: "firing", value: 6, threshold: 1, severity: "warning" }),
    } satisfies LiveAlertMessage);

    const listed = await alerts(ws);
    expect(listed.history).toEqual([message.alert]);
    expect(listed.states).toEqual([expect.objectContaining({ rule_id: "busy", status: "firing", value: 6 })]);
    expect(listed.next_before).toBeNull();

    await vi.waitFor(async () => expect((await webhookRows(ws.id)).map((w) => w.state)).toEqual(["delivered"]), { timeout: 3_000 });
    expect(hooks).toHaveBeenCalledTimes(1);
    const [, init] = hooks.mock.calls[0]!;
    expect(JSON.parse(init!.body as string)).toEqual({ workspace: ws.id, alert: message.alert });
  });

  it("evaluates at most once per throttle period under a stream of batches, and the last batch all the same", async () => {
    const ws = await workspace();
    await patchConfig(ws, { alert_rules: [rule({ threshold: 1000 })] });
    await ingest(ws.id, ws.write, recent(5));
    await vi.waitFor(async () => expect(await stateRows(ws.id)).toEqual([expect.objectContaining({ value: 1 })]), { timeout: 3_000 });
    const first = (await stateRows(ws.id))[0]!.evaluated_at as number;

    await ingest(ws.id, ws.write, recent(5));
    await ingest(ws.id, ws.write, recent(5));
    await sleep(300);
    // not evaluated again yet, but due at the end of the throttle period
    expect((await stateRows(ws.id))[0]!.evaluated_at).toBe(first);
    expect((await hubAlerts(ws.id)).stored["alerts:evaluate_at"]).toBeGreaterThanOrEqual(first + ALERT_THROTTLE_MS);

    await vi.waitFor(async () => expect((await stateRows(ws.id))[0]).toMatchObject({ value: 3 }), { timeout: ALERT_THROTTLE_MS + 3_000, interval: 200 });
    expect((await stateRows(ws.id))[0]!.evaluated_at).toBeGreaterThanOrEqual(first + ALERT_THROTTLE_MS);
  }, 15_000);
});

describe("failures stay out of ingestion", () => {
  it("stores events and answers 200 when the evaluation fails, and tries again a minute later", async () => {
    const ws = await workspace();
    await patchConfig(ws, { alert_rules: [rule()] });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const trigger = `fail_alerts_${ws.id}`;
    await env.DB.prepare(`CREATE TRIGGER ${trigger} BEFORE INSERT ON alert_history WHEN NEW.workspace_id = '${ws.id}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`).run();
    try {
      const res = await api(`/api/v1/workspaces/${ws.id}/events`, {
        method: "POST",
        token: ws.write,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(recent(30)),
      });
      expect(res.status).toBe(200);
      expect(await countEvents(ws.id)).toBe(30);
      await vi.waitFor(() => expect(errors).toHaveBeenCalledWith("alerts: evaluation failed", ws.id, expect.anything()), { timeout: 3_000 });
    } finally {
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
    expect(await historyRows(ws.id)).toEqual([]);
    const { stored, alarm } = await hubAlerts(ws.id);
    expect(stored["alerts:evaluate_at"]).toBeGreaterThan(Date.now() + MIN / 2);
    expect(alarm).toBe(stored["alerts:evaluate_at"]);
  });

  it("answers 200 when the webhook fails, and keeps the delivery for a retry", async () => {
    const ws = await workspace();
    const hooks = stubWebhooks(() => {
      throw new TypeError("network connection lost");
    });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    await patchConfig(ws, { alert_rules: [rule({ webhook_url: HOOK })] });
    expect(await ingest(ws.id, ws.write, recent(30))).toMatchObject({ accepted: 30 });
    await vi.waitFor(async () => expect(await webhookRows(ws.id)).toEqual([expect.objectContaining({ state: "pending", attempts: 1, last_error: "TypeError: network connection lost" })]), {
      timeout: 3_000,
    });
    expect(hooks).toHaveBeenCalledTimes(1);
    const retryAt = (await webhookRows(ws.id))[0]!.next_attempt_at as number;
    const { stored, alarm } = await hubAlerts(ws.id);
    expect(stored["alerts:webhooks_at"]).toBe(retryAt);
    expect(alarm).toBeLessThanOrEqual(retryAt);
    expect(await countEvents(ws.id)).toBe(30);
  });
});

describe("workspaces without rules, and other workspaces", () => {
  it("costs no alert work: no rows, no hub storage, no alarm", async () => {
    const ws = await workspace();
    const { client } = await connectLive(ws.id, ws.read);
    await ingest(ws.id, ws.write, requestEvents(20, () => ({ ts: Date.now() })));
    expect((await client.next()).type).toBe("events");
    await sleep(200);
    expect(client.pending()).toEqual([]);
    expect([await historyRows(ws.id), await stateRows(ws.id), await webhookRows(ws.id)]).toEqual([[], [], []]);
    expect(await hubAlerts(ws.id)).toEqual({ stored: {}, alarm: null });
  });

  it("sends a workspace's alerts to its own sockets only", async () => {
    const [a, b] = [await workspace(), await workspace()];
    await patchConfig(a, { alert_rules: [rule()] });
    await patchConfig(b, { alert_rules: [rule({ threshold: 1000 })] });
    const onA = (await connectLive(a.id, a.read)).client;
    const onB = (await connectLive(b.id, b.read)).client;
    await ingest(a.id, a.write, recent(30));
    expect((await nextOfType(onA, "alert")).workspace).toBe(a.id);
    await ingest(b.id, b.write, recent(30));
    await vi.waitFor(async () => expect(await stateRows(b.id)).toEqual([expect.objectContaining({ status: "ok", value: 6 })]), { timeout: 3_000 });
    await sleep(100);
    expect(onB.pending().map((t) => (JSON.parse(t) as LiveMessage).type)).toEqual(["events"]);
    expect((await alerts(b)).history).toEqual([]);
    expect((await alerts(a)).history).toHaveLength(1);
  });
});

// An alert rule end to end: written into the workspace config by an admin,
// evaluated by the edge as events are posted, pushed to the open Chaos &
// alerts view, which shows it firing and then resolved, without a reload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { AlertsResponse, ConfigPatchRequest, IngestResponse } from "../../shared/wire.ts";
import { launchChromium, requireChromium } from "../support/chromium.ts";
import { startWranglerDev, type DevServer } from "../support/wrangler-dev.ts";
import { seedWorkspace, type SeededWorkspace } from "./fixtures.ts";

const chromiumAt = requireChromium("the alert end-to-end test");
const ADMIN = "e2e-admin-secret-alerts-0123456789";
const RULE = { id: "slow-p95", name: "Slow <i>checkout</i>", type: "latency", percentile: "p95", threshold: 500, window_minutes: 10, severity: "warning" } as const;

/** `n` requests just now, all with the same latency. */
function requests(n: number, latency: number, tag: string): Record<string, unknown>[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${i}`,
    ts: now - 1000 + i,
    type: "request",
    name: "POST /checkout",
    props: { method: "POST", endpoint: "/checkout", status: 200, latency_ms: latency, protocol: "http", env: "prod" },
  }));
}

describe.skipIf(!chromiumAt)("an alert rule fires and resolves on screen", () => {
  let server: DevServer;
  let browser: Browser;
  let page: Page;
  let ws: SeededWorkspace;

  async function post(events: Record<string, unknown>[]): Promise<void> {
    const res = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ws.write}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events }),
    });
    const body = (await res.json()) as IngestResponse;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.accepted).toBe(events.length);
  }

  async function history(): Promise<AlertsResponse> {
    const res = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/alerts`, { headers: { Authorization: `Bearer ${ws.read}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as AlertsResponse;
  }

  beforeAll(async () => {
    server = await startWranglerDev({ label: "e2e-alerts", config: "wrangler.toml", database: "tally", vars: { TALLY_ADMIN_SECRET: ADMIN } });
    ws = await seedWorkspace(server.url, ADMIN, requests(100, 20, "calm"));
    const patch: ConfigPatchRequest = { set: { alert_rules: [RULE] } };
    const res = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/config`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${ws.admin}`, "Content-Type": "application/json" },
      body: JSON.stringify(patch),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    browser = await launchChromium(chromiumAt!);
    page = await (await browser.newContext({ locale: "en-US" })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the rule firing when slow requests arrive, and resolved once they are fast again", async () => {
    await page.goto(`${server.url}/#/w/${ws.id}/chaos?key=${ws.read}`);
    const alert = page.getByTestId(`alert-${RULE.id}`);
    // the rule's name is text, never markup
    await expect.poll(async () => (await alert.first().innerText({ timeout: 30_000 })).includes(RULE.name), { timeout: 30_000 }).toBe(true);
    expect(await alert.first().getAttribute("data-state")).toBe("ok");

    // 100 calm + 60 slow: the p95 of the last 10 minutes jumps far past 500 ms
    await post(requests(60, 2000, "slow"));
    await page.locator(`[data-testid="alert-${RULE.id}"][data-state="firing"]`).first().waitFor({ timeout: 30_000 });
    expect((await history()).history.map((h) => [h.rule_id, h.kind])).toEqual([[RULE.id, "firing"]]);

    // 3,000 fast requests push the slow ones out of the top 5%: back under 450 ms, so it resolves
    for (let i = 0; i < 3; i++) await post(requests(1000, 15, `fast${i}`));
    await page.locator(`[data-testid="alert-${RULE.id}"][data-state="ok"]`).first().waitFor({ timeout: 30_000 });
    expect((await history()).history.map((h) => [h.rule_id, h.kind])).toEqual([
      [RULE.id, "resolved"],
      [RULE.id, "firing"],
    ]);
  });
});

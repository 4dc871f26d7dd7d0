// Live updates end to end: two browser contexts on one workspace's share link against
// `wrangler dev`; events posted with `tally post` reach both Traffic views without a
// reload (one of them with its pulls blocked, so only the socket can bring them), and a
// context cut off meanwhile catches up to the API's count when it is back online.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { IngestResponse, TokenListResponse } from "../../shared/wire.ts";
import { formatInteger } from "../../app/src/components/format.ts";
import { launchChromium, requireChromium } from "../support/chromium.ts";
import { startWranglerDev, type DevServer } from "../support/wrangler-dev.ts";
import { pullAll, seedWorkspace, trafficEvents, type SeededWorkspace } from "./fixtures.ts";

const chromiumAt = requireChromium("the live end-to-end tests");
const ADMIN = "e2e-admin-secret-0123456789";
const run = promisify(execFile);

/** `n` request events from just now, ids prefixed so every batch is new. */
function requests(prefix: string, n: number): Record<string, unknown>[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    ts: now - 1000 * i,
    type: "request",
    name: "GET /api/live",
    props: { method: "GET", endpoint: "/api/live", status: i % 5 === 0 ? 500 : 200, latency_ms: 10 + i, protocol: "http", env: "prod" },
  }));
}

describe.skipIf(!chromiumAt)("live updates across two browser contexts", () => {
  let server: DevServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  let ws: SeededWorkspace;
  let dir: string;

  beforeAll(async () => {
    server = await startWranglerDev({ label: "e2e-live", config: "wrangler.toml", database: "tally", vars: { TALLY_ADMIN_SECRET: ADMIN } });
    ws = await seedWorkspace(server.url, ADMIN, trafficEvents(300, Date.now()));
    dir = await mkdtemp(join(tmpdir(), "tally-e2e-live-"));
    browser = await launchChromium(chromiumAt!);
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext({ locale: "en-US" });
      contexts.push(context);
      pages.push(await context.newPage());
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The workspace's requests as the API serves them now. */
  async function apiRequests(): Promise<number> {
    return (await pullAll(server.url, ws.id, ws.read)).filter((e) => e.type === "request").length;
  }

  function requestsShown(page: Page, count: number, timeout = 15_000): Promise<void> {
    return page.getByTestId("card-requests").and(page.locator(`[title="${formatInteger(count)}"]`)).waitFor({ timeout });
  }

  function indicator(page: Page, state: string, timeout = 15_000): Promise<void> {
    return page.locator(`[data-testid="live-indicator"][data-state="${state}"]`).waitFor({ timeout });
  }

  /** Posts with the CLI, as CI does. */
  async function tallyPost(events: Record<string, unknown>[], name: string): Promise<void> {
    const file = join(dir, name);
    await writeFile(file, events.map((e) => JSON.stringify(e)).join("\n"));
    const { stdout } = await run(process.execPath, ["cli/bin/tally.mjs", "post", file, "--url", server.url, "--workspace", ws.id, "--token", ws.write], { env: { ...process.env, NO_COLOR: "1" } });
    expect(stdout).toMatch(new RegExp(`${events.length} accepted`));
  }

  it("opens the share link in both contexts and shows the totals, live", async () => {
    const expected = await apiRequests();
    expect(expected).toBe(300);
    for (const page of pages) {
      await page.goto(`${server.url}/#/w/${ws.id}/traffic?key=${ws.read}`);
      await page.waitForURL((u) => u.hash.startsWith(`#/w/${ws.id}/traffic`));
      await requestsShown(page, expected, 60_000);
      await indicator(page, "live");
      expect(await page.getByTestId("live-indicator").innerText()).toContain("Live");
    }
  });

  it("shows events posted with `tally post` in both contexts without a reload, the second one with its pulls blocked", async () => {
    const [a, b] = pages as [Page, Page];
    // only the socket can update the second context now: its pulls fail
    await contexts[1]!.route(/\/api\/v1\/workspaces\/[^/]+\/events\?/, (route) => route.abort());
    // a live update feeds the charts new data; it must not rebuild them (a new plot per batch is a full layout each time).
    // The latency chart's series (p50, p95, p99) never change; the requests chart's follow the protocols' order by count
    const LATENCY_CANVAS = '[data-testid="chart-latency"] canvas';
    const tagCanvases = (page: Page) => page.locator(LATENCY_CANVAS).evaluate((c) => c.setAttribute("data-before-live", ""));
    await Promise.all([tagCanvases(a), tagCanvases(b)]);
    try {
      await tallyPost(requests("live-cli", 40), "batch-1.ndjson");
      const expected = await apiRequests();
      expect(expected).toBe(340);
      await Promise.all([requestsShown(a, expected), requestsShown(b, expected)]);
      for (const page of [a, b]) expect(await page.locator(LATENCY_CANVAS).getAttribute("data-before-live")).toBe("");
      await Promise.all([indicator(a, "live"), indicator(b, "live")]);
      // the page was never reloaded: the session that opened the link is still the one showing it
      expect(await b.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(1);
    } finally {
      await contexts[1]!.unrouteAll();
    }
  });

  it("brings the panels below the fold up to date as well, without scrolling to them", async () => {
    const page = pages[0]!;
    await page.evaluate(() => window.scrollTo(0, 0));
    // out of sight, with room to spare: its update waits for an idle moment rather than the next frame
    const box = await page.getByTestId("panel-endpoints").boundingBox();
    expect(box!.y).toBeGreaterThan(page.viewportSize()!.height + 300);
    const late = requests("live-late", 12).map((e) => ({ ...e, name: "GET /api/late", props: { ...(e["props"] as object), endpoint: "/api/late" } }));
    await tallyPost(late, "batch-late.ndjson");
    await requestsShown(page, await apiRequests());
    await page.getByTestId("table-endpoints").getByText("/api/late").waitFor({ state: "attached", timeout: 5_000 });
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
  });

  it("catches a context cut off meanwhile up to the API's count when it is back online", async () => {
    const [a, b] = pages as [Page, Page];
    const before = await apiRequests();
    await contexts[0]!.setOffline(true);
    try {
      await indicator(a, "offline");
      // posted while the first context cannot hear: by the API, and once more with the CLI
      const posted = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/events`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ws.write}`, "Content-Type": "application/json" },
        body: JSON.stringify({ events: requests("live-offline", 25) }),
      });
      expect(((await posted.json()) as IngestResponse).accepted).toBe(25);
      await tallyPost(requests("live-offline-cli", 15), "batch-2.ndjson");
      const expected = await apiRequests();
      expect(expected).toBe(before + 40);
      await requestsShown(b, expected);
      // still what it had when it went offline
      expect(await a.getByTestId("card-requests").getAttribute("title")).toBe(formatInteger(before));
    } finally {
      await contexts[0]!.setOffline(false);
    }
    await indicator(a, "live");
    const expected = await apiRequests();
    await requestsShown(a, expected);
    expect(await a.getByTestId("card-requests").getAttribute("title")).toBe(await b.getByTestId("card-requests").getAttribute("title"));
  });

  it("says the link is revoked, in both the live indicator and the sync badge, when the read token is revoked", async () => {
    const admin = { Authorization: `Bearer ${ws.admin}` };
    const { tokens } = (await (await fetch(`${server.url}/api/v1/workspaces/${ws.id}/tokens`, { headers: admin })).json()) as TokenListResponse;
    const read = tokens.filter((t) => t.kind === "read" && t.revoked_at === null);
    expect(read).toHaveLength(1);
    const revoked = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/tokens/${read[0]!.id}`, { method: "DELETE", headers: admin });
    expect(revoked.status).toBe(200);
    for (const page of pages) {
      // the hub closes the socket with 4401; the pull that follows gets the 401
      await indicator(page, "revoked");
      await page.locator('[data-testid="sync-badge"][data-state="denied"]').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId("live-indicator").innerText()).toContain("Revoked");
    }
  });
});

// The browser half end to end: a share link opened in Chromium against
// `wrangler dev`, the Traffic cards checked against what the API's events
// give, then offline reload, CSV export, the service worker and the manifest.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { formatCount, formatInteger, formatMs, formatPercent } from "../../app/src/components/format.ts";
import { launchChromium, requireChromium } from "../support/chromium.ts";
import { parseCsv } from "../support/parse-csv.ts";
import { startWranglerDev, type DevServer } from "../support/wrangler-dev.ts";
import { expectedCards, seedWorkspace, trafficEvents, type SeededWorkspace } from "./fixtures.ts";

const chromiumAt = requireChromium("the end-to-end tests");
const ADMIN = "e2e-admin-secret-0123456789";

describe.skipIf(!chromiumAt)("share link → Traffic view, online and offline", () => {
  let server: DevServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ws: SeededWorkspace;
  /** The cards' text as the API's events say they must read. */
  let expectedText: Record<string, string>;
  /** Console errors about the Content Security Policy: the app must need no exception to it. */
  const cspErrors: string[] = [];

  beforeAll(async () => {
    server = await startWranglerDev({ label: "e2e", config: "wrangler.toml", database: "tally", vars: { TALLY_ADMIN_SECRET: ADMIN } });
    ws = await seedWorkspace(server.url, ADMIN, trafficEvents(2400, Date.now()));
    const expected = expectedCards(ws.events);
    expect(expected.requests).toBe(2400);
    expectedText = {
      requests: formatCount(expected.requests),
      "error-rate": formatPercent(expected.errorRate),
      p50: formatMs(expected.p50),
      p95: formatMs(expected.p95),
      p99: formatMs(expected.p99),
    };
    browser = await launchChromium(chromiumAt!);
    context = await browser.newContext({ locale: "en-US", acceptDownloads: true });
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" && m.text().includes("Content Security Policy")) cspErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Waits until sync has settled and the requests card shows every request. */
  async function trafficSettled(requests: number): Promise<void> {
    await page.getByTestId("card-requests").and(page.locator(`[title="${formatInteger(requests)}"]`)).waitFor({ timeout: 60_000 });
  }

  async function cardValues(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const id of ["requests", "error-rate", "p50", "p95", "p99"]) out[id] = (await page.getByTestId(`card-${id}-value`).innerText()).trim();
    return out;
  }

  it("opens the share link, forgets the key in the URL and shows the API's totals", async () => {
    await page.goto(`${server.url}/#/w/${ws.id}?key=${ws.read}`);
    await page.waitForURL((u) => u.hash === `#/w/${ws.id}/overview`);
    expect(page.url()).not.toContain(ws.read);
    await page.getByTestId("tab-traffic").click();
    await trafficSettled(2400);
    await page.locator('[data-testid="sync-badge"][data-state="idle"]').waitFor();
    expect(await cardValues()).toEqual(expectedText);
    // the workspace name is user input: shown as text, never as markup
    expect(await page.locator("b", { hasText: "shop" }).count()).toBe(0);
  });

  it("is controlled by the service worker after a reload", async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  });

  it("shows the same numbers offline after a reload", async () => {
    await context.setOffline(true);
    try {
      await page.reload();
      await trafficSettled(2400);
      expect(await cardValues()).toEqual(expectedText);
      await page.locator('[data-testid="sync-badge"][data-state="offline"]').waitFor();
    } finally {
      await context.setOffline(false);
    }
  });

  it("exports the filtered events as CSV whose rows are the workspace's requests", async () => {
    await page.getByTestId("export-traffic").locator("summary").click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-traffic-events-csv").click()]);
    const rows = parseCsv(await readFile((await download.path())!, "utf8"));
    const [header, ...records] = rows;
    const idColumn = header!.indexOf("id");
    const statusColumn = header!.indexOf("props.status");
    expect(idColumn).toBeGreaterThanOrEqual(0);
    const requests = ws.events.filter((e) => e.type === "request");
    expect(records).toHaveLength(requests.length);
    expect(new Set(records.map((r) => r[idColumn]))).toEqual(new Set(requests.map((e) => e.id)));
    const byId = new Map(requests.map((e) => [e.id, e]));
    for (const r of records) expect(Number(r[statusColumn])).toBe(byId.get(r[idColumn]!)!.props["status"]);
  });

  it("serves a web manifest valid for install, with real PNG icons", async () => {
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).toBeTruthy();
    const manifest = (await (await fetch(new URL(href!, server.url))).json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest.name).toBe("Tally");
    expect(manifest.short_name).toBeTruthy();
    expect(manifest.start_url).toBeTruthy();
    expect(["standalone", "fullscreen", "minimal-ui"]).toContain(manifest.display);
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}` && i.type === "image/png");
      expect(icon, `a ${size}px PNG icon`).toBeDefined();
      const png = Buffer.from(await (await fetch(new URL(icon!.src, server.url))).arrayBuffer());
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });

  it("ran everything above without breaking its Content Security Policy (no inline styles or scripts)", () => {
    expect(cspErrors).toEqual([]);
  });
});

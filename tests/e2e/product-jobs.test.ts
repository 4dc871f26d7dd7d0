// Product and Jobs & cost end to end, against `wrangler dev`: a workspace of
// product events (an experiment, a funnel's journeys) and jobs is posted
// through the API with its funnel in the config; Chromium opens both views,
// and the experiment's verdict, the funnel's drop-off and the cost total read
// as this test computes them from the events it made, by plain arithmetic
// that shares no code with the app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { ConfigResponse } from "../../shared/wire.ts";
import { launchChromium, requireChromium } from "../support/chromium.ts";
import { startWranglerDev, type DevServer } from "../support/wrangler-dev.ts";
import { seedWorkspace, type SeededWorkspace } from "./fixtures.ts";

const chromiumAt = requireChromium("the Product and Jobs end-to-end test");
const ADMIN = "e2e-admin-secret-product-0123456789";
const MIN = 60_000;
const HOUR = 60 * MIN;

const FUNNEL = { name: "Checkout <i>flow</i>", steps: [{ name: "cart_add" }, { name: "checkout_start" }, { name: "purchase" }], window_hours: 2 };

type Ev = { id: string; ts: number; type: string; name: string; props: Record<string, string | number | boolean> };

/** 400 users in an experiment: control converts 1 in 10, "bold" 1 in 4; one control user converted only before seeing it. */
function experimentEvents(t0: number): Ev[] {
  const out: Ev[] = [];
  for (let i = 0; i < 400; i++) {
    const user = `x${i}`;
    const variant = i < 200 ? "control" : "bold";
    const seen = t0 + i * MIN;
    out.push({ id: `exp-${i}`, ts: seen, type: "track", name: "checkout_view", props: { user, experiment: "checkout-copy", variant } });
    // a later event in another variant changes nothing: the first variant seen counts
    if (i % 50 === 1) out.push({ id: `exp-late-${i}`, ts: seen + 5 * MIN, type: "track", name: "checkout_view", props: { user, experiment: "checkout-copy", variant: variant === "bold" ? "control" : "bold" } });
    const converts = variant === "control" ? i % 10 === 0 : i % 4 === 0;
    if (converts) out.push({ id: `conv-${i}`, ts: seen + 30 * MIN, type: "track", name: "checkout_done", props: { user, experiment: "checkout-copy", converted: true } });
    if (i === 1) out.push({ id: "conv-early-1", ts: seen - 30 * MIN, type: "track", name: "checkout_done", props: { user, experiment: "checkout-copy", converted: true } });
  }
  return out;
}

/** Journeys through the funnel: complete, out of order, too slow, repeated, and never started. */
function funnelEvents(t0: number): Ev[] {
  const out: Ev[] = [];
  const step = (user: string, name: string, ts: number, n: number) => out.push({ id: `f-${user}-${name}-${n}`, ts, type: "track", name, props: { user } });
  for (let i = 0; i < 100; i++) {
    const user = `f${i}`;
    const t = t0 + i * 2 * MIN;
    if (i < 30) {
      step(user, "cart_add", t, 0);
      if (i < 10) step(user, "cart_add", t + MIN, 1);
      step(user, "checkout_start", t + 10 * MIN, 0);
      step(user, "purchase", t + 20 * MIN, 0);
    } else if (i < 40) {
      // bought before starting checkout: only the first two steps are in order
      step(user, "cart_add", t, 0);
      step(user, "purchase", t + 5 * MIN, 0);
      step(user, "checkout_start", t + 10 * MIN, 0);
    } else if (i < 60) {
      step(user, "cart_add", t, 0);
      step(user, "checkout_start", t + 30 * MIN, 0);
    } else if (i < 80) {
      // the second step comes after the two-hour window
      step(user, "cart_add", t, 0);
      step(user, "checkout_start", t + 3 * HOUR, 0);
    } else {
      step(user, "checkout_start", t, 0);
      step(user, "purchase", t + MIN, 0);
    }
  }
  return out;
}

/** 37 jobs with costs in whole cents, some without a cost. */
function jobEvents(t0: number): Ev[] {
  const providers = ["openai", "anthropic", "local"];
  return Array.from({ length: 37 }, (_, i) => ({
    id: `job-${i}`,
    ts: t0 + i * 7 * MIN,
    type: "job",
    name: `render-${i % 5}`,
    props: {
      status: i % 9 === 0 ? "failed" : "succeeded",
      provider: providers[i % 3]!,
      strategy: i % 2 ? "fast" : "careful",
      duration_s: 10 + i,
      user: `u${i % 4}`,
      ...(i % 11 === 5 ? {} : { cost_usd: (((i * 173) % 997) + 3) / 100 }),
    },
  }));
}

/** Users reaching each step, by the definition: steps in time order, the last within the window of the first, the best start taken. */
function expectedFunnel(events: Ev[]): number[] {
  const byUser = new Map<string, Ev[]>();
  for (const e of events) if (e.type === "track") byUser.set(String(e.props["user"]), [...(byUser.get(String(e.props["user"])) ?? []), e]);
  const reached = FUNNEL.steps.map(() => 0);
  for (const list of byUser.values()) {
    list.sort((a, b) => a.ts - b.ts);
    let best = 0;
    list.forEach((start, s) => {
      if (start.name !== FUNNEL.steps[0]!.name) return;
      // from one start, taking each step's first event after the last step's is the deepest path
      let depth = 1;
      for (let j = s + 1; j < list.length && depth < FUNNEL.steps.length; j++) {
        if (list[j]!.ts - start.ts > FUNNEL.window_hours * HOUR) break;
        if (list[j]!.name === FUNNEL.steps[depth]!.name) depth++;
      }
      best = Math.max(best, depth);
    });
    for (let k = 0; k < best; k++) reached[k]!++;
  }
  return reached;
}

/** Two-sided p of the pooled two-proportion z-test: the normal tail beyond |z|, twice, by Simpson's rule. */
function twoProportionP(x1: number, n1: number, x2: number, n2: number): number {
  const pooled = (x1 + x2) / (n1 + n2);
  const z = Math.abs(x2 / n2 - x1 / n1) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const steps = 20_000;
  const h = 12 / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const x = z + i * h;
    sum += (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) * Math.exp((-x * x) / 2);
  }
  return (2 * ((sum * h) / 3)) / Math.sqrt(2 * Math.PI);
}

/** The 95% interval of the rate difference (unpooled), as the view words it in percentage points. */
function intervalText(x1: number, n1: number, x2: number, n2: number): string {
  const [r1, r2] = [x1 / n1, x2 / n2];
  const half = 1.959964 * Math.sqrt((r1 * (1 - r1)) / n1 + (r2 * (1 - r2)) / n2);
  const pts = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v * 100).toFixed(1)}`;
  return `${pts(r2 - r1 - half)} to ${pts(r2 - r1 + half)} pts`;
}

describe.skipIf(!chromiumAt)("product and jobs workspace → Product and Jobs & cost views", () => {
  let server: DevServer;
  let browser: Browser;
  let page: Page;
  let ws: SeededWorkspace;
  let events: Ev[];

  beforeAll(async () => {
    server = await startWranglerDev({ label: "e2e-product", config: "wrangler.toml", database: "tally", vars: { TALLY_ADMIN_SECRET: ADMIN } });
    const t0 = Date.now() - 20 * HOUR;
    events = [...experimentEvents(t0), ...funnelEvents(t0 + HOUR), ...jobEvents(t0)];
    ws = await seedWorkspace(server.url, ADMIN, events);
    const res = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/config`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${ws.admin}`, "Content-Type": "application/json" },
      body: JSON.stringify({ set: { funnels: [FUNNEL] } }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as ConfigResponse).config.funnels).toEqual([FUNNEL]);
    browser = await launchChromium(chromiumAt!);
    page = await (await browser.newContext({ locale: "en-US" })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the experiment's verdict and variants as computed from the events", async () => {
    // control: users x0..x199, converting when i % 10 = 0 (x1's only conversion came before it saw the page)
    const control = { users: 200, conversions: 20 };
    const bold = { users: 200, conversions: 50 };
    const p = twoProportionP(control.conversions, control.users, bold.conversions, bold.users);
    expect(p).toBeLessThan(0.001);

    await page.goto(`${server.url}/#/w/${ws.id}/product?key=${ws.read}`);
    const verdict = page.getByTestId("experiment-verdict");
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.innerText()).toMatch(/^Better \(bold\):/);
    const rows = await page.getByTestId("table-experiment-0").locator("tbody tr").allInnerTexts();
    const cells = rows.map((r) => r.split("\t").map((c) => c.trim()));
    expect(await page.getByTestId("table-experiment-0").locator("tbody tr .product-name").allInnerTexts()).toEqual(["control", "bold"]);
    // users, conversions, rate, lift, p-value, interval
    expect(cells[0]!.slice(1)).toEqual(["200", "20", "10%", "—", "—", "—"]);
    expect(cells[1]!.slice(1)).toEqual(["200", "50", "25%", "+150%", "< 0.001", intervalText(20, 200, 50, 200)]);
  });

  it("shows the funnel's users and drop-off per step as computed from the journeys", async () => {
    const reached = expectedFunnel(events);
    expect(reached).toEqual([80, 60, 30]);
    const funnel = page.getByTestId("product-funnel");
    await funnel.waitFor({ timeout: 60_000 });
    // the funnel's name is text, never markup
    expect(await funnel.locator("h3").innerText()).toBe(FUNNEL.name);
    const rows = await page.getByTestId("table-funnel-0").locator("tbody tr").allInnerTexts();
    const cells = rows.map((r) => r.split("\t").map((c) => c.trim()));
    expect(cells.map((c) => [c[1], c[2], c[5]])).toEqual([
      ["cart_add", String(reached[0]), "0"],
      ["checkout_start", String(reached[1]), String(reached[0]! - reached[1]!)],
      ["purchase", String(reached[2]), String(reached[1]! - reached[2]!)],
    ]);
  });

  it("lets an admin change the funnel's window in the view: a bad value is refused at its field, a good one saved and counted", async () => {
    await page.getByTestId("funnels-edit").click();
    const windowField = page.locator('[data-testid^="funnel-"][data-testid$="-window"]');
    await windowField.fill("0");
    await page.getByTestId("funnels-save").click();
    await expect.poll(() => windowField.getAttribute("aria-invalid")).toBe("true");
    // three hours: the journeys whose second step came at exactly three hours now reach it
    await windowField.fill("3");
    await page.getByTestId("funnels-admin-token").fill(ws.admin);
    await page.getByTestId("funnels-save").click();
    const stepUsers = async () => (await page.getByTestId("table-funnel-0").locator("tbody tr").allInnerTexts()).map((r) => r.split("\t")[2]!.trim());
    await expect.poll(stepUsers, { timeout: 30_000 }).toEqual(["80", "80", "30"]);
    const stored = (await (await fetch(`${server.url}/api/v1/workspaces/${ws.id}/config`, { headers: { Authorization: `Bearer ${ws.read}` } })).json()) as ConfigResponse;
    expect(stored.config.funnels?.[0]?.window_hours).toBe(3);
  });

  it("shows the jobs' cost total to the cent", async () => {
    const cents = events.filter((e) => e.type === "job" && typeof e.props["cost_usd"] === "number").reduce((sum, e) => sum + Math.round((e.props["cost_usd"] as number) * 100), 0);
    const total = `$${Math.floor(cents / 100).toLocaleString("en-US")}.${String(cents % 100).padStart(2, "0")}`;
    await page.goto(`${server.url}/#/w/${ws.id}/jobs`);
    const cost = page.getByTestId("card-cost-value");
    await page.getByTestId("card-cost").and(page.locator(":not(.is-loading)")).waitFor({ timeout: 60_000 });
    expect((await cost.innerText()).trim()).toBe(total);
    expect((await page.getByTestId("card-jobs-value").innerText()).trim()).toBe("37");
    const missing = events.filter((e) => e.type === "job" && e.props["cost_usd"] === undefined).length;
    expect(await page.getByTestId("card-cost").innerText()).toContain(`${missing} jobs report no cost`);
  });
});

// Coverage end to end, against `wrangler dev`: a JUnit report from CI covers
// part of an API, an admin imports the API's OpenAPI document through the
// Coverage view, and the view and `tally gate` name the same endpoints as not
// fully covered, the gate failing the build on them; then the Overview shows
// the view's flaky and drift numbers, and chaos cards once there is a fault.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { ConfigResponse, IngestResponse } from "../../shared/wire.ts";
import { launchChromium, requireChromium } from "../support/chromium.ts";
import { parseCsv } from "../support/parse-csv.ts";
import { startWranglerDev, type DevServer } from "../support/wrangler-dev.ts";
import { seedWorkspace, type SeededWorkspace } from "./fixtures.ts";

const chromiumAt = requireChromium("the coverage end-to-end test");
const ADMIN = "e2e-admin-secret-coverage-0123456789";
const TALLY = resolve(import.meta.dirname, "../../cli/bin/tally.mjs");

// three endpoints, five documented codes
const OPENAPI = `openapi: 3.0.3
info:
  title: Pets <b>API</b>
  version: "1.0"
paths:
  /pets/{id}:
    get:
      responses:
        "200": { description: the pet }
        "404": { description: no such pet }
    delete:
      responses:
        "204": { description: deleted }
  /pets:
    post:
      responses:
        "201": { description: created }
        "422": { description: invalid pet }
`;

// GET /pets/{id} 200 (naming convention) and 404 (properties), POST /pets 201; POST /pets 422
// only by a skipped test, DELETE never: 3 of 5 codes, 60%
const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="pets-api" tests="4" failures="0" errors="0" skipped="1" time="0.9">
  <testcase classname="pets.GetPetTest" name="[GET /pets/{id} 200] returns the pet" time="0.12"/>
  <testcase classname="pets.GetPetTest" name="answers 404 for a missing pet" time="0.08">
    <properties>
      <property name="endpoint" value="/pets/{id}"/>
      <property name="method" value="GET"/>
      <property name="response" value="404"/>
    </properties>
  </testcase>
  <testcase classname="pets.CreatePetTest" name="[POST /pets 201] creates a pet" time="0.3"/>
  <testcase classname="pets.CreatePetTest" name="[POST /pets 422] rejects a pet without a name" time="0">
    <skipped message="not written yet"/>
  </testcase>
</testsuite>
`;

interface Uncovered {
  method: string;
  endpoint: string;
  missing: number[];
}

function tally(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [TALLY, ...args], { env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!chromiumAt)("OpenAPI import + JUnit report → Coverage view and tally gate agree", () => {
  let server: DevServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ws: SeededWorkspace;
  /** What the view named as not fully covered, for the offline check. */
  let inView: Uncovered[] = [];

  beforeAll(async () => {
    server = await startWranglerDev({ label: "e2e-coverage", config: "wrangler.toml", database: "tally", vars: { TALLY_ADMIN_SECRET: ADMIN } });
    ws = await seedWorkspace(server.url, ADMIN, []);
    browser = await launchChromium(chromiumAt!);
    context = await browser.newContext({ locale: "en-US", acceptDownloads: true });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("stores the JUnit report's test cases as test events", async () => {
    const res = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/junit?ci=github&run=4711&branch=main&commit=0123abc`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ws.write}`, "Content-Type": "application/xml" },
      body: JUNIT,
    });
    const body = (await res.json()) as IngestResponse;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.accepted).toBe(4);
  });

  it("imports the OpenAPI document through the Coverage view as an admin", async () => {
    await page.goto(`${server.url}/#/w/${ws.id}/coverage?key=${ws.read}`);
    await page.getByTestId("coverage-no-catalog").waitFor({ timeout: 60_000 });
    await page.getByTestId("catalog-import-open").click();
    // a broken document is refused where it breaks, and nothing can be sent
    await page.getByTestId("catalog-file").setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"openapi": "3.0.0",\n  "paths": }') });
    expect(await page.getByTestId("catalog-problem").innerText()).toMatch(/^broken\.json is not an OpenAPI 3 document Tally can read: .*line 2/);
    expect(await page.getByTestId("catalog-import-confirm").isDisabled()).toBe(true);

    await page.getByTestId("catalog-file").setInputFiles({ name: "pets.yaml", mimeType: "application/yaml", buffer: Buffer.from(OPENAPI) });
    expect((await page.getByTestId("catalog-preview-count").innerText()).trim()).toBe("3 endpoints");
    expect(await page.getByTestId("catalog-problem").count()).toBe(0);
    // the document's title is user input: text, never markup
    expect(await page.getByTestId("catalog-preview").innerText()).toContain('"Pets <b>API</b>"');

    // a token the edge refuses writes nothing and is forgotten
    await page.getByTestId("catalog-admin-token").fill("tly_a_not-this-workspaces-token");
    await page.getByTestId("catalog-import-confirm").click();
    await expect.poll(() => page.getByTestId("catalog-notice").innerText(), { timeout: 30_000 }).toMatch(/^The edge refused this admin token/);
    const config = (await (await fetch(`${server.url}/api/v1/workspaces/${ws.id}/config`, { headers: { Authorization: `Bearer ${ws.read}` } })).json()) as ConfigResponse;
    expect(config.versions.endpoint_catalog).toBe(0);

    await page.getByTestId("catalog-admin-token").fill(ws.admin);
    await page.getByTestId("catalog-import-confirm").click();
    await expect.poll(() => page.getByTestId("catalog-notice").innerText(), { timeout: 30_000 }).toMatch(/^Catalog imported: 3 endpoints \(version 1\): 3 added\.$/);
    // the token is kept for this tab only, never in the URL
    expect(page.url()).not.toContain(ws.admin);
  });

  /** The endpoints the view's coverage table shows below 100%, with their missing codes. */
  async function uncoveredInView(): Promise<Uncovered[]> {
    const table = page.getByTestId("table-endpoint-coverage");
    await table.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId("card-coverage-value").innerText(), { timeout: 30_000 }).toBe("60%");
    expect((await page.getByTestId("card-under-threshold-value").innerText()).trim()).toBe("2");
    // both are flagged under the 80% minimum
    expect(await table.locator('[data-under="yes"]').count()).toBe(2);
    const header = (await table.locator("thead th").allInnerTexts()).map((h) => h.replace(/[▲▼↕]/g, "").trim());
    const col = (name: string) => header.indexOf(name);
    expect(col("Missing codes")).toBeGreaterThanOrEqual(0);
    const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    expect(rows).toHaveLength(3);
    return rows
      .filter((cells) => !cells[col("Coverage")]!.startsWith("100%"))
      .map((cells) => {
        const [method, endpoint] = cells[col("Endpoint")]!.trim().split(/\s+/);
        const missing = cells[col("Missing codes")]!.trim();
        return { method: method!, endpoint: endpoint!, missing: missing === "—" ? [] : missing.split(" ").map(Number) };
      });
  }

  const sorted = (list: Uncovered[]) => [...list].sort((a, b) => `${a.method} ${a.endpoint}`.localeCompare(`${b.method} ${b.endpoint}`));

  it("shows the same uncovered endpoints as tally gate, which fails the build", async () => {
    inView = await uncoveredInView();
    expect(sorted(inView)).toEqual([
      { method: "DELETE", endpoint: "/pets/{id}", missing: [204] },
      { method: "POST", endpoint: "/pets", missing: [422] },
    ]);
    // the panel's CSV export says the same
    await page.getByTestId("export-endpoint-coverage").locator("summary").click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-endpoint-coverage-csv").click()]);
    const [header, ...records] = parseCsv(await readFile((await download.path())!, "utf8"));
    const at = (name: string) => header!.indexOf(name);
    const exported = records
      .filter((r) => r[at("missing")] !== "")
      .map((r) => ({ method: r[at("method")]!, endpoint: r[at("endpoint")]!, missing: r[at("missing")]!.split(" ").map(Number) }));
    expect(sorted(exported)).toEqual(sorted(inView));
    expect(records.map((r) => r[at("under_threshold")]).sort()).toEqual(["no", "yes", "yes"]);

    const common = ["--url", server.url, "--workspace", ws.id, "--token", ws.read];
    const json = await tally(["gate", "--min-coverage", "80", "--max-drift", "20", "--json", ...common]);
    expect(json.code, json.stderr).toBe(1);
    const verdict = JSON.parse(json.stdout) as { passed: boolean; uncovered: Uncovered[]; coverage: { documented: number; exercised: number } };
    expect(verdict.passed).toBe(false);
    expect(verdict.coverage).toMatchObject({ documented: 5, exercised: 3 });
    expect(sorted(verdict.uncovered)).toEqual(sorted(inView));

    // the readable table a CI log shows names the same endpoints
    const text = await tally(["gate", "--min-coverage", "80", "--max-drift", "20", ...common]);
    expect(text.code).toBe(1);
    for (const u of inView) expect(text.stdout).toMatch(new RegExp(`${u.method}\\s+${u.endpoint.replace(/[{}]/g, "\\$&")}\\s+\\S+\\s+${u.missing.join(" ")}`));
    expect(text.stdout).toMatch(/Gate failed: coverage 60(\.0+)?% is below the minimum 80(\.0+)?%/);

    // and a minimum the workspace meets passes
    const lenient = await tally(["gate", "--min-coverage", "50", "--max-drift", "20", ...common]);
    expect(lenient.code, lenient.stdout + lenient.stderr).toBe(0);
  });

  it("shows the same coverage offline after a reload, from the kept catalog", async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await page.getByTestId("table-endpoint-coverage").waitFor({ timeout: 30_000 });
    await context.setOffline(true);
    try {
      await page.reload();
      expect(sorted(await uncoveredInView())).toEqual(sorted(inView));
      await page.getByTestId("coverage-config-offline").waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("coverage-config-offline").innerText()).toMatch(/^Offline: the endpoint catalog, personas and thresholds are as fetched/);
    } finally {
      await context.setOffline(false);
    }
  });

  it("takes declared personas and a lower minimum from the settings form, and the gate follows the config", async () => {
    await page.getByTestId("settings-edit").click();
    await page.getByTestId("settings-personas").fill("checkout-bot\n<b>auditor</b>");
    await page.getByTestId("settings-coverage_min").fill("150");
    await page.getByTestId("settings-save").click();
    expect(await page.getByTestId("settings-error-coverage_min").innerText()).toBe("must be from 0 to 100");
    await page.getByTestId("settings-coverage_min").fill("50");
    await page.getByTestId("settings-save").click();
    await expect.poll(() => page.getByTestId("settings-notice").innerText(), { timeout: 30_000 }).toBe("Personas, scenarios and thresholds saved.");
    // user input shown as text, never markup
    await expect.poll(() => page.getByTestId("personas-never-hit").innerText(), { timeout: 30_000 }).toBe("Declared but never hit: checkout-bot, <b>auditor</b>");
    // under 50% now: DELETE (0%) only; POST sits at 50%
    await expect.poll(() => page.getByTestId("card-under-threshold-value").innerText(), { timeout: 30_000 }).toBe("1");
    const gate = await tally(["gate", "--url", server.url, "--workspace", ws.id, "--token", ws.read]);
    expect(gate.code, gate.stdout + gate.stderr).toBe(0);
    expect(gate.stdout).toMatch(/Endpoints below 50(\.0+)?%: 1 of 3/);
  });

  it("shows the Coverage view's flaky tests and drifting mocks on the Overview, without chaos cards for a workspace without faults", async () => {
    const now = Date.now();
    const events = [
      // flaky: failed, then passed on a retry of the same commit
      { ts: now - 120_000, type: "test", name: "logs in", props: { suite: "auth", status: "failed", attempt: 1, commit: "c9", ci: "github" } },
      { ts: now - 60_000, type: "test", name: "logs in", props: { suite: "auth", status: "passed", attempt: 2, commit: "c9", ci: "github" } },
      // one mock of two drifting
      { ts: now - 90_000, type: "mock", name: "GET /pets/{id}", props: { method: "GET", endpoint: "/pets/{id}", reality_level: 3, drift: 0.6 } },
      { ts: now - 90_000, type: "mock", name: "POST /pets", props: { method: "POST", endpoint: "/pets", reality_level: 2, drift: 0 } },
    ];
    const res = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ws.write}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events }),
    });
    expect(res.status, await res.clone().text()).toBe(200);

    await page.goto(`${server.url}/#/w/${ws.id}/coverage`);
    await expect.poll(() => page.getByTestId("card-flaky-value").innerText(), { timeout: 60_000 }).toBe("1");
    await expect.poll(() => page.getByTestId("card-drift-value").innerText(), { timeout: 30_000 }).toBe("50%");
    const inCoverage = {
      flaky: await page.getByTestId("card-flaky-value").innerText(),
      drift: await page.getByTestId("card-drift-value").innerText(),
    };

    await page.goto(`${server.url}/#/w/${ws.id}/overview`);
    await expect.poll(() => page.getByTestId("overview-card-flaky-value").innerText(), { timeout: 60_000 }).toBe(inCoverage.flaky);
    await expect.poll(() => page.getByTestId("overview-card-drift-value").innerText(), { timeout: 30_000 }).toBe(inCoverage.drift);
    expect(await page.getByTestId("overview-card-drift").innerText()).toContain("1 of 2 mocks");
    expect(await page.getByTestId("overview-chaos").count()).toBe(0);
    // the Overview's export holds the same numbers
    await page.getByTestId("export-overview").locator("summary").click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-overview-csv").click()]);
    const [, ...records] = parseCsv(await readFile((await download.path())!, "utf8"));
    expect(Object.fromEntries(records.map((r) => [r[0], r[1]]))).toMatchObject({ flaky_tests: "1", mocks: "2", drifting_mocks: "1", drift_percent: "50" });
    await page.getByTestId("open-coverage").click();
    await page.getByTestId("card-coverage").waitFor({ timeout: 30_000 });
    expect(page.url()).toContain(`/w/${ws.id}/coverage`);
  });

  it("adds the Chaos cards to the Overview once the workspace has an injected fault", async () => {
    const fault = { ts: Date.now() - 30_000, type: "chaos", name: "latency", props: { fault: "latency", endpoint: "/pets/{id}", delay_ms: 300 } };
    const res = await fetch(`${server.url}/api/v1/workspaces/${ws.id}/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ws.write}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: [fault] }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await page.goto(`${server.url}/#/w/${ws.id}/overview`);
    await page.reload();
    await expect.poll(() => page.getByTestId("overview-card-faults-value").innerText(), { timeout: 60_000 }).toBe("1");
    expect(await page.getByTestId("overview-card-fault-endpoints-value").innerText()).toBe("1");
    // the coverage cards stay as they were
    expect(await page.getByTestId("overview-card-flaky-value").innerText()).toBe("1");
  });
});

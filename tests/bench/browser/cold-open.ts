/**
 * The app's cold open in Chromium: a million request events (the query
 * bench's data) already in the browser, a new browser opens the Traffic view,
 * and the time is navigation start to the app's `tally:traffic-drawn` mark
 * (every panel drawn with the first results). Beside it: the same events
 * stored one IndexedDB row per event and read back with Dexie, the layout the
 * segments replace, and the peak JS heap of the tab and its aggregation worker.
 *
 * The baseline rows live in another origin (the same server reached as
 * `localhost` instead of 127.0.0.1): an origin's IndexedDB is one store, and
 * a million rows beside the app's segments slowed the app's own database
 * open several-fold, which no user of the app would see.
 *
 * The events are written by the app's own store code in the page (seed.mts),
 * for a workspace the edge knows but holds nothing of: the stored cursor
 * covers everything, so the app's sync finds nothing new and the open only
 * reads what is stored. Each run launches a new browser on an on-disk profile
 * (profile.ts explains why), after one untimed warm-up open.
 *
 * The rows are compared twice: with the whole cold open (boot, read, queries,
 * drawing), and with reading the segments back alone (SegmentStore.loadBlocks
 * in a page of a new browser), the like-for-like comparison of the layouts.
 *
 * Last, live batches of 1,000 events are applied as the app applies them
 * (stored, aggregator refreshed, Traffic panels updated: incrementally from
 * the second batch on) on one page's thread, without drawing: the issue's
 * apply-and-redraw budget is 16 ms.
 *
 * The heap is V8's used heap plus ArrayBuffer backing stores, of the page and
 * of its aggregation worker (heap.ts), in MB of 2^20 bytes. The open and the
 * heap have absolute budgets (500 ms, 200 MB), which a Figure can only state
 * as a ratio: the budget stands as their baseline, with a ratio of at most 1.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import type { CreateWorkspaceResponse } from "../../../shared/wire.ts";
import { requireChromium } from "../../support/chromium.ts";
import { startWranglerDev, type DevServer } from "../../support/wrangler-dev.ts";
import { END_MS } from "../query/data.ts";
import type { Figure } from "../table.ts";
import { sampleHeaps } from "./heap.ts";
import { BENCH_GLOBAL, type BenchPageApi, type OpenProfile, type ReadRowsReport, type SeedOptions, type SeedReport, type SeedRowsReport, type LiveApplyReport } from "./page-api.ts";
import { createProfile, type Profile } from "./profile.ts";
import { median, notes } from "../stats.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../../..");
const EVENTS = 1_000_000;
/** Events per stored page: the edge's pull page size, so the store sees what a sync gives it. */
const PAGE_SIZE = 5_000;
const RUNS = 3;
const DRAWN_MARK = "tally:traffic-drawn";
/** After the mark, heaps are sampled this much longer: the session's first refresh re-runs every query. */
const HEAP_TAIL_MS = 3_000;
const OPEN_TIMEOUT_MS = 60_000;
const BUDGET_MS = 500;
const BUDGET_MB = 200;
const MIN_ROWS_RATIO = 20;
/** Live batches applied after the opens (they change the stored workspace), and their size. */
const LIVE_BATCHES = 7;
const LIVE_BATCH = 1_000;
const LIVE_BUDGET_MS = 16;
const MB = 1024 * 1024;

type Api = Record<typeof BENCH_GLOBAL, BenchPageApi>;

const note = notes("cold open");


const ms = (n: number) => `${Math.round(n).toLocaleString("en-US")} ms`;
const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;

/** `npm run build:app`: the bench opens the app as built from the source now, not an older app/dist. */
function buildApp(): Promise<void> {
  return new Promise((ok, fail) => {
    const vite = spawn(join(ROOT, "node_modules/.bin/vite"), ["build", "--config", "app/vite.config.ts", "--logLevel", "warn"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    vite.stdout.on("data", (d: Buffer) => (output += d.toString()));
    vite.stderr.on("data", (d: Buffer) => (output += d.toString()));
    vite.on("error", fail);
    vite.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`building the app failed (exit ${code}):\n${output.slice(-2_000)}`))));
  });
}

/** seed.mts and the app modules it imports, as one script for addScriptTag. */
async function bundleSeed(): Promise<string> {
  const out = await build({ entryPoints: [join(HERE, "seed.mts")], bundle: true, format: "iife", platform: "browser", target: "es2022", write: false, logLevel: "warning" });
  return out.outputFiles[0]!.text;
}

async function createWorkspace(url: string, adminSecret: string): Promise<CreateWorkspaceResponse> {
  const res = await fetch(`${url}/api/v1/workspaces`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminSecret}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "cold open bench" }),
  });
  if (res.status !== 201) throw new Error(`creating the bench workspace: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
  return (await res.json()) as CreateWorkspaceResponse;
}

/**
 * A page on the app's origin without the app running in it: a path under
 * /api/ (the service worker leaves those to the network; the API answers 404).
 * Its CSP forbids inline script, so these launches bypass CSP.
 */
async function blankPage(page: Page, url: string, seedScript: string): Promise<void> {
  await page.goto(`${url}/api/bench-blank`);
  await page.addScriptTag({ content: seedScript });
}

/** Writes the events into the profile through the app's page, with the service worker installed for the opens that follow. */
async function seed(profile: Profile, url: string, options: SeedOptions, seedScript: string): Promise<SeedReport> {
  // the app's CSP allows no inline script: bypassed for this launch only
  const { context, page } = await profile.launch({ bypassCSP: true });
  try {
    await page.goto(url);
    await page.evaluate(() => (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator.serviceWorker.ready.then(() => true));
    await page.addScriptTag({ content: seedScript });
    return await page.evaluate(([g, o]) => (globalThis as unknown as Api)[g as typeof BENCH_GLOBAL].seed(o as SeedOptions), [BENCH_GLOBAL, options] as const);
  } finally {
    await context.close();
  }
}

/** The server's address under another origin, for the baseline rows. */
function otherOrigin(url: string): string {
  const u = new URL(url);
  if (u.hostname !== "127.0.0.1") throw new Error(`expected the dev server on 127.0.0.1, got ${url}`);
  u.hostname = "localhost";
  return u.origin;
}

async function seedRows(profile: Profile, url: string, seedScript: string): Promise<SeedRowsReport> {
  const { context, page } = await profile.launch({ bypassCSP: true, blockServiceWorkers: true });
  try {
    await blankPage(page, url, seedScript);
    return await page.evaluate(([g, n, size]) => (globalThis as unknown as Api)[g as typeof BENCH_GLOBAL].seedRows(n as number, size as number), [BENCH_GLOBAL, EVENTS, PAGE_SIZE] as const);
  } finally {
    await context.close();
  }
}

async function readRows(profile: Profile, url: string, seedScript: string): Promise<ReadRowsReport> {
  const { context, page } = await profile.launch({ bypassCSP: true, blockServiceWorkers: true });
  try {
    await blankPage(page, url, seedScript);
    return await page.evaluate((g) => (globalThis as unknown as Api)[g as typeof BENCH_GLOBAL].readRows(), BENCH_GLOBAL);
  } finally {
    await context.close();
  }
}

/** `n` request events for live batch `b`, inside the stored events' span (so "all time" keeps its buckets) and on their endpoints. */
function liveEvents(b: number, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `live-${b}-${i}`,
    ts: END_MS - 3_600_000 + b * n + i,
    type: "request",
    name: "GET /api/v1/items",
    props: { method: "GET", endpoint: "/api/v1/items", status: i % 20 === 0 ? 503 : 200, latency_ms: 20 + (i % 300), protocol: "http", env: "prod" },
  }));
}

/**
 * Live batches through the real app: the Traffic view open on the stored
 * million, a batch posted to the edge, and per batch the time from the app
 * receiving it on its live socket (`tally:live-received`) to the updated
 * panels on screen (`tally:traffic-updated` with the new total): store,
 * refresh, incremental queries and redraw. The edge's seqs start above the
 * stored ones (setup SQL), as they would for a workspace synced before.
 */
async function liveRedraw(profile: Profile, url: string, workspaceId: string, writeToken: string): Promise<number[]> {
  const { context, page } = await profile.launch();
  try {
    await openTraffic(page, url, workspaceId);
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor({ timeout: 10_000 });
    const samples: number[] = [];
    for (let b = 0; b < LIVE_BATCHES; b++) {
      const res = await fetch(`${url}/api/v1/workspaces/${workspaceId}/events`, {
        method: "POST",
        headers: { Authorization: `Bearer ${writeToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({ events: liveEvents(b, LIVE_BATCH) }),
      });
      if (res.status !== 200) throw new Error(`posting live batch ${b}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
      const expected = EVENTS + (b + 1) * LIVE_BATCH;
      const handle = await page.waitForFunction(
        (want) => {
          const updated = performance.getEntriesByName("tally:traffic-updated").find((e) => (e as unknown as { detail?: { requests?: number } }).detail?.requests === want);
          const received = performance.getEntriesByName("tally:live-received").at(-1);
          return updated && received ? updated.startTime - received.startTime : null;
        },
        expected,
        { polling: 20, timeout: 30_000 },
      );
      samples.push((await handle.jsonValue()) as number);
    }
    return samples;
  } finally {
    await context.close();
  }
}

async function applyLive(profile: Profile, url: string, workspaceId: string, seedScript: string): Promise<LiveApplyReport> {
  const { context, page } = await profile.launch({ bypassCSP: true, blockServiceWorkers: true });
  try {
    await blankPage(page, url, seedScript);
    return await page.evaluate(([g, id, n, size]) => (globalThis as unknown as Api)[g as typeof BENCH_GLOBAL].applyLive(id as string, n as number, size as number), [BENCH_GLOBAL, workspaceId, LIVE_BATCHES, LIVE_BATCH] as const);
  } finally {
    await context.close();
  }
}

async function profileOpen(profile: Profile, url: string, workspaceId: string, seedScript: string): Promise<OpenProfile> {
  const { context, page } = await profile.launch({ bypassCSP: true, blockServiceWorkers: true });
  try {
    await blankPage(page, url, seedScript);
    return await page.evaluate(([g, id]) => (globalThis as unknown as Api)[g as typeof BENCH_GLOBAL].profileOpen(id), [BENCH_GLOBAL, workspaceId] as const);
  } finally {
    await context.close();
  }
}

interface OpenTimes {
  /** Navigation start to the mark. */
  drawn: number;
  /** The shell's HTML received, and its scripts run (DOMContentLoaded done). */
  responseEnd: number;
  domContentLoaded: number;
  /** Whether the service worker served the page, as it does for a returning visitor. */
  controlled: boolean;
  /** The app's own marks on the way (main.ts, workspace-session.ts, traffic-view.tsx), name → ms. */
  steps: Record<string, number>;
}

/** The app's marks before the drawn one, in the order a cold open passes them. */
const STEP_MARKS = ["tally:boot", "tally:interface-loaded", "tally:events-loaded", "tally:traffic-results"];
/** The aggregation worker's marks (worker.ts, aggregator.ts). */
const WORKER_MARKS = ["tally:worker-ready", "tally:segments-loaded"];

function stepList(times: OpenTimes): string {
  return Object.entries(times.steps)
    .sort((a, b) => a[1] - b[1])
    .map(([name, at]) => `${name.replace("tally:", "")} ${ms(at)}`)
    .join(", ");
}

/** Opens the Traffic view in `page`, waits for the mark and checks that it shows every event. */
async function openTraffic(page: Page, url: string, workspaceId: string): Promise<OpenTimes> {
  await page.goto(`${url}/#/w/${workspaceId}/traffic?range=all`, { waitUntil: "commit" });
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, DRAWN_MARK, { polling: 50, timeout: OPEN_TIMEOUT_MS });
  const times = await page.evaluate(([mark, stepMarks]) => {
    // typed by hand: this file has Node's types, not the DOM's
    const page = globalThis as unknown as {
      performance: { getEntriesByType(type: "navigation"): { responseEnd: number; domContentLoadedEventEnd: number }[] };
      navigator: { serviceWorker: { controller: unknown } };
    };
    const nav = page.performance.getEntriesByType("navigation")[0]!;
    const sw = page.navigator.serviceWorker;
    const steps: Record<string, number> = {};
    for (const name of stepMarks) {
      const entry = performance.getEntriesByName(name)[0];
      if (entry) steps[name] = entry.startTime;
    }
    return { drawn: performance.getEntriesByName(mark)[0]!.startTime, responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd, controlled: sw.controller !== null, steps };
  }, [DRAWN_MARK, STEP_MARKS] as const);
  // the aggregation worker's marks, moved onto the page's timeline
  for (const worker of page.workers()) {
    const marks = await worker.evaluate((names) => {
      const out: Record<string, number> = {};
      for (const name of names) {
        const entry = performance.getEntriesByName(name)[0];
        if (entry) out[name] = performance.timeOrigin + entry.startTime;
      }
      return out;
    }, WORKER_MARKS);
    const origin = await page.evaluate(() => performance.timeOrigin);
    for (const [name, at] of Object.entries(marks)) times.steps[name] = at - origin;
  }
  const expected = new Intl.NumberFormat("en-US").format(EVENTS);
  const shown = await page.getByTestId("card-requests").getAttribute("title");
  if (shown !== expected) throw new Error(`the Traffic view drew ${shown} requests, expected ${expected}`);
  // the sync ran against the empty edge and stored nothing: still every event, and only those
  await page.locator('[data-testid="sync-badge"][data-state="idle"]').waitFor({ timeout: 10_000 });
  const after = await page.getByTestId("card-requests").getAttribute("title");
  if (after !== expected) throw new Error(`after the sync the Traffic view shows ${after} requests, expected ${expected}`);
  return times;
}

async function coldOpen(profile: Profile, url: string, workspaceId: string): Promise<OpenTimes> {
  const { context, page } = await profile.launch();
  try {
    return await openTraffic(page, url, workspaceId);
  } finally {
    await context.close();
  }
}

interface PeakHeap {
  total: number;
  page: number;
  workers: number;
  /** ms to the peak sample from the start of sampling (just before navigation), and from navigation to the mark. */
  at: number;
  drawnAt: number;
  samples: number;
  maxWorkers: number;
  /** Page and workers after a forced full GC at the end: what is live. */
  afterGc: number;
}

/** A cold open sampled for heap from before navigation to a while after the mark. */
async function peakHeap(profile: Profile, url: string, workspaceId: string): Promise<PeakHeap> {
  const { context, page } = await profile.launch();
  try {
    const sampler = await sampleHeaps(context, page);
    const open = await openTraffic(page, url, workspaceId);
    await new Promise((ok) => setTimeout(ok, HEAP_TAIL_MS));
    const { samples, afterGc } = await sampler.stop();
    if (samples.length === 0) throw new Error("no heap samples");
    const peak = samples.reduce((a, s) => (s.page + s.workers > a.page + a.workers ? s : a));
    return {
      total: peak.page + peak.workers,
      page: Math.max(...samples.map((s) => s.page)),
      workers: Math.max(...samples.map((s) => s.workers)),
      at: peak.at,
      drawnAt: open.drawn,
      samples: samples.length,
      maxWorkers: Math.max(...samples.map((s) => s.workerCount)),
      afterGc: afterGc === undefined ? NaN : afterGc.page + afterGc.workers,
    };
  } finally {
    await context.close();
  }
}

export async function coldOpenBench(): Promise<Figure[]> {
  const executablePath = requireChromium("the cold-open bench");
  if (executablePath === undefined) return [];
  const adminSecret = randomBytes(24).toString("base64url");
  const [seedScript] = await Promise.all([bundleSeed(), buildApp()]);
  let server: DevServer | undefined;
  let profile: Profile | undefined;
  let ok = false;
  try {
    // the edge's seqs start above the million stored, as for a workspace synced before (see liveRedraw)
    const sql = `INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ${2 * EVENTS})`;
    server = await startWranglerDev({ label: "cold-open", config: join(ROOT, "wrangler.toml"), database: "tally", vars: { TALLY_ADMIN_SECRET: adminSecret }, sql });
    const url = server.url;
    const created = await createWorkspace(url, adminSecret);
    const id = created.workspace.id;
    profile = createProfile(executablePath);

    // most of the section's time: Chromium's IndexedDB spends ~90 µs of browser-process CPU per put
    // on a 2-core machine, so the baseline's million rows take about two minutes to write
    const seeded = await seed(profile, url, { workspaceId: id, apiBase: url, key: created.tokens.read.token, events: EVENTS, pageSize: PAGE_SIZE }, seedScript);
    if (seeded.after !== EVENTS || seeded.events !== EVENTS) throw new Error(`seeding stored ${JSON.stringify(seeded)}`);
    const rowsUrl = otherOrigin(url);
    const rowsSeeded = await seedRows(profile, rowsUrl, seedScript);
    if (rowsSeeded.rows !== EVENTS) throw new Error(`seeding stored ${rowsSeeded.rows} rows, expected ${EVENTS}`);
    note(
      `seeded ${EVENTS.toLocaleString("en-US")} events in ${(seeded.ms / 1000).toFixed(1)} s: ${seeded.segments} segments, ${seeded.dictionary} dictionary entries; ` +
        `as ${rowsSeeded.rows.toLocaleString("en-US")} rows in ${(rowsSeeded.ms / 1000).toFixed(1)} s (origin ${rowsUrl})`,
    );

    // warm-up, not timed: the first browser on a freshly written profile also compacts its
    // database and compiles the app's scripts for V8's code cache, as a person's first visit did
    const warm = await coldOpen(profile, url, id);
    note(`warm-up open: Traffic drawn at ${ms(warm.drawn)}`);

    // alternated, so that a busy moment on the machine hits both alike
    const rows: number[] = [];
    const opens: OpenTimes[] = [];
    const profiles: OpenProfile[] = [];
    for (let r = 0; r < RUNS; r++) {
      const read = await readRows(profile, rowsUrl, seedScript);
      if (read.rows !== EVENTS) throw new Error(`read back ${read.rows} rows, expected ${EVENTS}`);
      rows.push(read.ms);
      const open = await coldOpen(profile, url, id);
      if (!open.controlled) note("the page was not served by the service worker");
      opens.push(open);
      const steps = await profileOpen(profile, url, id, seedScript);
      if (steps.events !== EVENTS) throw new Error(`loadBlocks gave ${steps.events} events, expected ${EVENTS}`);
      profiles.push(steps);
      note(`run ${r + 1}/${RUNS}: rows read back in ${ms(read.ms)}; Traffic drawn at ${ms(open.drawn)} (shell received ${ms(open.responseEnd)}, DOMContentLoaded ${ms(open.domContentLoaded)}; ${stepList(open)})`);
      note(
        `  the same on one thread of a new browser: loadBlocks ${ms(steps.loadMs)} (${steps.segments} segments), ` +
          `${steps.queries} Traffic queries ${ms(steps.queriesMs)} first run, ${ms(steps.queriesWarmMs)} warm`,
      );
    }
    const drawn = median(opens.map((o) => o.drawn));
    const rowsMs = median(rows);
    const segmentsMs = median(profiles.map((p) => p.loadMs));

    const heap = await peakHeap(profile, url, id);
    note(
      `peak heap ${mb(heap.total)} at ${ms(heap.at)} (drawn at ${ms(heap.drawnAt)}); page alone peaked at ${mb(heap.page)}, worker at ${mb(heap.workers)}; ` +
        `${mb(heap.afterGc)} live after a forced GC; ${heap.samples} samples, up to ${heap.maxWorkers} worker(s)`,
    );
    // last: these add events to the stored workspace
    const redraws = await liveRedraw(profile, url, id, created.tokens.write.token);
    note(`live batches through the app, received to redrawn: ${redraws.map((t) => Math.round(t)).join(", ")} ms (the first builds the incremental state)`);
    const live = await applyLive(profile, url, id, seedScript);
    const [store, refresh, queries, total] = [live.store, live.refresh, live.queries, live.total].map(median);
    note(
      `live batches of ${LIVE_BATCH.toLocaleString("en-US")} events, median of ${LIVE_BATCHES}: stored ${ms(store!)}, aggregator refreshed ${ms(refresh!)}, Traffic panels updated ${ms(queries!)}; ` +
        `the first batch, which builds the incremental state, took ${ms(live.total[0]!)} (panels ${ms(live.queries[0]!)}); all: ${live.total.map((t) => Math.round(t)).join(", ")} ms`,
    );
    ok = true;

    return [
      { figure: `cold open to Traffic drawn, 1M events, median of ${RUNS} (baseline: the ${BUDGET_MS} ms budget)`, value: drawn, unit: "ms", baseline: BUDGET_MS, maxRatio: 1 },
      { figure: `read back as Dexie rows, 1M events, median of ${RUNS} (baseline: the cold open)`, value: rowsMs, unit: "ms", baseline: drawn, minRatio: MIN_ROWS_RATIO },
      { figure: `read back as Dexie rows, 1M events, median of ${RUNS} (baseline: read back as segments)`, value: rowsMs, unit: "ms", baseline: segmentsMs, minRatio: MIN_ROWS_RATIO },
      { figure: `live batch of ${LIVE_BATCH.toLocaleString("en-US")} events in the app, received to Traffic redrawn, 1M stored, median of ${LIVE_BATCHES} (baseline: the ${LIVE_BUDGET_MS} ms budget)`, value: median(redraws), unit: "ms", baseline: LIVE_BUDGET_MS, maxRatio: 1 },
      { figure: `apply a live batch of ${LIVE_BATCH.toLocaleString("en-US")} events to the 1M store and update the Traffic panels, no drawing, median of ${LIVE_BATCHES} (baseline: the ${LIVE_BUDGET_MS} ms budget)`, value: total!, unit: "ms", baseline: LIVE_BUDGET_MS, maxRatio: 1 },
      { figure: `peak JS heap, app tab + worker, 1M events (baseline: the ${BUDGET_MB} MB budget)`, value: heap.total / MB, unit: "MB", baseline: BUDGET_MB, maxRatio: 1, digits: 1 },
    ];
  } finally {
    if (!ok && server) note(`wrangler output kept in ${server.logFile}`);
    await profile?.remove();
    await server?.stop({ keep: !ok });
  }
}

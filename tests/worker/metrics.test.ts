// The Prometheus endpoint: its text parses strictly (tests/worker/prometheus-parse.ts),
// every series equals what a plain recount of the posted events gives, labels
// are escaped and capped, and counters survive rollups and retention unchanged.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../shared/prng.ts";
import { LATENCY_BOUNDS } from "../../worker/db/metrics.ts";
import { runRetention, runRollups } from "../../worker/scheduled.ts";
import { api, countEvents, expectError, ingest, patchConfig, workspace, type Ws } from "./helpers.ts";
import { parseExposition, sampleValue, type MetricFamily } from "./prometheus-parse.ts";

type Ev = { id?: string; ts?: number; type: string; name: string; props?: Record<string, string | number | boolean> };

function scrape(ws: string, token: string, query = ""): Promise<Response> {
  return api(`/api/v1/workspaces/${ws}/metrics${query}`, { token });
}

async function scrapeText(ws: Ws): Promise<string> {
  const res = await scrape(ws.id, ws.read);
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return res.text();
}

/** Every sample of a parsed text as `name{sorted labels}` → value. */
function samples(families: Map<string, MetricFamily>): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of families.values()) for (const s of f.samples) out.set(key(s.name, s.labels), s.value);
  return out;
}

function key(name: string, labels: Record<string, string>): string {
  return name + JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

// --- a recount of events, written the plain way, as the spec reads ---

const label = (v: unknown) => (v === undefined ? "(none)" : String(v));
/** A JSON number, or text that is exactly a JSON number literal. */
function numeric(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function recount(events: Ev[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (name: string, labels: Record<string, string>, v: number) => out.set(key(name, labels), (out.get(key(name, labels)) ?? 0) + v);
  for (const type of ["request", "test", "mock", "job", "chaos", "track"]) add("tally_events_total", { type }, 0);
  const latestMock = new Map<string, { ts: number; drift: number; endpoint: string; method: string }>();
  for (const e of events) {
    const p = e.props ?? {};
    add("tally_events_total", { type: e.type }, 1);
    if (e.type === "request") {
      const endpoint = label(p["endpoint"]);
      const method = label(p["method"]);
      const protocol = label(p["protocol"]);
      add("tally_requests_total", { endpoint, method, status: label(p["status"]), protocol }, 1);
      add("tally_request_errors_total", { endpoint, method, protocol }, (numeric(p["status"]) ?? 0) >= 500 ? 1 : 0);
      const lat = numeric(p["latency_ms"]);
      const observed = lat !== undefined && lat >= 0;
      for (const b of LATENCY_BOUNDS) add("tally_request_latency_ms_bucket", { endpoint, le: String(b) }, observed && lat <= b ? 1 : 0);
      add("tally_request_latency_ms_bucket", { endpoint, le: "+Inf" }, observed ? 1 : 0);
      add("tally_request_latency_ms_count", { endpoint }, observed ? 1 : 0);
      add("tally_request_latency_ms_sum", { endpoint }, observed ? lat : 0);
    } else if (e.type === "test") {
      add("tally_tests_total", { suite: label(p["suite"]), status: label(p["status"]) }, 1);
    } else if (e.type === "job") {
      add("tally_jobs_total", { status: label(p["status"]) }, 1);
      const cost = numeric(p["cost_usd"]);
      add("tally_job_cost_usd_total", { provider: label(p["provider"]) }, cost !== undefined && cost >= 0 ? cost : 0);
    } else if (e.type === "mock") {
      const drift = numeric(p["drift"]);
      const k = `${label(p["endpoint"])} ${label(p["method"])}`;
      const seen = latestMock.get(k);
      if (drift !== undefined && (!seen || e.ts! > seen.ts)) latestMock.set(k, { ts: e.ts!, drift, endpoint: label(p["endpoint"]), method: label(p["method"]) });
    }
  }
  for (const m of latestMock.values()) add("tally_mock_drift", { endpoint: m.endpoint, method: m.method }, m.drift);
  return out;
}

// --- sample data: every kind of prop value the recount distinguishes ---

const WEIRD = 'GET /a "quoted" \\ back\\slash\nnew line';
const T0 = Date.now() - 10 * 86_400_000;

function sampleEvents(seed: number, n: number, prefix: string): Ev[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const events: Ev[] = [];
  for (let i = 0; i < n; i++) {
    const ts = T0 + i * 60_000;
    const props: Record<string, string | number | boolean> = {
      endpoint: pick(["/users/{id}", "/orders", "/health", WEIRD, "/ünïcode/ß"]),
      method: pick(["GET", "POST", "DELETE"]),
      status: pick([200, 201, 404, 500, 503, "502", "abc", true]),
      protocol: pick(["http", "grpc", "websocket"]),
      latency_ms: pick([0, 5, 5.5, 10, 41, "41", " 41", "abc", -1, true, 249.75, 4999, 5000, 5001, 120_000]),
    };
    if (rnd() < 0.1) delete props["latency_ms"];
    if (rnd() < 0.05) delete props["protocol"];
    events.push({ id: `${prefix}r${i}`, ts, type: "request", name: "req", props });
    if (i % 3 === 0) events.push({ id: `${prefix}t${i}`, ts, type: "test", name: "t", props: { suite: pick(["unit", "e2e"]), status: pick(["passed", "failed", "skipped", "error"]) } });
    if (i % 5 === 0) {
      const cost = pick([0.25, 0.5, 1.125, "2.5", "x", -3]);
      events.push({ id: `${prefix}j${i}`, ts, type: "job", name: "j", props: { provider: pick(["openai", "anthropic"]), status: pick(["done", "failed"]), cost_usd: cost } });
    }
    if (i % 7 === 0) events.push({ id: `${prefix}c${i}`, ts, type: "chaos", name: "c", props: { fault: "latency" } });
    if (i % 11 === 0) events.push({ id: `${prefix}k${i}`, ts, type: "track", name: "signup" });
  }
  return events;
}

const MOCKS: Ev[] = [
  { id: "m1-new", ts: T0 + 2_000, type: "mock", name: "m", props: { endpoint: "/m1", method: "GET", drift: 0.125 } },
  // older by event time though posted later: not the latest
  { id: "m1-old", ts: T0 + 1_000, type: "mock", name: "m", props: { endpoint: "/m1", method: "GET", drift: 0.5 } },
  // the latest of /m1 POST reports no drift, so the one before it counts
  { id: "m1p-a", ts: T0 + 1_000, type: "mock", name: "m", props: { endpoint: "/m1", method: "POST", drift: "0.75" } },
  { id: "m1p-b", ts: T0 + 3_000, type: "mock", name: "m", props: { endpoint: "/m1", method: "POST", reality_level: 3 } },
  { id: "m2", ts: T0, type: "mock", name: "m", props: { endpoint: "/m2", drift: 1 } },
];

async function post(ws: Ws, events: Ev[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const res = await ingest(ws.id, ws.write, events.slice(i, i + 1000));
    expect(res.rejected).toBe(0);
  }
}

describe("the test parser", () => {
  const ok = '# HELP a_total A \\\\ help\\nline.\n# TYPE a_total counter\na_total{x="q\\"\\\\\\n",y=""} 3\n';

  it("reads a valid text, unescaping labels and help", () => {
    const f = parseExposition(ok).get("a_total")!;
    expect(f).toEqual({ name: "a_total", type: "counter", help: "A \\ help\nline.", samples: [{ name: "a_total", labels: { x: 'q"\\\n', y: "" }, value: 3 }] });
  });

  const hist = (lines: string) => `# HELP h H\n# TYPE h histogram\n${lines}`;
  it.each([
    ["no final line feed", ok.slice(0, -1), /line feed/],
    ["a sample before its TYPE", "a_total 1\n# HELP a_total A\n# TYPE a_total counter\n", /after its samples/],
    ["no TYPE", "# HELP g G\ng 1\n", /no TYPE/],
    ["no HELP", "# TYPE g gauge\ng 1\n", /no HELP/],
    ["two TYPE lines", "# HELP g G\n# TYPE g gauge\n# TYPE g gauge\ng 1\n", /second TYPE/],
    ["an unknown type", "# HELP g G\n# TYPE g meter\ng 1\n", /unknown type/],
    ["a duplicate series", "# HELP g G\n# TYPE g gauge\ng{a=\"1\",b=\"2\"} 1\ng{b=\"2\",a=\"1\"} 2\n", /duplicate series/],
    ["a label given twice", "# HELP g G\n# TYPE g gauge\ng{a=\"1\",a=\"2\"} 1\n", /given twice/],
    ["a bad escape", "# HELP g G\n# TYPE g gauge\ng{a=\"\\t\"} 1\n", /bad escape/],
    ["an unquoted label value", "# HELP g G\n# TYPE g gauge\ng{a=1} 1\n", /expected =""/],
    ["a bad label name", "# HELP g G\n# TYPE g gauge\ng{1a=\"x\"} 1\n", /bad label name/],
    ["a reserved label name", "# HELP g G\n# TYPE g gauge\ng{__name__=\"x\"} 1\n", /reserved/],
    ["a bad metric name", "# HELP 1g G\n", /bad metric name/],
    ["a bad value", "# HELP g G\n# TYPE g gauge\ng 1,5\n", /not a float/],
    ["a missing value", "# HELP g G\n# TYPE g gauge\ng{a=\"x\"}\n", /expected a value/],
    ["a counter not ending in _total", "# HELP c C\n# TYPE c counter\nc 1\n", /must end in _total/],
    ["a negative counter", "# HELP c_total C\n# TYPE c_total counter\nc_total -1\n", /negative/],
    ["interleaved families", "# HELP g G\n# TYPE g gauge\ng{a=\"1\"} 1\n# HELP h2 H\n# TYPE h2 gauge\nh2 1\ng{a=\"2\"} 1\n", /not contiguous/],
    ["a histogram without +Inf", hist('h_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'), /\+Inf/],
    ["+Inf unequal to _count", hist('h_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'), /is not _count/],
    ["decreasing buckets", hist('h_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n'), /decrease/],
    ["unordered bounds", hist('h_bucket{le="2"} 1\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n'), /do not increase/],
    ["a histogram without _sum", hist('h_bucket{le="+Inf"} 2\nh_count 2\n'), /lacks _sum/],
    ["le on _count", hist('h_bucket{le="+Inf"} 2\nh_sum 1\nh_count{le="+Inf"} 2\n'), /le belongs/],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseExposition(text)).toThrow(message);
  });
});

describe("GET /api/v1/workspaces/:id/metrics", () => {
  it("shows every type at 0 and nothing else for an empty workspace", async () => {
    const ws = await workspace();
    const families = parseExposition(await scrapeText(ws));
    expect(samples(families)).toEqual(recount([]));
    expect([...families.keys()]).toEqual([
      "tally_events_total",
      "tally_requests_total",
      "tally_request_errors_total",
      "tally_request_latency_ms",
      "tally_tests_total",
      "tally_jobs_total",
      "tally_job_cost_usd_total",
      "tally_mock_drift",
    ]);
    expect(families.get("tally_request_latency_ms")!.type).toBe("histogram");
    expect(families.get("tally_mock_drift")!.type).toBe("gauge");
  });

  it("equals a recount of the posted events, series for series", async () => {
    const [ws, other] = await Promise.all([workspace(), workspace("other")]);
    const events = [...sampleEvents(1, 600, "a"), ...MOCKS];
    await post(ws, events);
    await post(other, sampleEvents(2, 50, "b"));
    // a retry stores nothing and counts nothing
    await post(ws, events.slice(0, 10));
    const families = parseExposition(await scrapeText(ws));
    expect(samples(families)).toEqual(recount(events));
    // spot checks that do not go through the recount
    expect(sampleValue(families, "tally_mock_drift", { endpoint: "/m1", method: "GET" })).toBe(0.125);
    expect(sampleValue(families, "tally_mock_drift", { endpoint: "/m1", method: "POST" })).toBe(0.75);
    expect(sampleValue(families, "tally_mock_drift", { endpoint: "/m2", method: "(none)" })).toBe(1);
    const weird = families.get("tally_requests_total")!.samples.filter((s) => s.labels["endpoint"] === WEIRD);
    expect(weird.length).toBeGreaterThan(0);
    expect(sampleValue(families, "tally_events_total", { type: "mock" })).toBe(MOCKS.length);
  });

  it("counts numeric text as numbers and nothing else", async () => {
    const ws = await workspace();
    const r = (status: unknown, latency: unknown) => ({ type: "request", name: "r", props: { endpoint: "/x", method: "GET", protocol: "http", status, latency_ms: latency } });
    await post(ws, [r(500, 1), r("503", "2"), r("5xx", "3e0"), r(true, " 4"), r(499.5, "1e400"), r(false, "-0")] as Ev[]);
    const f = parseExposition(await scrapeText(ws));
    const labels = { endpoint: "/x", method: "GET", protocol: "http" };
    expect(sampleValue(f, "tally_request_errors_total", labels)).toBe(2);
    for (const status of ["500", "503", "5xx", "true", "499.5", "false"]) expect(sampleValue(f, "tally_requests_total", { ...labels, status })).toBe(1);
    // 1, "2", "3e0" and "-0" are numbers; " 4" (blanks) and "1e400" (infinite) are not
    expect(sampleValue(f, "tally_request_latency_ms_count", { endpoint: "/x" })).toBe(4);
    expect(sampleValue(f, "tally_request_latency_ms_sum", { endpoint: "/x" })).toBe(6);
  });

  it("keeps the 200 busiest endpoints apart and sums the rest as endpoint=\"other\"", async () => {
    const ws = await workspace();
    const events: Ev[] = [];
    for (let i = 0; i < 200; i++) for (let j = 0; j < 2; j++) events.push({ type: "request", name: "r", props: { endpoint: `/busy/${i}`, method: "GET", status: 200, protocol: "http", latency_ms: 7 } });
    for (let i = 0; i < 5; i++) events.push({ type: "request", name: "r", props: { endpoint: `/rare/${i}`, method: "GET", status: 500, protocol: "http", latency_ms: 700 } });
    await post(ws, events);
    const f = parseExposition(await scrapeText(ws));
    const endpoints = new Set(f.get("tally_requests_total")!.samples.map((s) => s.labels["endpoint"]));
    expect(endpoints.size).toBe(201);
    expect(endpoints.has("other")).toBe(true);
    expect([...endpoints].some((e) => e!.startsWith("/rare/"))).toBe(false);
    const other = { endpoint: "other", method: "GET", protocol: "http" };
    expect(sampleValue(f, "tally_requests_total", { ...other, status: "500" })).toBe(5);
    expect(sampleValue(f, "tally_request_errors_total", other)).toBe(5);
    expect(sampleValue(f, "tally_request_latency_ms_bucket", { endpoint: "other", le: "500" })).toBe(0);
    expect(sampleValue(f, "tally_request_latency_ms_bucket", { endpoint: "other", le: "1000" })).toBe(5);
    expect(sampleValue(f, "tally_request_latency_ms_sum", { endpoint: "other" })).toBe(3500);
    expect(sampleValue(f, "tally_requests_total", { endpoint: "/busy/7", method: "GET", protocol: "http", status: "200" })).toBe(2);
  });

  it("keeps counters unchanged through rollups, later events and retention", async () => {
    const ws = await workspace();
    const aged = (events: Ev[]) => events.map((e) => ({ ...e, ts: e.ts! - 60 * 86_400_000 }));
    const old = aged(sampleEvents(3, 300, "old"));
    // posted after the fold though as old: retention must count these itself before deleting them
    const lateOld = aged(sampleEvents(5, 100, "late"));
    const recent = [...sampleEvents(4, 200, "new"), ...MOCKS];
    await post(ws, old);
    const before = await scrapeText(ws);

    // folded in chunks of 97, stopped part way by the cap, then finished
    expect(await runRollups(env.DB, { chunkSize: 97, maxChunks: 3 })).toMatchObject({ done: false });
    expect(await scrapeText(ws)).toBe(before);
    while (!(await runRollups(env.DB, { chunkSize: 97, maxChunks: 50 })).done);
    expect(await scrapeText(ws)).toBe(before);
    const folded = await env.DB.prepare("SELECT rollup_seq FROM workspaces WHERE id = ?1").bind(ws.id).first<{ rollup_seq: number }>();
    expect(folded!.rollup_seq).toBeGreaterThan(0);

    // events after the fold add on top of the rollups
    await post(ws, [...recent, ...lateOld]);
    const all = samples(parseExposition(await scrapeText(ws)));
    expect(all).toEqual(recount([...old, ...recent, ...lateOld]));

    // retention deletes the old events, some of them not folded yet; the counters do not move
    await patchConfig(ws, { retention_days: { request: 30, test: 30, job: 30, chaos: 30, track: 30 } });
    const kept = await countEvents(ws.id);
    expect(await runRetention(env.DB, Date.now(), { chunkSize: 1000, maxChunks: 100 })).toMatchObject({ done: true });
    expect(await countEvents(ws.id)).toBe(kept - old.length - lateOld.length);
    expect(samples(parseExposition(await scrapeText(ws)))).toEqual(all);
    while (!(await runRollups(env.DB, { chunkSize: 1000, maxChunks: 50 })).done);
    expect(samples(parseExposition(await scrapeText(ws)))).toEqual(all);
  });
});

describe("rollups", () => {
  it("fold each event once when runs overlap", async () => {
    const ws = await workspace();
    const events = sampleEvents(6, 400, "o");
    await post(ws, events);
    const limits = { chunkSize: 50, maxChunks: 100 };
    await Promise.all([runRollups(env.DB, limits), runRollups(env.DB, limits), runRollups(env.DB, limits)]);
    const rolled = await env.DB.prepare("SELECT SUM(n) AS n FROM metric_rollups WHERE workspace_id = ?1").bind(ws.id).first<{ n: number }>();
    expect(rolled!.n).toBe(events.length);
    expect(samples(parseExposition(await scrapeText(ws)))).toEqual(recount(events));
  });
});

describe("metrics authentication", () => {
  it("takes read and admin tokens in the Authorization header", async () => {
    const ws = await workspace();
    for (const token of [ws.read, ws.admin]) expect((await scrape(ws.id, token)).status).toBe(200);
    await expectError(await scrape(ws.id, ws.write), 403, "insufficient_scope");
    await expectError(await api(`/api/v1/workspaces/${ws.id}/metrics`), 401, "missing_token");
  });

  it("takes a read token as ?token= for scrapers that cannot set headers, never an admin token", async () => {
    const ws = await workspace();
    const res = await api(`/api/v1/workspaces/${ws.id}/metrics?token=${ws.read}`);
    expect(res.status).toBe(200);
    parseExposition(await res.text());
    await expectError(await api(`/api/v1/workspaces/${ws.id}/metrics?token=${ws.admin}`), 403, "insufficient_scope");
    await expectError(await api(`/api/v1/workspaces/${ws.id}/metrics?token=nope`), 401, "invalid_token");
  });

  it("uses the header when both are given", async () => {
    const ws = await workspace();
    expect((await scrape(ws.id, ws.admin, `?token=${ws.write}`)).status).toBe(200);
    await expectError(await scrape(ws.id, ws.write, `?token=${ws.read}`), 403, "insufficient_scope");
  });

  it("refuses another workspace's tokens, by header or query", async () => {
    const [a, b] = await Promise.all([workspace("a"), workspace("b")]);
    await expectError(await scrape(a.id, b.read), 403, "wrong_workspace");
    await expectError(await api(`/api/v1/workspaces/${a.id}/metrics?token=${b.read}`), 403, "wrong_workspace");
  });
});

describe("the Grafana dashboard", () => {
  it("queries only metrics and labels the endpoint serves, through a Prometheus datasource variable", async () => {
    // a variable specifier: Vite loads the file as text, and TypeScript leaves the import untyped
    const path = "../../grafana/tally-dashboard.json?raw";
    const dashboard = JSON.parse(((await import(/* @vite-ignore */ path)) as { default: string }).default) as {
      templating: { list: { name: string; type: string; query: unknown }[] };
      panels: { type: string; datasource?: { type: string; uid: string }; targets?: { expr: string }[] }[];
    };
    expect(dashboard.templating.list.find((v) => v.name === "datasource")).toMatchObject({ type: "datasource", query: "prometheus" });

    const ws = await workspace();
    await post(ws, [...sampleEvents(7, 50, "g"), ...MOCKS]);
    const families = parseExposition(await scrapeText(ws));
    const labelsOf = new Map<string, Set<string>>();
    for (const f of families.values()) for (const s of f.samples) labelsOf.set(s.name, new Set([...(labelsOf.get(s.name) ?? []), ...Object.keys(s.labels), "workspace"]));

    const exprs = dashboard.panels.filter((p) => p.type !== "row").flatMap((p) => {
      expect(p.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      return (p.targets ?? []).map((t) => t.expr);
    });
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) {
      const metrics = expr.match(/tally_[a-z_]+/g) ?? [];
      expect(metrics.length, expr).toBeGreaterThan(0);
      for (const m of metrics) expect(labelsOf.has(m), `${m} in ${expr}`).toBe(true);
      for (const [, list] of expr.matchAll(/by \(([^)]*)\)/g)) {
        for (const l of list!.split(",").map((x) => x.trim())) {
          expect(metrics.some((m) => labelsOf.get(m)!.has(l)), `label ${l} in ${expr}`).toBe(true);
        }
      }
    }
    const used = new Set(exprs.flatMap((e) => e.match(/tally_[a-z]+(?:_[a-z]+)*/g) ?? []));
    for (const name of ["tally_requests_total", "tally_request_errors_total", "tally_request_latency_ms_bucket", "tally_tests_total", "tally_job_cost_usd_total"]) {
      expect(used.has(name), name).toBe(true);
    }
  });
});

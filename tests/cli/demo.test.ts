// `tally demo`: a demo workspace through the public API, events that pass the
// edge's own validation, and the share link printed at the end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreateWorkspaceResponse } from "../../shared/wire.ts";
import { validateEvent } from "../../shared/validate.ts";
import { demoEvents, demoWorkspaceConfig } from "../../cli/demo/generate.ts";
import { CONFIG_SCHEMAS } from "../../shared/config.ts";
import { coverageFromEvents } from "../../shared/coverage/index.ts";
import { centsOf, jobsFromEvents } from "../../shared/jobs/index.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { startEdge, tally, tempDir, type FakeEdge } from "./helpers.ts";

const token = (kind: "admin" | "write" | "read", secret: string) => ({
  id: `tok_${kind}`,
  kind,
  label: `first ${kind} token`,
  created_at: "2026-11-20T10:00:00.000Z",
  expires_at: null,
  revoked_at: null,
  token: secret,
});
const created: CreateWorkspaceResponse = {
  workspace: { id: "ws_demo0123456789abcd", name: "Demo: storefront API", demo: true, created_at: "2026-11-20T10:00:00.000Z" },
  tokens: { admin: token("admin", "tly_a_A"), write: token("write", "tly_w_W"), read: token("read", "tly_r_R") },
};

let edge: FakeEdge;
beforeAll(async () => {
  edge = await startEdge((req) => {
    if (req.method === "POST" && req.path === "/api/v1/workspaces") return { status: 201, body: created };
    if (req.method === "PATCH" && req.path.endsWith("/config")) return { status: 200, body: { config: req.json.set, versions: {}, changed: Object.keys(req.json.set), overwritten: [] } };
    return undefined;
  });
});
afterAll(() => edge.close());

describe("demoEvents", () => {
  const now = Date.UTC(2026, 10, 20, 12);
  const events = demoEvents({ now, days: 3 });

  it("makes valid events of the last days, labelled demo, in time order", () => {
    expect(events.length).toBeGreaterThan(2000);
    for (const e of events) {
      expect(validateEvent(e).ok).toBe(true);
      expect((e["props"] as Record<string, unknown>)["demo"]).toBe(true);
      expect(e["ts"]).toBeLessThan(now);
      expect(e["ts"]).toBeGreaterThanOrEqual(now - 3 * 86_400_000 - 3_600_000);
    }
    const ts = events.map((e) => e["ts"] as number);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(new Set(events.map((e) => e["id"])).size).toBe(events.length);
  });

  it("is the same for the same seed", () => {
    expect(demoEvents({ now, days: 3 })).toEqual(events);
  });

  it("has errors, and request, test, mock, chaos, job and track events to show", () => {
    const types = new Set(events.map((e) => e["type"]));
    expect(types).toEqual(new Set(["request", "test", "mock", "chaos", "job", "track"]));
    // each injected fault names its kind and hits a request to the same endpoint at the same time
    const faults = events.filter((e) => e["type"] === "chaos");
    expect(new Set(faults.map((f) => (f["props"] as { fault: string }).fault))).toEqual(new Set(["latency", "error"]));
    for (const f of faults) {
      const p = f["props"] as { endpoint: string; fault: string };
      const hit = events.find((e) => e["type"] === "request" && e["ts"] === f["ts"] && (e["props"] as { endpoint: string }).endpoint === p.endpoint);
      expect(hit, JSON.stringify(f)).toBeDefined();
      if (p.fault === "error") expect((hit!["props"] as { status: number }).status).toBe(503);
    }
    const statuses = events.filter((e) => e["type"] === "request").map((e) => (e["props"] as { status: number }).status);
    expect(statuses.some((s) => s >= 500)).toBe(true);
  });
});

describe("the demo's coverage side", () => {
  const now = Date.UTC(2026, 10, 20, 12);
  const days = 14;
  const stored = demoEvents({ now, days }).map((e, i): StoredEvent => ({ ...(e as Omit<StoredEvent, "seq" | "received_at">), seq: i + 1, received_at: e["ts"] as number }));
  const config = demoWorkspaceConfig();
  const report = coverageFromEvents(stored, {
    catalog: config.endpoint_catalog ?? [],
    personas: config.personas ?? [],
    scenarios: config.scenarios ?? [],
    thresholds: config.thresholds ?? {},
    now,
  });

  it("writes a config the edge accepts", () => {
    for (const [key, value] of Object.entries(config)) expect(CONFIG_SCHEMAS[key as keyof typeof CONFIG_SCHEMAS].safeParse(value).success, key).toBe(true);
  });

  it("leaves something to find in every coverage panel", () => {
    // every third endpoint's last documented code is never tested
    expect(report.overall.coverage).toBeGreaterThan(0.5);
    expect(report.overall.coverage).toBeLessThan(1);
    expect(report.overall.uncovered.length).toBeGreaterThan(0);
    expect(report.personas.neverHit).toEqual(["partner"]);
    expect(report.drift.drifting).toBeGreaterThan(0);
    expect(report.flaky.tests.some((t) => t.flakyCommits > 0)).toBe(true);
  });
});

describe("the demo's jobs and product sides", () => {
  const now = Date.UTC(2026, 10, 20, 12);
  const events = demoEvents({ now, days: 14 });
  const stored = events.map((e, i): StoredEvent => ({ ...(e as Omit<StoredEvent, "seq" | "received_at">), seq: i + 1, received_at: e["ts"] as number }));
  const jobs = events.filter((e) => e["type"] === "job").map((e) => e["props"] as Record<string, number | string>);
  const track = events.filter((e) => e["type"] === "track");

  it("bills jobs in whole cents, and the report's total is their hand sum", () => {
    const cents = jobs.map((p) => Math.round((p["cost_usd"] as number) * 100));
    jobs.forEach((p, i) => expect(cents[i]! / 100).toBe(p["cost_usd"]));
    const report = jobsFromEvents(stored);
    expect(report.summary.jobs).toBe(jobs.length);
    expect(centsOf(report.summary.costUsd)).toBe(cents.reduce((a, b) => a + b, 0));
  });

  it("runs jobs on three providers and two strategies, a few failing, blocked or cancelled, QC scored 0 to 100", () => {
    expect(jobs.length).toBeGreaterThan(400);
    expect(new Set(jobs.map((p) => p["provider"]))).toEqual(new Set(["openai", "anthropic", "local"]));
    expect(new Set(jobs.map((p) => p["strategy"]))).toEqual(new Set(["multi_stage", "single_shot"]));
    const statuses = new Set(jobs.map((p) => p["status"]));
    for (const s of ["succeeded", "failed", "blocked", "cancelled"]) expect(statuses.has(s), s).toBe(true);
    const qc = jobs.flatMap((p) => (p["qc_score"] === undefined ? [] : [p["qc_score"] as number]));
    expect(Math.min(...qc)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...qc)).toBeLessThanOrEqual(100);
    const r = jobsFromEvents(stored).summary;
    expect(r.successRate).toBeGreaterThan(0.8);
    expect(r.successRate).toBeLessThan(0.97);
  });

  it("tracks about 300 users through signup, onboarding, projects, invites and upgrades", () => {
    const users = new Set(track.map((e) => (e["props"] as { user: string }).user));
    expect(users.size).toBe(300);
    const names = new Set(track.map((e) => e["name"]));
    expect(names).toEqual(new Set(["signup", "onboarding_complete", "create_project", "invite_teammate", "upgrade"]));
    const features = new Set(track.flatMap((e) => ((e["props"] as { feature?: string }).feature ? [(e["props"] as { feature: string }).feature] : [])));
    expect(features).toEqual(new Set(["dashboards", "alerts", "exports", "sharing", "api_keys"]));
  });

  it("runs both experiments, each user in one variant, the checklist's conversions by its default goal", () => {
    const variants = new Map<string, string>();
    for (const e of track) {
      const p = e["props"] as { user: string; experiment?: string; variant?: string; converted?: boolean };
      if (p.experiment === undefined) continue;
      expect(p.experiment === "pricing-page" ? ["control", "annual-first"] : ["control", "checklist"]).toContain(p.variant);
      const key = `${p.experiment}/${p.user}`;
      expect(variants.get(key) ?? p.variant).toBe(p.variant);
      variants.set(key, p.variant!);
      if (e["name"] === "onboarding_complete") expect(p).toMatchObject({ experiment: "onboarding-checklist", converted: true });
    }
    expect(track.some((e) => e["name"] === "upgrade" && (e["props"] as { experiment?: string }).experiment === "pricing-page")).toBe(true);
  });

  it("has each user's funnel steps in order", () => {
    const first = new Map<string, number>();
    const order = ["signup", "onboarding_complete", "create_project", "invite_teammate"];
    for (const e of track) {
      const key = `${(e["props"] as { user: string }).user}/${e["name"] as string}`;
      if (!first.has(key)) first.set(key, e["ts"] as number);
    }
    for (const [key, ts] of first) {
      const [user, name] = key.split("/") as [string, string];
      const step = order.indexOf(name);
      if (step > 0) expect(first.get(`${user}/${order[step - 1]!}`), key).toBeLessThanOrEqual(ts);
    }
  });

  it("configures the pricing-page goal and the Activation funnel", () => {
    const config = demoWorkspaceConfig();
    expect(config.experiments).toEqual([{ experiment: "pricing-page", goal: { name: "upgrade" } }]);
    expect(config.funnels?.[0]?.steps.map((s) => s.name)).toEqual(order());
    expect(config.funnels?.[0]?.window_hours).toBe(168);
  });
});

const order = () => ["signup", "onboarding_complete", "create_project", "invite_teammate"];

describe("tally demo", () => {
  it("creates a demo workspace, posts its events with the write token and prints the share link", async () => {
    const tmp = await tempDir();
    try {
      edge.requests.length = 0;
      const r = await tally(["demo", "--days", "2", "--admin-secret", "s3cret"], { edge, cwd: tmp.dir, env: { TALLY_WORKSPACE: undefined, TALLY_TOKEN: undefined } });
      expect(r.code).toBe(0);
      const [create, ...rest] = edge.requests;
      const posts = rest.filter((p) => p.method === "POST");
      const config = rest.filter((p) => p.method === "PATCH");
      expect(config).toHaveLength(1);
      expect(config[0]!.path).toBe(`/api/v1/workspaces/${created.workspace.id}/config`);
      expect(config[0]!.headers.authorization).toBe("Bearer tly_a_A");
      expect(config[0]!.json).toEqual({ set: demoWorkspaceConfig() });
      expect(create!.headers.authorization).toBe("Bearer s3cret");
      expect(create!.json).toEqual({ name: "Demo: storefront API", demo: true });
      expect(posts.length).toBeGreaterThan(0);
      for (const p of posts) {
        expect(p.path).toBe(`/api/v1/workspaces/${created.workspace.id}/events`);
        expect(p.headers.authorization).toBe("Bearer tly_w_W");
      }
      expect(edge.stored.size).toBe(posts.reduce((n, p) => n + p.json.events.length, 0));
      expect(r.stdout()).toContain(`${edge.url}/#/w/${created.workspace.id}?key=tly_r_R`);
    } finally {
      await tmp.remove();
    }
  });

  it("refuses a bad --days without creating anything", async () => {
    const tmp = await tempDir();
    try {
      edge.requests.length = 0;
      const r = await tally(["demo", "--days", "0", "--admin-secret", "s3cret"], { edge, cwd: tmp.dir });
      expect(r.code).toBe(2);
      expect(edge.requests).toHaveLength(0);
    } finally {
      await tmp.remove();
    }
  });
});

// Retention: the hourly job deletes exactly the events older than each
// workspace's cutoff per type, in capped chunks, taking turns between
// workspaces; the pull answer tells browsers the cutoffs so they drop the same.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../shared/config.ts";
import worker from "../../worker/index.ts";
import { deleteExpiredChunk } from "../../worker/db/retention.ts";
import { runRetention } from "../../worker/scheduled.ts";
import type { MaintenanceResponse } from "../../shared/wire.ts";
import { ADMIN_SECRET, api, expectError, ingest, patchConfig, pull, storedRows, workspace, type Ws } from "./helpers.ts";

const BIG = { chunkSize: 5000, maxChunks: 1000 };

/** Runs retention as of `now` until nothing is left, so earlier tests' workspaces do not count in a test's figures. */
async function drain(now: number): Promise<void> {
  while (!(await runRetention(env.DB, now, BIG)).done);
}

let n = 0;
const ev = (type: string, ts: number, id = `e${++n}`) => ({ id, ts, type, name: "n" });

async function ids(ws: Ws): Promise<string[]> {
  return (await storedRows(ws.id)).map((r) => String(r["id"])).sort();
}

describe("which events go", () => {
  it("deletes events strictly older than the cutoff, and keeps the one at it", async () => {
    const now = Date.now();
    const cutoff = now - 30 * DAY_MS;
    const ws = await workspace();
    await patchConfig(ws, { retention_days: { request: 30 } });
    await ingest(ws.id, ws.write, [
      ev("request", cutoff - DAY_MS, "older"),
      ev("request", cutoff - 1, "just-older"),
      ev("request", cutoff, "at-cutoff"),
      ev("request", cutoff + 1, "just-newer"),
      ev("request", now, "now"),
    ]);
    await drain(now);
    expect(await ids(ws)).toEqual(["at-cutoff", "just-newer", "now"]);
  });

  it("applies each type's own retention and keeps types without one forever", async () => {
    const now = Date.now();
    const ws = await workspace();
    await patchConfig(ws, { retention_days: { request: 1, test: 10 } });
    const age = (days: number) => now - days * DAY_MS;
    await ingest(ws.id, ws.write, [
      ev("request", age(2), "req-2d"),
      ev("request", age(0.5), "req-12h"),
      ev("test", age(2), "test-2d"),
      ev("test", age(11), "test-11d"),
      ev("job", age(3000), "job-3000d"),
      ev("track", age(11), "track-11d"),
    ]);
    await drain(now);
    expect(await ids(ws)).toEqual(["job-3000d", "req-12h", "test-2d", "track-11d"]);
  });

  it("leaves other workspaces alone, whatever their events' age", async () => {
    const now = Date.now();
    const [ws, other, shorter] = await Promise.all([workspace("a"), workspace("b"), workspace("c")]);
    await patchConfig(ws, { retention_days: { request: 30 } });
    await patchConfig(shorter, { retention_days: { request: 60 } });
    const old = now - 45 * DAY_MS;
    await ingest(ws.id, ws.write, [ev("request", old, "a-old")]);
    await ingest(other.id, other.write, [ev("request", old, "b-old"), ev("request", now - 3000 * DAY_MS, "b-ancient")]);
    await ingest(shorter.id, shorter.write, [ev("request", old, "c-old")]);
    await drain(now);
    expect(await ids(ws)).toEqual([]);
    expect(await ids(other)).toEqual(["b-ancient", "b-old"]);
    expect(await ids(shorter)).toEqual(["c-old"]);
  });

  it("deletes nothing once the retention is removed", async () => {
    const now = Date.now();
    const ws = await workspace();
    await patchConfig(ws, { retention_days: { request: 1 } });
    await patchConfig(ws, { retention_days: null });
    await ingest(ws.id, ws.write, [ev("request", now - 5 * DAY_MS, "kept")]);
    await drain(now);
    expect(await ids(ws)).toEqual(["kept"]);
  });
});

describe("chunks and caps", () => {
  it("deletes at most a chunk per statement, oldest first, ties included", async () => {
    const now = Date.now();
    const cutoff = now - 7 * DAY_MS;
    const ws = await workspace();
    // 7 events at the same old instant, 2 older still, and 3 at the cutoff
    await ingest(ws.id, ws.write, [
      ...Array.from({ length: 7 }, (_, i) => ev("request", cutoff - 10, `tie-${i}`)),
      ev("request", cutoff - 20, "oldest-a"),
      ev("request", cutoff - 20, "oldest-b"),
      ...Array.from({ length: 3 }, (_, i) => ev("request", cutoff, `keep-${i}`)),
    ]);
    expect(await deleteExpiredChunk(env.DB, ws.id, "request", cutoff, 4)).toBe(4);
    const left = await ids(ws);
    expect(left).not.toContain("oldest-a");
    expect(left).not.toContain("oldest-b");
    expect(left).toHaveLength(8);
    expect(await deleteExpiredChunk(env.DB, ws.id, "request", cutoff, 4)).toBe(4);
    expect(await deleteExpiredChunk(env.DB, ws.id, "request", cutoff, 4)).toBe(1);
    expect(await deleteExpiredChunk(env.DB, ws.id, "request", cutoff, 4)).toBe(0);
    expect(await ids(ws)).toEqual(["keep-0", "keep-1", "keep-2"]);
  });

  it("stops a run at the chunk cap and finishes in the next run", async () => {
    const now = Date.now();
    await drain(now);
    const ws = await workspace();
    await patchConfig(ws, { retention_days: { test: 1 } });
    await ingest(ws.id, ws.write, Array.from({ length: 23 }, (_, i) => ev("test", now - 2 * DAY_MS - i)));
    const limits = { chunkSize: 5, maxChunks: 3 };
    expect(await runRetention(env.DB, now, limits)).toEqual({ rows: 15, chunks: 3, done: false, failed: 0 });
    expect(await storedRows(ws.id)).toHaveLength(8);
    expect(await runRetention(env.DB, now, limits)).toEqual({ rows: 8, chunks: 2, done: true, failed: 0 });
    expect(await storedRows(ws.id)).toHaveLength(0);
  });

  it("takes turns between workspaces, so one large workspace cannot starve the rest", async () => {
    const now = Date.now();
    await drain(now);
    const [big, small] = await Promise.all([workspace("big"), workspace("small")]);
    for (const ws of [big, small]) await patchConfig(ws, { retention_days: { job: 2 } });
    await ingest(big.id, big.write, Array.from({ length: 40 }, () => ev("job", now - 3 * DAY_MS)));
    await ingest(small.id, small.write, Array.from({ length: 8 }, () => ev("job", now - 3 * DAY_MS)));
    // turns: 5 + 5, then 5 + 3; one after the other, big would have taken all four chunks
    expect(await runRetention(env.DB, now, { chunkSize: 5, maxChunks: 4 })).toEqual({ rows: 18, chunks: 4, done: false, failed: 0 });
    expect(await storedRows(small.id)).toHaveLength(0);
    expect(await storedRows(big.id)).toHaveLength(30);
    await drain(now);
  });

  it("starts each hour's run at another workspace, so the cap does not always stop at the same ones", async () => {
    const now = Date.now();
    await drain(now);
    const three = await Promise.all([workspace("x"), workspace("y"), workspace("z")]);
    for (const ws of three) {
      await patchConfig(ws, { retention_days: { request: 2 } });
      await ingest(ws.id, ws.write, Array.from({ length: 10 }, () => ev("request", now - 3 * DAY_MS)));
    }
    const hour = 3_600_000;
    const counts = async () => Promise.all(three.map(async (ws) => (await storedRows(ws.id)).length));
    const seen: number[][] = [];
    for (let h = 0; h < 3; h++) {
      expect(await runRetention(env.DB, now + h * hour, { chunkSize: 5, maxChunks: 1 })).toMatchObject({ rows: 5, done: false });
      seen.push(await counts());
    }
    // three runs, three different workspaces: each lost one chunk
    expect(seen[2]).toEqual([5, 5, 5]);
  });
});

describe("the scheduled handler", () => {
  it("runs retention as of the trigger's scheduled time, and folds metrics", async () => {
    const now = Date.now();
    await drain(now);
    const ws = await workspace();
    await patchConfig(ws, { retention_days: { chaos: 30 } });
    await ingest(ws.id, ws.write, [ev("chaos", now - 31 * DAY_MS, "31d"), ev("chaos", now - 29 * DAY_MS, "29d"), ev("track", now - 31 * DAY_MS, "track")]);

    const run = async (scheduledTime: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime, cron: "17 * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    // five days earlier the cutoff was 35 days back: nothing was old enough yet
    await run(now - 5 * DAY_MS);
    expect(await ids(ws)).toEqual(["29d", "31d", "track"]);
    await run(now);
    expect(await ids(ws)).toEqual(["29d", "track"]);
    const row = await env.DB.prepare("SELECT rollup_seq FROM workspaces WHERE id = ?1").bind(ws.id).first<{ rollup_seq: number }>();
    expect(row!.rollup_seq).toBe(Math.max(...(await storedRows(ws.id)).map((r) => Number(r["seq"]))));
  });
});

describe("POST /api/v1/maintenance", () => {
  it("runs the job now, for the instance admin only", async () => {
    const now = Date.now();
    await drain(now);
    const ws = await workspace();
    await patchConfig(ws, { retention_days: { track: 1 } });
    await ingest(ws.id, ws.write, [ev("track", now - 2 * DAY_MS, "old"), ev("track", now, "new")]);
    for (const token of [ws.admin, "not-the-secret"]) {
      await expectError(await api("/api/v1/maintenance", { method: "POST", token }), 401, "invalid_admin_secret");
    }
    expect(await ids(ws)).toEqual(["new", "old"]);
    const res = await api("/api/v1/maintenance", { method: "POST", token: ADMIN_SECRET });
    expect(res.status).toBe(200);
    const report = (await res.json()) as MaintenanceResponse;
    expect(report.retention).toEqual({ rows: 1, chunks: 1, done: true, failed: 0 });
    expect(report.rollup).toMatchObject({ done: true, failed: 0 });
    expect(report.alerts).toMatchObject({ done: true, failed: 0 });
    expect(await ids(ws)).toEqual(["new"]);
  });
});

describe("the pull answer", () => {
  it("carries each retained type's cutoff as of the answer, and nothing without a retention", async () => {
    const ws = await workspace();
    await ingest(ws.id, ws.write, [ev("request", Date.now())]);
    expect(await pull(ws.id, ws.read)).not.toHaveProperty("retention");

    await patchConfig(ws, { retention_days: { request: 7, job: 365 } });
    const before = Date.now();
    const page = await pull(ws.id, ws.read);
    const after = Date.now();
    expect(Object.keys(page.retention!).sort()).toEqual(["job", "request"]);
    expect(page.retention!.request).toBeGreaterThanOrEqual(before - 7 * DAY_MS);
    expect(page.retention!.request).toBeLessThanOrEqual(after - 7 * DAY_MS);
    expect(page.retention!.job! - page.retention!.request!).toBe(-358 * DAY_MS);
    expect(page.events).toHaveLength(1);

    await patchConfig(ws, { retention_days: null });
    expect(await pull(ws.id, ws.read)).not.toHaveProperty("retention");
  });
});

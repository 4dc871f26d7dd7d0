// The hourly job's alert upkeep: history past 90 days and webhook rows
// finished over 7 days ago go, in chunks; everything newer, every pending
// delivery and the history entry it posts, stays.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../shared/config.ts";
import { runAlertCleanup } from "../../worker/scheduled.ts";
import { historyRows, webhookRows } from "./alert-fixtures.ts";
import { workspace } from "./helpers.ts";

const NOW = Date.parse("2026-11-20T10:00:00Z");

async function history(ws: string, at: number, note: string): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO alert_history (workspace_id, rule_id, name, kind, at, value, threshold, severity, detail) VALUES (?1, 'r1', 'Busy', 'firing', ?2, 3, 1, 'warning', ?3) RETURNING id",
  )
    .bind(ws, at, note)
    .first<{ id: number }>();
  return row!.id;
}

async function webhook(ws: string, historyId: number, state: "pending" | "delivered" | "abandoned", finishedAt: number | null): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO alert_webhooks (workspace_id, history_id, url, state, attempts, next_attempt_at, created_at, finished_at) VALUES (?1, ?2, 'https://hooks.example/x', ?3, 1, ?4, ?4, ?5)",
  )
    .bind(ws, historyId, state, finishedAt ?? NOW, finishedAt)
    .run();
}

describe("the hourly job's alert cleanup", () => {
  it("deletes history past 90 days and webhook rows finished over 7 days ago, and nothing else", async () => {
    const a = (await workspace()).id;
    const b = (await workspace()).id;
    await history(a, NOW - 91 * DAY_MS, "old");
    const oldPending = await history(a, NOW - 95 * DAY_MS, "old, webhook pending");
    const recent = await history(a, NOW - 89 * DAY_MS, "recent");
    const otherOld = await history(b, NOW - 200 * DAY_MS, "other workspace, old");
    await webhook(a, recent, "delivered", NOW - 8 * DAY_MS); // goes
    await webhook(a, recent, "abandoned", NOW - 6 * DAY_MS); // stays
    await webhook(a, oldPending, "pending", null); // stays, and keeps its history entry
    await webhook(b, otherOld, "abandoned", NOW - 30 * DAY_MS); // goes, then its history entry

    const report = await runAlertCleanup(env.DB, NOW, { chunkSize: 5000, maxChunks: 5 });
    expect(report).toMatchObject({ rows: 4, done: true, failed: 0 });
    expect((await historyRows(a)).map((r) => r["detail"])).toEqual(["old, webhook pending", "recent"]);
    expect(await historyRows(b)).toEqual([]);
    expect((await webhookRows(a)).map((r) => r["state"])).toEqual(["abandoned", "pending"]);
    expect(await webhookRows(b)).toEqual([]);
  });

  it("works through more than a chunk in several, and stops at its cap with the rest for the next run", async () => {
    const ws = (await workspace()).id;
    for (let i = 0; i < 7; i++) await history(ws, NOW - (100 + i) * DAY_MS, `old ${i}`);
    const capped = await runAlertCleanup(env.DB, NOW, { chunkSize: 2, maxChunks: 2 });
    expect(capped).toMatchObject({ rows: 4, chunks: 2, done: false });
    expect(await historyRows(ws)).toHaveLength(3);
    const rest = await runAlertCleanup(env.DB, NOW, { chunkSize: 2, maxChunks: 10 });
    expect(rest).toMatchObject({ rows: 3, done: true });
    expect(await historyRows(ws)).toEqual([]);
  });
});

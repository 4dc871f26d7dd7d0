/**
 * The hourly job's part in alerts: a backstop, not the timer. Each hub
 * evaluates and posts from its own alarm; should an alarm be lost, a firing
 * alert would never resolve and a webhook never be retried. So once an hour
 * the hubs of such workspaces are asked to look again.
 */
import { workspacesWithLostAlertTimers } from "../db/alerts.ts";
import { liveHub } from "../live-hub.ts";

const HOUR = 3_600_000;

/** Hubs woken per run; more wait for the next run. */
export const MAX_WAKES = 200;

/** Wakes the hubs that should have looked at their alerts and did not; returns how many were woken, and how many failed. */
export async function wakeLostAlertTimers(env: Env, now: number, limit = MAX_WAKES): Promise<{ woken: number; failed: number }> {
  const workspaces = await workspacesWithLostAlertTimers(env.DB, now - HOUR, now - 10 * 60_000, limit);
  const results = await Promise.allSettled(workspaces.map((ws) => liveHub(env, ws).checkAlerts(ws)));
  const failed = results.filter((r) => r.status === "rejected");
  for (const r of failed) console.error("alerts: waking a hub failed", (r as PromiseRejectedResult).reason);
  return { woken: results.length - failed.length, failed: failed.length };
}

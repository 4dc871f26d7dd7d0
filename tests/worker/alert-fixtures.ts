// Factories for the alert tests: rules written straight into the workspace's
// config (so no hub is asked to evaluate behind a test's back), events stored
// straight into D1 at explicit times, and direct reads of the alert tables.
import { env } from "cloudflare:workers";
import { canonicalJson } from "../../shared/config.ts";
import { validateAlertRules, type AlertRuleInput } from "../../shared/alerts.ts";
import { normalizeBatch } from "../../shared/ingest.ts";
import { insertEvents } from "../../worker/db/events.ts";
import { requestEvent } from "./helpers.ts";

/** A fixed "now" for evaluations; events are placed relative to it. */
export const T0 = Date.parse("2026-11-20T10:00:00Z");
export const MIN = 60_000;

/** An event_rate rule (above 1 request/min over 5 min) unless overridden. */
export function rule(overrides: Partial<Record<string, unknown>> = {}): AlertRuleInput {
  return { id: "r1", name: "Busy", type: "event_rate", severity: "warning", threshold: 1, window_minutes: 5, ...overrides } as AlertRuleInput;
}

/** Writes alert_rules as PATCH /config would store them (defaults filled in), without telling the hub. */
export async function writeRules(ws: string, rules: AlertRuleInput[]): Promise<void> {
  const parsed = validateAlertRules(rules);
  if (!parsed.ok) throw new Error(`bad rules in a test: ${JSON.stringify(parsed.issues)}`);
  await env.DB.prepare(
    `INSERT INTO workspace_config (workspace_id, key, value, version, updated_at) VALUES (?1, 'alert_rules', ?2, 1, 0)
     ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value, version = version + 1`,
  )
    .bind(ws, canonicalJson(parsed.value))
    .run();
}

/** Stores request events at the given times, with props merged over the usual ones. */
export async function storeRequests(ws: string, times: number[], props: Record<string, string | number | boolean> = {}): Promise<void> {
  const events = times.map((ts) => requestEvent({ ts, props: { method: "GET", endpoint: "/api/users/{id}", status: 200, latency_ms: 41, ...props } }));
  // received when the last of them happened: events too far in the future are refused
  const receivedAt = Math.max(...times);
  const batch = normalizeBatch({ events }, { receivedAt, newId: () => crypto.randomUUID() });
  if (batch.rejections.length > 0) throw new Error(`bad events in a test: ${JSON.stringify(batch.rejections)}`);
  await insertEvents(env.DB, ws, receivedAt, batch.events);
}

/** `n` times spread evenly over [from, from + span). */
export function times(n: number, from: number, span = MIN): number[] {
  return Array.from({ length: n }, (_, i) => from + Math.floor((i * span) / n));
}

async function rows(table: string, ws: string, order: string): Promise<Record<string, unknown>[]> {
  const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE workspace_id = ?1 ORDER BY ${order}`).bind(ws).all();
  return results;
}

export const historyRows = (ws: string) => rows("alert_history", ws, "id");
export const stateRows = (ws: string) => rows("alert_states", ws, "position");
export const webhookRows = (ws: string) => rows("alert_webhooks", ws, "id");

/**
 * SQL for the webhook outbox: the deliveries due now with the history entry
 * each posts, the outcome of a round of attempts (written in one batch), and
 * when the next delivery falls due.
 */
import type { AlertHistoryEntry } from "../../shared/wire.ts";

/** A pending delivery: where it goes, how often it was tried, and what it posts. */
export interface DueWebhook {
  id: number;
  url: string;
  attempts: number;
  alert: AlertHistoryEntry;
}

interface DueRow {
  webhook_id: number;
  url: string;
  attempts: number;
  id: number;
  rule_id: string;
  name: string;
  kind: AlertHistoryEntry["kind"];
  at: number;
  value: number | null;
  threshold: number;
  severity: AlertHistoryEntry["severity"];
  detail: string;
}

/** The outcome of one attempt: delivered, to retry at `retryAt`, or given up (`retryAt` null). */
export type WebhookOutcome = { id: number; delivered: true } | { id: number; delivered: false; error: string; retryAt: number | null };

/** Up to `limit` deliveries of the workspace due at `now`, longest due first. */
export async function dueWebhooks(db: D1Database, workspaceId: string, now: number, limit: number): Promise<DueWebhook[]> {
  const { results } = await db
    .prepare(
      `SELECT w.id AS webhook_id, w.url, w.attempts,
              h.id, h.rule_id, h.name, h.kind, h.at, h.value, h.threshold, h.severity, h.detail
         FROM alert_webhooks AS w JOIN alert_history AS h ON h.id = w.history_id
        WHERE w.workspace_id = ?1 AND w.state = 'pending' AND w.next_attempt_at <= ?2
        ORDER BY w.next_attempt_at, w.id LIMIT ?3`,
    )
    .bind(workspaceId, now, limit)
    .all<DueRow>();
  return results.map(({ webhook_id, url, attempts, ...alert }) => ({ id: webhook_id, url, attempts, alert }));
}

/** Records a round of attempts in one batch; every outcome counts one attempt. */
export async function recordAttempts(db: D1Database, outcomes: WebhookOutcome[], now: number): Promise<void> {
  if (outcomes.length === 0) return;
  await db.batch(
    outcomes.map((o) =>
      o.delivered
        ? db.prepare("UPDATE alert_webhooks SET state = 'delivered', attempts = attempts + 1, last_error = NULL, finished_at = ?2 WHERE id = ?1").bind(o.id, now)
        : db
            .prepare(
              `UPDATE alert_webhooks SET attempts = attempts + 1, last_error = ?2,
                 state = CASE WHEN ?3 IS NULL THEN 'abandoned' ELSE 'pending' END,
                 next_attempt_at = COALESCE(?3, next_attempt_at),
                 finished_at = CASE WHEN ?3 IS NULL THEN ?4 END
               WHERE id = ?1`,
            )
            .bind(o.id, o.error, o.retryAt, now),
    ),
  );
}

/** When the workspace's next pending delivery falls due; null when none is pending. */
export async function nextWebhookAt(db: D1Database, workspaceId: string): Promise<number | null> {
  const row = await db
    .prepare("SELECT MIN(next_attempt_at) AS at FROM alert_webhooks WHERE workspace_id = ?1 AND state = 'pending'")
    .bind(workspaceId)
    .first<{ at: number | null }>();
  return row!.at;
}

/**
 * SQL for the hourly job's share of alert upkeep: history older than its
 * keep, and webhook deliveries that ended a while ago, deleted in chunks.
 * A history entry whose webhook is still pending stays until it is not.
 */

const OLD_WEBHOOKS = "SELECT id FROM alert_webhooks WHERE state != 'pending' AND finished_at < ?1 LIMIT ?2";
const OLD_HISTORY = `SELECT id FROM alert_history WHERE at < ?1
  AND id NOT IN (SELECT history_id FROM alert_webhooks WHERE state = 'pending') LIMIT ?2`;

/**
 * Deletes up to `limit` finished webhook rows that ended before
 * `webhooksBefore` and up to `limit` history entries from before
 * `historyBefore`, across workspaces; returns how many rows went.
 */
export async function deleteOldAlertRows(db: D1Database, historyBefore: number, webhooksBefore: number, limit: number): Promise<number> {
  const [webhooks, history] = await db.batch([
    db.prepare(`DELETE FROM alert_webhooks WHERE id IN (${OLD_WEBHOOKS})`).bind(webhooksBefore, limit),
    db.prepare(`DELETE FROM alert_history WHERE id IN (${OLD_HISTORY})`).bind(historyBefore, limit),
  ]);
  return webhooks!.meta.changes + history!.meta.changes;
}

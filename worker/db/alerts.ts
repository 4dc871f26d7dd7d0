/**
 * SQL for alert state and history: a workspace's rules and stored states
 * (read together, for one evaluation), the write of an evaluation's outcome
 * in one transaction (states, history, webhook outbox), and history pages.
 */
import { validateAlertRules, type AlertRule, type AlertState, type AlertTransition } from "../../shared/alerts.ts";
import type { AlertHistoryEntry } from "../../shared/wire.ts";

interface StateRow extends AlertState {
  position: number;
}

const RULES_SQL = "SELECT value FROM workspace_config WHERE workspace_id = ?1 AND key = 'alert_rules' AND value IS NOT NULL";
const STATES_SQL = `SELECT rule_id, name, status, since, evaluated_at, value, threshold, severity, detail
  FROM alert_states WHERE workspace_id = ?1 ORDER BY position`;
const HISTORY_COLUMNS = "id, rule_id, name, kind, at, value, threshold, severity, detail";

/** A workspace's alert rules as stored in its config and the states its last evaluation left. */
export interface AlertSetup {
  rules: AlertRule[];
  states: AlertState[];
}

function parseRules(value: string | undefined): AlertRule[] {
  if (value === undefined) return [];
  const parsed = validateAlertRules(JSON.parse(value));
  // rules were validated when written; if a later schema rejects them, keep the
  // stored states as they are rather than resolve every alert as "removed"
  if (!parsed.ok) throw new Error(`stored alert_rules no longer fit the schema: ${parsed.issues[0]?.message ?? "invalid"}`);
  return parsed.value;
}

/** The rules and the stored states, read in one round trip. */
export async function readAlertSetup(db: D1Database, workspaceId: string): Promise<AlertSetup> {
  const [rules, states] = await db.batch<{ value: string } | AlertState>([db.prepare(RULES_SQL).bind(workspaceId), db.prepare(STATES_SQL).bind(workspaceId)]);
  return { rules: parseRules((rules!.results[0] as { value: string } | undefined)?.value), states: states!.results as AlertState[] };
}

/**
 * Whether the workspace has anything to evaluate: an enabled rule, or a
 * firing alert (which must resolve if its rule went away). One read; the
 * ingest path's only cost for workspaces without rules.
 */
export async function hasAlertWork(db: D1Database, workspaceId: string): Promise<boolean> {
  const row = await db
    .prepare(`SELECT (${RULES_SQL}) AS rules, EXISTS (SELECT 1 FROM alert_states WHERE workspace_id = ?1 AND status = 'firing') AS firing`)
    .bind(workspaceId)
    .first<{ rules: string | null; firing: number }>();
  if (row!.firing === 1) return true;
  return row!.rules !== null && parseRules(row!.rules).some((r) => r.enabled);
}

/** One transition to store, and the webhook to post it to, if its rule names one. */
export interface TransitionWrite {
  transition: AlertTransition;
  webhookUrl: string | undefined;
}

/**
 * Replaces the workspace's states and appends its transitions to the
 * history, each with its webhook delivery queued, all in one transaction:
 * a transition is never stored without its state, nor its webhook lost.
 * Returns the stored history entries in id order.
 */
export async function storeEvaluation(db: D1Database, workspaceId: string, states: AlertState[], writes: TransitionWrite[], now: number): Promise<AlertHistoryEntry[]> {
  const rows = states.map((s, position) => ({ ...s, position }));
  const statements = [
    db.prepare("DELETE FROM alert_states WHERE workspace_id = ?1").bind(workspaceId),
    db
      .prepare(
        `INSERT INTO alert_states (workspace_id, rule_id, position, name, status, since, evaluated_at, value, threshold, severity, detail)
         SELECT ?1, s.value ->> 'rule_id', s.value ->> 'position', s.value ->> 'name', s.value ->> 'status', s.value ->> 'since',
                s.value ->> 'evaluated_at', s.value ->> 'value', s.value ->> 'threshold', s.value ->> 'severity', s.value ->> 'detail'
           FROM json_each(?2) AS s`,
      )
      .bind(workspaceId, JSON.stringify(rows satisfies StateRow[])),
  ];
  const firstHistory = statements.length;
  for (const { transition: t, webhookUrl } of writes) {
    statements.push(
      db
        .prepare(
          `INSERT INTO alert_history (workspace_id, rule_id, name, kind, at, value, threshold, severity, detail)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING ${HISTORY_COLUMNS}`,
        )
        .bind(workspaceId, t.rule_id, t.name, t.kind, t.at, t.value, t.threshold, t.severity, t.detail),
    );
    if (webhookUrl === undefined) continue;
    // inside this transaction the workspace's highest history id is the row just inserted
    statements.push(
      db
        .prepare(
          `INSERT INTO alert_webhooks (workspace_id, history_id, url, next_attempt_at, created_at)
           SELECT ?1, MAX(id), ?2, ?3, ?3 FROM alert_history WHERE workspace_id = ?1`,
        )
        .bind(workspaceId, webhookUrl, now),
    );
  }
  const results = await db.batch<AlertHistoryEntry>(statements);
  const entries = results.slice(firstHistory).flatMap((r) => r.results);
  return entries.sort((a, b) => a.id - b.id);
}

/** The stored states, in the order of the rules. */
export async function readAlertStates(db: D1Database, workspaceId: string): Promise<AlertState[]> {
  const { results } = await db.prepare(STATES_SQL).bind(workspaceId).all<AlertState>();
  return results;
}

/** Up to `limit` history entries with id below `before` (all when null), newest first. */
export async function alertHistoryPage(db: D1Database, workspaceId: string, before: number | null, limit: number): Promise<AlertHistoryEntry[]> {
  const { results } = await db
    .prepare(`SELECT ${HISTORY_COLUMNS} FROM alert_history WHERE workspace_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3`)
    .bind(workspaceId, before ?? Number.MAX_SAFE_INTEGER, limit)
    .all<AlertHistoryEntry>();
  return results;
}

/**
 * Workspaces whose alert timer seems lost: a firing alert not evaluated
 * since `staleBefore` (while one fires, its hub looks at least every 15
 * minutes), or a webhook delivery due since `overdueBefore`.
 */
export async function workspacesWithLostAlertTimers(db: D1Database, staleBefore: number, overdueBefore: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT workspace_id FROM alert_states WHERE status = 'firing' AND evaluated_at < ?1
       UNION
       SELECT workspace_id FROM alert_webhooks WHERE state = 'pending' AND next_attempt_at < ?2
       ORDER BY workspace_id LIMIT ?3`,
    )
    .bind(staleBefore, overdueBefore, limit)
    .all<{ workspace_id: string }>();
  return results.map((r) => r.workspace_id);
}

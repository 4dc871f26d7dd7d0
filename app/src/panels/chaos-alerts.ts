/**
 * The alert rules table's rows: each rule with where it stands at the edge
 * (the states of `GET …/alerts`, which are what "active alerts" means and
 * what webhooks were sent for) and locally (evaluated in the aggregation
 * worker over the events this browser holds). Pure.
 */
import type { AlertRule } from "../../../shared/alerts/rule.ts";
import type { AlertState } from "../../../shared/alerts/state.ts";
import type { AlertHistoryEntry } from "../../../shared/wire.ts";
import type { ExportTable } from "./export-table.ts";

export type ShownState = "firing" | "ok" | "disabled" | "unknown";

export interface RuleRow {
  rule: AlertRule;
  edge: AlertState | undefined;
  local: AlertState | undefined;
  /**
   * What the row is marked as: the edge's state when the edge has evaluated
   * the rule, else the local one; "disabled" for disabled rules (neither
   * evaluates them); "unknown" before any evaluation.
   */
  state: ShownState;
}

export function ruleRows(rules: readonly AlertRule[], local: readonly AlertState[] | undefined, edge: readonly AlertState[] | undefined): RuleRow[] {
  const byId = (states: readonly AlertState[] | undefined) => new Map((states ?? []).map((s) => [s.rule_id, s]));
  const locals = byId(local);
  const edges = byId(edge);
  return rules.map((rule) => {
    const e = edges.get(rule.id);
    const l = locals.get(rule.id);
    const state: ShownState = !rule.enabled ? "disabled" : (e ?? l)?.status ?? "unknown";
    return { rule, edge: rule.enabled ? e : undefined, local: rule.enabled ? l : undefined, state };
  });
}

/** Edge states that are firing, most severe first, then the longest firing. */
export function activeAlerts(states: readonly AlertState[] | undefined): AlertState[] {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return (states ?? []).filter((s) => s.status === "firing").sort((a, b) => rank[a.severity] - rank[b.severity] || a.since - b.since);
}

/**
 * The newest page of history with older pages loaded before it, newest
 * first, each entry once: alerts that fired since the older pages were
 * loaded push the newest page's boundary down, so pages can overlap.
 */
export function mergeHistory(newest: readonly AlertHistoryEntry[], older: readonly AlertHistoryEntry[]): AlertHistoryEntry[] {
  const byId = new Map<number, AlertHistoryEntry>();
  for (const h of [...newest, ...older]) if (!byId.has(h.id)) byId.set(h.id, h);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

export function rulesTable(rows: RuleRow[]): ExportTable {
  return {
    header: ["id", "name", "type", "threshold", "window_minutes", "severity", "webhook", "enabled", "state", "edge_status", "edge_value", "local_status", "local_value"],
    rows: rows.map((r) => [
      r.rule.id,
      r.rule.name,
      r.rule.type,
      r.rule.threshold,
      r.rule.window_minutes,
      r.rule.severity,
      r.rule.webhook_url === undefined ? "no" : "yes",
      r.rule.enabled ? "yes" : "no",
      r.state,
      r.edge?.status ?? null,
      r.edge?.value ?? null,
      r.local?.status ?? null,
      r.local?.value ?? null,
    ]),
  };
}

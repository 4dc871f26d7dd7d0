/**
 * The alert rules with where each stands: type, threshold, window, severity,
 * webhook (yes/no only: the URL may hold a secret), enabled, and the state.
 * Each rule's name is marked `data-testid="alert-<rule id>"` with
 * `data-state` firing|ok|disabled|unknown (and a dot in the state's colour),
 * its state badge `alert-state-<rule id>`, so tests and people see a firing
 * alert at a glance. Names and details are user text: rendered as text,
 * never HTML.
 */
import type { JSX } from "solid-js";
import type { RuleRow } from "../panels/chaos-alerts.ts";
import { thresholdText, TYPE_LABELS } from "../views/chaos-rules-form.ts";
import { formatAgo } from "./format.ts";
import { Table, type Column } from "./table.tsx";

export interface AlertRulesTableProps {
  rows: RuleRow[];
  now: number;
  testId: string;
}

const STATE_ORDER = { firing: 0, unknown: 1, ok: 2, disabled: 3 } as const;
const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

function StateBadge(props: { row: RuleRow; now: number }): JSX.Element {
  const source = () => (props.row.edge ? props.row.edge : props.row.local);
  const where = () => (props.row.edge ? "at the edge" : props.row.local ? "here" : "");
  return (
    <span class={`alert-state state-${props.row.state}`} data-testid={`alert-state-${props.row.rule.id}`} title={source()?.detail ?? ""}>
      {props.row.state}
      {source() ? ` ${where()} since ${formatAgo(source()!.since, props.now)}` : ""}
    </span>
  );
}

export function AlertRulesTable(props: AlertRulesTableProps): JSX.Element {
  const columns = (): Column<RuleRow>[] => [
    {
      key: "name",
      label: "Rule",
      value: (r) => r.rule.name,
      render: (r) => (
        <span
          class={`alert-rule rule-${r.state}`}
          data-testid={`alert-${r.rule.id}`}
          data-state={r.state}
          data-local-state={r.local?.status ?? ""}
          data-edge-state={r.edge?.status ?? ""}
        >
          <span class="rule-name">{r.rule.name}</span>
        </span>
      ),
    },
    { key: "type", label: "Type", value: (r) => TYPE_LABELS[r.rule.type] },
    { key: "threshold", label: "Threshold", value: (r) => r.rule.threshold, render: (r) => thresholdText(r.rule), numeric: true },
    { key: "window", label: "Window", value: (r) => r.rule.window_minutes, render: (r) => `${r.rule.window_minutes} min`, numeric: true },
    { key: "severity", label: "Severity", value: (r) => SEVERITY_ORDER[r.rule.severity], render: (r) => <span class={`severity severity-${r.rule.severity}`}>{r.rule.severity}</span> },
    { key: "webhook", label: "Webhook", value: (r) => (r.rule.webhook_url ? "yes" : "no") },
    { key: "enabled", label: "Enabled", value: (r) => (r.rule.enabled ? "yes" : "no") },
    {
      key: "state",
      label: "State",
      value: (r) => STATE_ORDER[r.state],
      render: (r) => <StateBadge row={r} now={props.now} />,
      title: "At the edge when it has evaluated the rule, else as evaluated here over the events this browser holds",
    },
    {
      key: "local",
      label: "Here",
      value: (r) => r.local?.detail ?? "",
      render: (r) => <span class="rule-detail">{r.local?.detail ?? (r.rule.enabled ? "…" : "not evaluated")}</span>,
      title: "The rule evaluated now in this browser",
    },
  ];
  return (
    <div class="alert-rules">
      <Table testId={props.testId} caption="Alert rules" columns={columns()} rows={props.rows} sort={{ key: "state", dir: "asc" }} />
    </div>
  );
}

/**
 * The edge's alerts: those active now (firing), and the history of alerts
 * starting and ending, newest first, as a sortable table. Rule names and
 * details are user text, rendered as text.
 */
import { For, Show, type JSX } from "solid-js";
import type { AlertState } from "../../../shared/alerts/state.ts";
import type { AlertHistoryEntry } from "../../../shared/wire.ts";
import { formatAgo, formatDateTime } from "./format.ts";
import { Table, type Column } from "./table.tsx";

export function ActiveAlerts(props: { states: AlertState[]; now: number; testId: string }): JSX.Element {
  return (
    <Show when={props.states.length > 0} fallback={<p class="alert-none" data-testid={`${props.testId}-none`}>No alert is active.</p>}>
      <ul class="active-alerts" data-testid={props.testId}>
        <For each={props.states}>
          {(s) => (
            <li class={`active-alert severity-${s.severity}`} data-testid={`active-alert-${s.rule_id}`}>
              <span class="active-alert-name">{s.name}</span>
              <span class="active-alert-meta">
                {s.severity} · firing since {formatAgo(s.since, props.now)} ({formatDateTime(s.since)})
              </span>
              <span class="rule-detail">{s.detail}</span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

const COLUMNS: Column<AlertHistoryEntry>[] = [
  { key: "at", label: "When", value: (h) => h.at, render: (h) => formatDateTime(h.at), numeric: true },
  { key: "name", label: "Rule", value: (h) => h.name, render: (h) => <span class="rule-name">{h.name}</span> },
  {
    key: "kind",
    label: "Event",
    value: (h) => h.kind,
    render: (h) => (
      <span class={`alert-state state-${h.kind === "firing" ? "firing" : "ok"}`} data-testid={`alert-history-${h.id}`} data-kind={h.kind}>
        {h.kind}
      </span>
    ),
  },
  { key: "severity", label: "Severity", value: (h) => h.severity },
  { key: "detail", label: "Detail", value: (h) => h.detail, render: (h) => <span class="rule-detail">{h.detail}</span> },
];

export function AlertHistory(props: { history: AlertHistoryEntry[]; testId: string }): JSX.Element {
  return (
    <Show when={props.history.length > 0} fallback={<p class="alert-none">No alert has fired yet.</p>}>
      <div class="alert-history">
        <Table testId={props.testId} caption="Alert history" columns={COLUMNS} rows={props.history} sort={{ key: "at", dir: "desc" }} />
      </div>
    </Show>
  );
}

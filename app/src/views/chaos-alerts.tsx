/**
 * The alerts half of Chaos & alerts (DESIGN.md, Views 6): the rules with
 * where each stands (at the edge, and evaluated here in the aggregation
 * worker on every data change), active alerts and their history from the
 * edge (the last copy when offline, said so), and editing the rules for
 * admins. Renders only; the data comes from chaos-alerts-data.ts.
 */
import { createMemo, Show, type JSX } from "solid-js";
import { ActiveAlerts, AlertHistory } from "../components/alert-history.tsx";
import { AlertRulesTable } from "../components/alert-rules-table.tsx";
import { formatAgo } from "../components/format.ts";
import { Panel, type PanelState } from "../components/panel.tsx";
import { RuleEditor } from "../components/rule-editor.tsx";
import { activeAlerts, ruleRows, rulesTable } from "../panels/chaos-alerts.ts";
import { alertHistoryTable, alertStatesTable } from "../panels/chaos-tables.ts";
import { createAlertHistory, createEdgeAlerts, createLocalAlerts, createRules, type EdgeCopy } from "./chaos-alerts-data.ts";
import { useServices } from "./services.tsx";
import type { ViewProps } from "./view-context.ts";

/** "Offline: showing the copy from 5 minutes ago", or why there is nothing. */
function Freshness<T>(props: { source: EdgeCopy<T>; now: number; what: string; testId: string }): JSX.Element {
  return (
    <>
      <Show when={props.source.offline()}>
        <p class="notice" role="status" data-testid={`${props.testId}-offline`}>
          {props.source.copy()
            ? `Offline: showing the ${props.what} as fetched ${formatAgo(props.source.copy()!.fetchedAt, props.now)}.`
            : `Offline: the ${props.what} have not been fetched yet.`}
        </p>
      </Show>
      <Show when={props.source.error()}>
        <p class="notice notice-bad" role="alert" data-testid={`${props.testId}-error`}>
          Could not fetch the {props.what}: {props.source.error()}{" "}
          <button type="button" class="button button-small" onClick={() => props.source.refetch()}>
            Retry
          </button>
        </p>
      </Show>
    </>
  );
}

export function ChaosAlerts(props: ViewProps): JSX.Element {
  const services = useServices();
  // the page keys views by workspace, so the workspace is fixed for this view's life
  const workspace = props.workspace;
  const rules = createRules(workspace, props.session);
  const alerts = createEdgeAlerts(workspace, props.session);
  const history = createAlertHistory(workspace, alerts);
  const local = createLocalAlerts(
    services,
    props.session,
    () => rules.copy()?.value.rules,
    () => alerts.copy()?.value.states,
  );
  const rows = createMemo(() => ruleRows(rules.copy()?.value.rules ?? [], local.states(), alerts.copy()?.value.states));
  const active = createMemo(() => activeAlerts(alerts.copy()?.value.states));
  const now = () => props.session.now();

  const rulesState = (): PanelState => {
    if (rules.copy() === null) return rules.error() ? "error" : rules.offline() ? "empty" : "loading";
    return rows().length === 0 ? "empty" : "ready";
  };
  const alertsState = (): PanelState => (alerts.copy() !== null ? "ready" : alerts.error() ? "error" : alerts.offline() ? "empty" : "loading");

  return (
    <div class="panels">
      <Panel
        title="Alert rules"
        description="Each rule's state at the edge, or as evaluated here over the events this browser holds"
        state={rulesState()}
        error={rules.error()}
        empty={rules.copy() === null ? "Offline, and the rules were never fetched in this browser." : "No alert rules yet. Admins can add them with Edit rules."}
        testId="panel-alert-rules"
        workspace={props.workspace.name}
        table={() => rulesTable(rows())}
        wide
      >
        <AlertRulesTable rows={rows()} now={now()} testId="table-alert-rules" />
      </Panel>
      <div class="panel-wide alert-rules-extra">
        <Freshness source={rules} now={now()} what="alert rules" testId="rules" />
        <Show when={local.error()}>
          <p class="notice notice-bad" role="alert">
            Could not evaluate the rules here: {local.error()}
          </p>
        </Show>
        <RuleEditor workspace={workspace} stored={rules.copy()?.value ?? null} onSaved={(stored) => rules.replace(stored)} onReload={() => rules.refetch()} />
      </div>
      <Panel
        title="Active alerts"
        description="Alerts firing at the edge now; updated as they fire and resolve"
        state={alertsState()}
        error={alerts.error()}
        empty="Offline, and the alerts were never fetched in this browser."
        testId="panel-active-alerts"
        workspace={props.workspace.name}
        table={() => alertStatesTable(active())}
      >
        <Freshness source={alerts} now={now()} what="alerts" testId="alerts" />
        <ActiveAlerts states={active()} now={now()} testId="active-alerts" />
      </Panel>
      <Panel
        title="Alert history"
        description="Alerts starting and ending, newest first"
        state={alertsState()}
        error={alerts.error()}
        empty="Offline, and the alert history was never fetched in this browser."
        testId="panel-alert-history"
        workspace={props.workspace.name}
        table={() => alertHistoryTable(history.entries())}
      >
        <AlertHistory history={history.entries()} testId="table-alert-history" />
        <Show when={history.more()}>
          <button type="button" class="button button-small" disabled={history.loading()} onClick={() => history.loadOlder()} data-testid="alert-history-older">
            {history.loading() ? "Loading…" : "Show older alerts"}
          </button>
        </Show>
        <Show when={history.error()}>
          <p class="notice notice-bad" role="alert">
            {history.error()}
          </p>
        </Show>
      </Panel>
    </div>
  );
}

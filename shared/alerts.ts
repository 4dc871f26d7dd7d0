/**
 * Alert rules (DESIGN.md, Views 6): six rule types over the workspace's
 * events, each with a threshold and a window, evaluated by the query engine;
 * and the alert states and transitions that make up active alerts and their
 * history. Pure: the caller passes `now` and the previous states, and does
 * the storing and the webhook posting. docs/alerts.md explains the rules to
 * users.
 *
 * - alerts/rule.ts: the rule schema and validators
 * - alerts/evaluate.ts: one rule's queries and value
 * - alerts/state.ts: firing and resolving, with hysteresis
 */
export {
  ALERT_RULE_TYPES,
  ALERT_SEVERITIES,
  MAX_WINDOW_MINUTES,
  alertRule,
  alertRules,
  queryFilter,
  validateAlertRule,
  validateAlertRules,
  webhookUrl,
  type AlertRule,
  type AlertRuleInput,
  type AlertRuleType,
  type AlertSeverity,
} from "./alerts/rule.ts";
export { evaluateRule, pastThreshold, ruleWindow, type RuleEvaluation } from "./alerts/evaluate.ts";
export { RESOLVE_BAND, clearedThreshold, evaluateRules, type AlertEvaluation, type AlertState, type AlertTransition } from "./alerts/state.ts";

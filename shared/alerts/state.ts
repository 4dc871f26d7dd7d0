/**
 * Alert state over time: which rules are firing, and the transitions
 * (fired, resolved) between one evaluation and the next. States and
 * transitions are plain JSON-safe data: the edge stores them as history and
 * sends them to browsers as they are.
 *
 * Hysteresis: an alert fires as soon as its value is past the threshold, but
 * resolves only once the value is clearly back, at or below
 * threshold × (1 − {@link RESOLVE_BAND}) (at or above threshold × (1 + band)
 * for `direction: "below"`). A value hovering around the threshold therefore
 * fires once and stays firing instead of flapping. A window without data
 * (no requests to measure a latency or a share over) neither fires nor
 * resolves: the alert keeps its state until there is data again.
 */
import type { ColumnBlock, Dictionary } from "../columns.ts";
import { evaluateAll, type RuleEvaluation } from "./evaluate.ts";
import type { AlertRule, AlertSeverity } from "./rule.ts";

/** How far back past the threshold a value must go for a firing alert to resolve: 10% of the threshold. */
export const RESOLVE_BAND = 0.1;

/** Where one rule stands after an evaluation. */
export interface AlertState {
  rule_id: string;
  /** The rule's name when last evaluated. */
  name: string;
  /** `firing` while the alert is active. */
  status: "firing" | "ok";
  /** When the current status began, epoch ms: when the alert fired, or resolved, or was first evaluated. */
  since: number;
  /** When the rule was last evaluated, epoch ms. */
  evaluated_at: number;
  /** The last evaluated value; null when the window had no data. */
  value: number | null;
  threshold: number;
  severity: AlertSeverity;
  /** The last evaluation's one-line description. */
  detail: string;
}

/** An alert starting or ending: one entry of alert history, and what a webhook is sent. */
export interface AlertTransition {
  rule_id: string;
  /** The rule's name at the time, so history reads well after a rule is renamed or removed. */
  name: string;
  kind: "firing" | "resolved";
  /** Epoch ms: the `now` of the evaluation that saw it. */
  at: number;
  /** The value that crossed; null when the alert ended because its rule was disabled or removed. */
  value: number | null;
  threshold: number;
  severity: AlertSeverity;
  detail: string;
}

/** The outcome of {@link evaluateRules}. */
export interface AlertEvaluation {
  /** One state per enabled rule, in the order of the rules. */
  states: AlertState[];
  /** What changed since `previous`, in the order of the rules, then removed rules. */
  transitions: AlertTransition[];
}

/** Whether a firing rule's value is back far enough to resolve; see {@link RESOLVE_BAND}. */
export function clearedThreshold(rule: AlertRule, value: number | null): boolean {
  if (value === null) return false;
  // a hair of slack, so that 1.8 counts as "at" 2 × 0.9 whatever the rounding
  if (rule.type === "event_rate" && rule.direction === "below") {
    const level = rule.threshold * (1 + RESOLVE_BAND);
    return value >= level - level * 1e-9;
  }
  const level = rule.threshold * (1 - RESOLVE_BAND);
  return value <= level + level * 1e-9;
}

/**
 * Evaluates every enabled rule at `now` (one engine pass for all of them) and
 * moves each from its `previous` state: an `ok` rule past its threshold
 * fires; a firing rule resolves once {@link clearedThreshold}. Rules are
 * matched to previous states by id, which must be unique. A firing alert
 * whose rule is now disabled or gone resolves with value null.
 */
export function evaluateRules(
  rules: readonly AlertRule[],
  blocks: readonly ColumnBlock[],
  dict: Dictionary,
  now: number,
  previous: readonly AlertState[],
): AlertEvaluation {
  const before = new Map(previous.map((s) => [s.rule_id, s]));
  const enabled = rules.filter((r) => r.enabled);
  const evaluations = evaluateAll(enabled, blocks, dict, now);
  const states: AlertState[] = [];
  const transitions: AlertTransition[] = [];
  const transition = (rule: AlertRule, kind: AlertTransition["kind"], value: number | null, detail: string): void => {
    transitions.push({ rule_id: rule.id, name: rule.name, kind, at: now, value, threshold: rule.threshold, severity: rule.severity, detail });
  };

  enabled.forEach((rule, i) => {
    const next = step(rule, before.get(rule.id), evaluations[i]!, now);
    if (next.kind !== null) transition(rule, next.kind, evaluations[i]!.value, evaluations[i]!.detail);
    states.push(next.state);
  });

  const live = new Set(enabled.map((r) => r.id));
  const named = new Map(rules.map((r) => [r.id, r]));
  for (const s of previous) {
    if (live.has(s.rule_id) || s.status !== "firing") continue;
    const detail = named.has(s.rule_id) ? "rule disabled" : "rule removed";
    transitions.push({ rule_id: s.rule_id, name: named.get(s.rule_id)?.name ?? s.name, kind: "resolved", at: now, value: null, threshold: s.threshold, severity: s.severity, detail });
  }
  return { states, transitions };
}

/** One rule's next state, and the transition it makes, if any. */
function step(rule: AlertRule, prev: AlertState | undefined, e: RuleEvaluation, now: number): { state: AlertState; kind: AlertTransition["kind"] | null } {
  const wasFiring = prev?.status === "firing";
  let kind: AlertTransition["kind"] | null = null;
  if (!wasFiring && e.firing) kind = "firing";
  else if (wasFiring && clearedThreshold(rule, e.value)) kind = "resolved";
  const status = kind === "firing" || (wasFiring && kind === null) ? "firing" : "ok";
  const since = kind !== null || prev === undefined ? now : prev.since;
  return {
    state: { rule_id: rule.id, name: rule.name, status, since, evaluated_at: now, value: e.value, threshold: rule.threshold, severity: rule.severity, detail: e.detail },
    kind,
  };
}

/**
 * The rules form's model, apart from its markup so it is tested in Node: a
 * rule as the form edits it (every input as text), back to a rule input, and
 * validation with the shared schema (shared/alerts/rule.ts), whose issues
 * and the edge's 400 issues both land on the field they name.
 */
import { validateAlertRules, type AlertRule, type AlertRuleType, type AlertSeverity } from "../../../shared/alerts/rule.ts";
import type { EventType } from "../../../shared/event.ts";

/** One rule in the form: numbers as typed, optional fields as "" when unset. */
export interface RuleDraft {
  /** Stable across edits in this form, so a renamed id keeps its row. */
  key: number;
  id: string;
  name: string;
  type: AlertRuleType;
  severity: AlertSeverity;
  threshold: string;
  window_minutes: string;
  enabled: boolean;
  webhook_url: string;
  /** The rule's filters as JSON text ("" for none); see docs/alerts.md. */
  filters: string;
  event_type: EventType;
  direction: "above" | "below";
  percentile: "p50" | "p95" | "p99";
  endpoint: string;
  method: string;
  baseline_minutes: string;
}

/** A form field a message can be shown next to. */
export type DraftField = Exclude<keyof RuleDraft, "key">;

/** The fields each type adds to the common ones. */
export const TYPE_FIELDS: Record<AlertRuleType, DraftField[]> = {
  event_rate: ["event_type", "direction"],
  latency: ["percentile"],
  fault_rate: [],
  rate_limit: [],
  endpoint: ["endpoint", "method"],
  impact: ["baseline_minutes"],
};

/** What each type's threshold is in, for the threshold field's label. */
export const THRESHOLD_UNITS: Record<AlertRuleType, string> = {
  event_rate: "events per minute",
  latency: "ms",
  fault_rate: "faults per request, 0 to 1",
  rate_limit: "share answered 429, 0 to 1",
  endpoint: "share with status ≥ 500, 0 to 1",
  impact: "score, 0 to 100",
};

export const TYPE_LABELS: Record<AlertRuleType, string> = {
  event_rate: "Event rate",
  latency: "Latency",
  fault_rate: "Fault rate",
  rate_limit: "Rate limit",
  endpoint: "Endpoint errors",
  impact: "Impact score",
};

let nextKey = 1;

const text = (v: number | undefined): string => (v === undefined ? "" : String(v));

/** A stored rule as the form shows it. */
export function draftFromRule(rule: AlertRule): RuleDraft {
  return {
    key: nextKey++,
    id: rule.id,
    name: rule.name,
    type: rule.type,
    severity: rule.severity,
    threshold: String(rule.threshold),
    window_minutes: String(rule.window_minutes),
    enabled: rule.enabled,
    webhook_url: rule.webhook_url ?? "",
    filters: rule.filters && rule.filters.length > 0 ? JSON.stringify(rule.filters) : "",
    event_type: rule.type === "event_rate" ? rule.event_type : "request",
    direction: rule.type === "event_rate" ? rule.direction : "above",
    percentile: rule.type === "latency" ? rule.percentile : "p95",
    endpoint: rule.type === "endpoint" ? rule.endpoint : "",
    method: rule.type === "endpoint" ? (rule.method ?? "") : "",
    baseline_minutes: rule.type === "impact" ? text(rule.baseline_minutes) : "1440",
  };
}

/** A new rule of `type` with an id not in `taken`, e.g. "latency-2". */
export function newDraft(type: AlertRuleType, taken: Iterable<string>): RuleDraft {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${type.replace(/_/g, "-")}-${n}`)) n++;
  const threshold: Record<AlertRuleType, string> = { event_rate: "100", latency: "500", fault_rate: "0.2", rate_limit: "0.05", endpoint: "0.05", impact: "50" };
  return {
    key: nextKey++,
    id: `${type.replace(/_/g, "-")}-${n}`,
    name: "",
    type,
    severity: "warning",
    threshold: threshold[type],
    window_minutes: "5",
    enabled: true,
    webhook_url: "",
    filters: "",
    event_type: "request",
    direction: "above",
    percentile: "p95",
    endpoint: "",
    method: "",
    baseline_minutes: "1440",
  };
}

/** Text as a number for the schema: "" stays absent (→ "required"), anything else not numeric stays text (→ "must be a number"). */
function num(v: string): number | string | undefined {
  const t = v.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isNaN(n) ? t : n;
}

/** Filters text as the schema sees it: JSON when it parses, else the text itself, which the schema rejects. */
function filtersValue(v: string): unknown {
  if (v.trim() === "") return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** The rule input a draft stands for: only its type's fields, empty optional ones left out. */
export function draftToInput(d: RuleDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: d.id.trim(),
    name: d.name,
    type: d.type,
    severity: d.severity,
    threshold: num(d.threshold),
    window_minutes: num(d.window_minutes),
    enabled: d.enabled,
  };
  if (d.webhook_url.trim() !== "") out["webhook_url"] = d.webhook_url.trim();
  const filters = filtersValue(d.filters);
  if (filters !== undefined) out["filters"] = filters;
  if (d.type === "event_rate") Object.assign(out, { event_type: d.event_type, direction: d.direction });
  if (d.type === "latency") out["percentile"] = d.percentile;
  if (d.type === "endpoint") {
    out["endpoint"] = d.endpoint;
    if (d.method.trim() !== "") out["method"] = d.method.trim();
  }
  if (d.type === "impact") out["baseline_minutes"] = num(d.baseline_minutes);
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Messages by draft key, then by field ("" for the rule as a whole or the list). */
export type FieldErrors = Map<number, Map<DraftField | "", string>>;

/** A validator's or the edge's issue path, e.g. `[2].threshold` or `set.alert_rules[2].filters[0].dim`, as rule index and form field. */
export function issueTarget(path: string): { index: number | null; field: DraftField | "" } {
  const m = /^(?:set\.alert_rules)?\[(\d+)\](?:\.([A-Za-z_]+))?/.exec(path);
  if (!m) return { index: null, field: "" };
  const field = (m[2] ?? "") as DraftField | "";
  const known: readonly string[] = ["id", "name", "type", "severity", "threshold", "window_minutes", "enabled", "webhook_url", "filters", "event_type", "direction", "percentile", "endpoint", "method", "baseline_minutes"];
  return { index: Number(m[1]), field: known.includes(field) ? field : "" };
}

/**
 * Places issues on their drafts' fields, the first message per field (the
 * schema reports the most basic problem first). Issues about the list, or a
 * rule the form does not have, go under key -1, all of them, with their path.
 */
export function errorsByField(drafts: readonly RuleDraft[], issues: ReadonlyArray<{ path: string; message: string }>): FieldErrors {
  const errors: FieldErrors = new Map();
  const at = (key: number) => {
    let fields = errors.get(key);
    if (!fields) errors.set(key, (fields = new Map()));
    return fields;
  };
  for (const issue of issues) {
    const { index, field } = issueTarget(issue.path);
    const draft = index === null ? undefined : drafts[index];
    if (draft) {
      const fields = at(draft.key);
      if (!fields.has(field)) fields.set(field, issue.message);
    } else {
      const list = at(-1);
      const text = index === null ? issue.message : `${issue.path}: ${issue.message}`;
      list.set("", list.has("") ? `${list.get("")}; ${text}` : text);
    }
  }
  return errors;
}

/** The issues of an edge 400 (`details.issues`), or none when it carries no such list. */
export function edgeIssues(details: unknown): Array<{ path: string; message: string }> {
  const issues = (details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter((i): i is { path: string; message: string } => typeof i?.path === "string" && typeof i?.message === "string");
}

/** Validates the whole list with the shared schema: the rules to send, or messages by field. */
export function validateDrafts(drafts: readonly RuleDraft[]): { ok: true; rules: AlertRule[] } | { ok: false; errors: FieldErrors } {
  const checked = validateAlertRules(drafts.map(draftToInput));
  return checked.ok ? { ok: true, rules: checked.value } : { ok: false, errors: errorsByField(drafts, checked.issues) };
}

/** The threshold as people read it, e.g. "> 500 ms", "< 2 events per minute", "> 20%". */
export function thresholdText(rule: AlertRule): string {
  const op = rule.type === "event_rate" && rule.direction === "below" ? "<" : ">";
  switch (rule.type) {
    case "event_rate":
      return `${op} ${rule.threshold} ${rule.event_type} events/min`;
    case "latency":
      return `${rule.percentile} ${op} ${rule.threshold} ms`;
    case "impact":
      return `score ${op} ${rule.threshold}`;
    default:
      return `${op} ${Number((rule.threshold * 100).toPrecision(4))}%`;
  }
}

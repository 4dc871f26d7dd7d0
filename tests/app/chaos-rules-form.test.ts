// The rules form's model: rules to drafts and back through the shared schema,
// field messages from the schema and from the edge's 400 issues.
import { describe, expect, it } from "vitest";
import { validateAlertRules, type AlertRule, type AlertRuleInput } from "../../shared/alerts/rule.ts";
import {
  draftFromRule,
  draftToInput,
  edgeIssues,
  errorsByField,
  issueTarget,
  newDraft,
  thresholdText,
  validateDrafts,
  type RuleDraft,
} from "../../app/src/views/chaos-rules-form.ts";

function rules(input: AlertRuleInput[]): AlertRule[] {
  const checked = validateAlertRules(input);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
}

const STORED = rules([
  { id: "req-low", name: "Traffic stopped", type: "event_rate", threshold: 2, window_minutes: 10, severity: "critical", direction: "below", event_type: "request" },
  {
    id: "checkout-p95",
    name: "Checkout <b>slow</b>",
    type: "latency",
    percentile: "p99",
    threshold: 800,
    window_minutes: 5,
    severity: "warning",
    filters: [{ dim: { prop: "endpoint" }, in: ["/checkout"] }],
    webhook_url: "https://hooks.example.com/tally",
  },
  { id: "faults", name: "Too many faults", type: "fault_rate", threshold: 0.2, window_minutes: 15, severity: "info", enabled: false },
  { id: "429s", name: "Rate limited", type: "rate_limit", threshold: 0.05, window_minutes: 5, severity: "warning" },
  { id: "orders-5xx", name: "Orders failing", type: "endpoint", endpoint: "/orders", method: "POST", threshold: 0.1, window_minutes: 5, severity: "critical" },
  { id: "impact", name: "Chaos hurts", type: "impact", threshold: 50, window_minutes: 30, baseline_minutes: 120, severity: "critical" },
]);

/** Edits one field of a draft, as typing into it does. */
const edit = (d: RuleDraft, patch: Partial<RuleDraft>): RuleDraft => ({ ...d, ...patch });

describe("rule drafts", () => {
  it("turn every type of stored rule into a draft and back without change", () => {
    const drafts = STORED.map(draftFromRule);
    const back = validateDrafts(drafts);
    expect(back).toEqual({ ok: true, rules: STORED });
  });

  it("send only the fields of the draft's type, so a changed type passes the strict schema", () => {
    const latency = draftFromRule(STORED[1]!);
    const asImpact = edit(latency, { type: "impact", threshold: "40" });
    const input = draftToInput(asImpact);
    expect(input).not.toHaveProperty("percentile");
    expect(input).toMatchObject({ type: "impact", baseline_minutes: 1440 });
    expect(validateDrafts([asImpact])).toMatchObject({ ok: true, rules: [{ type: "impact", threshold: 40, baseline_minutes: 1440 }] });
    // an endpoint rule without a method leaves the method out rather than sending ""
    expect(draftToInput(edit(draftFromRule(STORED[4]!), { method: " " }))).not.toHaveProperty("method");
  });

  it("make new rules with an unused id that validate once named", () => {
    const taken = STORED.map((r) => r.id).concat(["latency-1"]);
    const d = newDraft("latency", taken);
    expect(d.id).toBe("latency-2");
    const unnamed = validateDrafts([d]);
    expect(unnamed.ok).toBe(false);
    if (!unnamed.ok) expect(unnamed.errors.get(d.key)?.get("name")).toBe("must not be empty");
    expect(validateDrafts([edit(d, { name: "Slow" })])).toMatchObject({ ok: true, rules: [{ id: "latency-2", type: "latency", threshold: 500, enabled: true }] });
  });

  it.each([
    ["an empty threshold", { threshold: "" }, "threshold", "required"],
    ["a threshold that is not a number", { threshold: "fast" }, "threshold", "must be a number"],
    ["a share above 1", { threshold: "1.5" }, "threshold", "must be a share between 0 and 1"],
    ["a fractional window", { window_minutes: "2.5" }, "window_minutes", "must be a whole number of minutes"],
    ["a plain http webhook", { webhook_url: "http://hooks.example.com" }, "webhook_url", "must use https://; http:// is allowed only for localhost"],
    ["filters that are not JSON", { filters: "[{dim" }, "filters", "must be an array of filters"],
  ] as const)("put %s on its field", (_, patch, field, message) => {
    const d = edit(draftFromRule(STORED[2]!), patch);
    const result = validateDrafts([draftFromRule(STORED[0]!), d]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect([...result.errors.keys()]).toEqual([d.key]);
      expect(result.errors.get(d.key)?.get(field)).toBe(message);
    }
  });

  it("flag a duplicate id on the second rule's id field", () => {
    const a = draftFromRule(STORED[0]!);
    const b = edit(draftFromRule(STORED[3]!), { id: "req-low" });
    const result = validateDrafts([a, b]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.get(b.key)?.get("id")).toBe('duplicate rule id "req-low"');
  });
});

describe("edge issues", () => {
  const drafts = STORED.slice(0, 3).map(draftFromRule);

  it("read the field a path names, from the validator or from the PATCH body", () => {
    expect(issueTarget("[2].threshold")).toEqual({ index: 2, field: "threshold" });
    expect(issueTarget("set.alert_rules[1].filters[0].dim")).toEqual({ index: 1, field: "filters" });
    expect(issueTarget("set.alert_rules[0]")).toEqual({ index: 0, field: "" });
    expect(issueTarget("set.alert_rules")).toEqual({ index: null, field: "" });
    expect(issueTarget("[0].unknown_field")).toEqual({ index: 0, field: "" });
  });

  it("land next to their field, the first message per field; the rest go to the list", () => {
    const details = {
      issues: [
        { path: "set.alert_rules[1].webhook_url", message: "must be an https:// URL" },
        { path: "set.alert_rules[1].webhook_url", message: "a second complaint" },
        { path: "set.alert_rules", message: "at most 100 alert rules" },
        { path: "set.alert_rules[7].name", message: "must not be empty" },
        { nonsense: true },
      ],
    };
    const issues = edgeIssues(details);
    expect(issues).toHaveLength(4);
    const errors = errorsByField(drafts, issues);
    expect(errors.get(drafts[1]!.key)).toEqual(new Map([["webhook_url", "must be an https:// URL"]]));
    // a path past the list (the edge saw other rules) still shows, with its path
    expect(errors.get(-1)).toEqual(new Map([["", "at most 100 alert rules; set.alert_rules[7].name: must not be empty"]]));
    expect(edgeIssues(null)).toEqual([]);
    expect(edgeIssues({ issues: "no" })).toEqual([]);
  });
});

describe("thresholdText", () => {
  it.each([
    [0, "< 2 request events/min"],
    [1, "p99 > 800 ms"],
    [2, "> 20%"],
    [5, "score > 50"],
  ])("rule %i reads %s", (i, text) => {
    expect(thresholdText(STORED[i]!)).toBe(text);
  });
});

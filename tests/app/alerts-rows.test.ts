// The alert rules table's rows: which state each rule is marked with, from the
// edge's evaluation or the local one, and the active alerts' order.
import { describe, expect, it } from "vitest";
import { validateAlertRules, type AlertRule } from "../../shared/alerts/rule.ts";
import type { AlertState } from "../../shared/alerts/state.ts";
import type { AlertHistoryEntry } from "../../shared/wire.ts";
import { activeAlerts, mergeHistory, ruleRows, rulesTable } from "../../app/src/panels/chaos-alerts.ts";

const checked = validateAlertRules([
  { id: "a", name: "A", type: "latency", threshold: 500, window_minutes: 5, severity: "warning", webhook_url: "https://hooks.example.com/x" },
  { id: "b", name: "B", type: "rate_limit", threshold: 0.1, window_minutes: 5, severity: "critical" },
  { id: "c", name: "C", type: "impact", threshold: 50, window_minutes: 30, severity: "info", enabled: false },
  { id: "d", name: "D", type: "fault_rate", threshold: 0.2, window_minutes: 5, severity: "info" },
]);
if (!checked.ok) throw new Error("fixture rules are invalid");
const RULES: AlertRule[] = checked.value;

const state = (rule_id: string, status: AlertState["status"], over: Partial<AlertState> = {}): AlertState => ({
  rule_id,
  name: rule_id.toUpperCase(),
  status,
  since: 0,
  evaluated_at: 0,
  value: 1,
  threshold: 1,
  severity: "info",
  detail: "",
  ...over,
});

describe("ruleRows", () => {
  it("marks each rule with the edge's state where it has one, else the local one", () => {
    const local = [state("a", "ok"), state("b", "firing"), state("c", "firing")];
    const edge = [state("a", "firing"), state("c", "firing")];
    const rows = ruleRows(RULES, local, edge);
    expect(rows.map((r) => [r.rule.id, r.state])).toEqual([
      ["a", "firing"], // the edge says firing, though not firing here yet
      ["b", "firing"], // only evaluated here
      ["c", "disabled"], // stale states of a disabled rule are not shown
      ["d", "unknown"], // not evaluated anywhere yet
    ]);
    expect(rows[0]!.local?.status).toBe("ok");
    expect(rows[2]!.edge).toBeUndefined();
  });

  it("exports webhooks as yes or no, never the URL", () => {
    const table = rulesTable(ruleRows(RULES, undefined, undefined));
    const webhook = table.header.indexOf("webhook");
    expect(table.rows.map((r) => r[webhook])).toEqual(["yes", "no", "no", "no"]);
    expect(JSON.stringify(table)).not.toContain("hooks.example.com");
  });
});

describe("activeAlerts", () => {
  it("lists firing alerts only, most severe first, then the longest firing", () => {
    const states = [
      state("a", "firing", { severity: "info", since: 1 }),
      state("b", "ok", { severity: "critical" }),
      state("c", "firing", { severity: "critical", since: 5 }),
      state("d", "firing", { severity: "critical", since: 2 }),
    ];
    expect(activeAlerts(states).map((s) => s.rule_id)).toEqual(["d", "c", "a"]);
    expect(activeAlerts(undefined)).toEqual([]);
  });
});

describe("mergeHistory", () => {
  const entry = (id: number, kind: AlertHistoryEntry["kind"] = "firing"): AlertHistoryEntry => ({ id, rule_id: "a", name: "A", kind, at: id * 1000, value: 1, threshold: 1, severity: "info", detail: "" });

  it("joins the newest page and older ones newest first, each entry once", () => {
    // older pages were loaded when 5 was the newest; 6 and 7 fired since, pushing 4 onto the newest page again
    const newest = [entry(7), entry(6, "resolved"), entry(5), entry(4)];
    const older = [entry(4), entry(3), entry(2)];
    expect(mergeHistory(newest, older).map((h) => [h.id, h.kind])).toEqual([
      [7, "firing"],
      [6, "resolved"],
      [5, "firing"],
      [4, "firing"],
      [3, "firing"],
      [2, "firing"],
    ]);
    expect(mergeHistory([], [])).toEqual([]);
  });
});

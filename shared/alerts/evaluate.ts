/**
 * Evaluating one alert rule: the engine queries it needs over its window
 * [now − window, now), and the one value it compares with its threshold.
 * Rules only build queries and read results; the engine does all scanning.
 */
import type { ColumnBlock, Dictionary } from "../columns.ts";
import { runQueries } from "../engine/index.ts";
import { baselineBefore, impactFromResults, impactQueries, type TimeWindow } from "../impact.ts";
import type { Filter, Query, QueryResult } from "../query.ts";
import type { AlertRule } from "./rule.ts";

/** One evaluation of a rule, before any hysteresis. */
export interface RuleEvaluation {
  /** What the rule measures (its unit depends on the type); null when the window holds no data to measure. */
  value: number | null;
  /** Whether `value` is past the threshold: strictly above it, or strictly below for `direction: "below"`. */
  firing: boolean;
  /** One line for people, e.g. "p95 latency 812 ms over 5 min (threshold 500 ms)". */
  detail: string;
  /** The window that was measured. */
  window: TimeWindow;
}

/** A rule's queries and how to read their results. */
interface Plan {
  queries: Query[];
  read(results: readonly QueryResult[]): { value: number | null; detail: string };
}

const STATUS = { prop: "status" } as const;
const LATENCY = { prop: "latency_ms" } as const;

/** The window a rule looks at when evaluated at `now`. */
export function ruleWindow(rule: AlertRule, now: number): TimeWindow {
  return { from: now - rule.window_minutes * 60_000, to: now };
}

/** Whether `value` is past the rule's threshold, without hysteresis. */
export function pastThreshold(rule: AlertRule, value: number | null): boolean {
  if (value === null) return false;
  return rule.type === "event_rate" && rule.direction === "below" ? value < rule.threshold : value > rule.threshold;
}

const first = (r: QueryResult | undefined, measure = 0): number => r!.measures[measure]![0]!;
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
/** Up to three significant digits, no exponent for everyday numbers. */
const num = (v: number): string => String(Number(v.toPrecision(3)));
const pct = (v: number): string => `${num(v * 100)}%`;
const shown = (v: number | null, f: (v: number) => string): string => (v === null ? "no data" : f(v));

function plan(rule: AlertRule, window: TimeWindow): Plan {
  const filters: Filter[] = [...(rule.filters ?? [])];
  const range = window;
  const over = `over ${rule.window_minutes} min`;
  switch (rule.type) {
    case "event_rate":
      return {
        queries: [{ range, types: [rule.event_type], filters, measures: [{ fn: "count" }] }],
        read: ([r]) => {
          const value = first(r) / rule.window_minutes;
          return { value, detail: `${num(value)} ${rule.event_type} events/min ${over} (${rule.direction} ${num(rule.threshold)})` };
        },
      };
    case "latency":
      return {
        queries: [{ range, types: ["request"], filters, measures: [{ fn: rule.percentile, of: LATENCY }] }],
        read: ([r]) => {
          const value = orNull(first(r));
          return { value, detail: `${rule.percentile} latency ${shown(value, (v) => `${num(v)} ms`)} ${over} (threshold ${num(rule.threshold)} ms)` };
        },
      };
    case "fault_rate":
      return {
        queries: [
          { range, types: ["chaos"], filters, measures: [{ fn: "count" }] },
          { range, types: ["request"], filters, measures: [{ fn: "count" }] },
        ],
        read: ([faults, requests]) => {
          const f = first(faults);
          const n = first(requests);
          const value = n > 0 ? f / n : null;
          return { value, detail: `${f} faults in ${n} requests (${shown(value, num)} per request) ${over} (threshold ${num(rule.threshold)})` };
        },
      };
    case "rate_limit":
      return {
        queries: [{ range, types: ["request"], filters, measures: [{ fn: "count" }, { fn: "rate", where: [{ dim: STATUS, in: [429] }] }] }],
        read: ([r]) => {
          const value = first(r) > 0 ? first(r, 1) : null;
          return { value, detail: `${shown(value, pct)} of ${first(r)} requests rate limited (429) ${over} (threshold ${pct(rule.threshold)})` };
        },
      };
    case "endpoint": {
      const only: Filter[] = [{ dim: { prop: "endpoint" }, in: [rule.endpoint] }];
      if (rule.method !== undefined) only.push({ dim: { prop: "method" }, in: [rule.method] });
      const label = rule.method === undefined ? rule.endpoint : `${rule.method} ${rule.endpoint}`;
      return {
        queries: [{ range, types: ["request"], filters: [...filters, ...only], measures: [{ fn: "count" }, { fn: "rate", where: [{ dim: STATUS, min: 500 }] }] }],
        read: ([r]) => {
          const value = first(r) > 0 ? first(r, 1) : null;
          return { value, detail: `${label}: ${shown(value, pct)} server errors in ${first(r)} requests ${over} (threshold ${pct(rule.threshold)})` };
        },
      };
    }
    case "impact":
      return {
        queries: impactQueries(window, baselineBefore(window, rule.baseline_minutes), filters),
        read: (results) => {
          const impact = impactFromResults(results);
          const c = impact.components;
          const why = `faults ${num(c.fault_rate.value)}/request, p95 +${pct(c.added_latency.value)}, errors +${pct(c.error_increase.value)}`;
          return { value: impact.score, detail: `impact ${num(impact.score)} (${impact.level}) ${over}: ${why} (threshold ${num(rule.threshold)})` };
        },
      };
  }
}

/**
 * The queries of several rules evaluated at `now`, all run by one engine pass
 * (runQueries), then read back per rule. Order follows `rules`.
 */
export function evaluateAll(rules: readonly AlertRule[], blocks: readonly ColumnBlock[], dict: Dictionary, now: number): RuleEvaluation[] {
  const windows = rules.map((rule) => ruleWindow(rule, now));
  const plans = rules.map((rule, i) => plan(rule, windows[i]!));
  const results = runQueries(blocks, dict, plans.flatMap((p) => p.queries));
  let at = 0;
  return plans.map((p, i) => {
    const own = results.slice(at, (at += p.queries.length));
    const { value, detail } = p.read(own);
    return { value, firing: pastThreshold(rules[i]!, value), detail, window: windows[i]! };
  });
}

/**
 * Evaluates one rule over its window [now − window_minutes, now). `firing`
 * says whether this evaluation alone is past the threshold; whether an alert
 * starts or ends is for `evaluateRules` (state.ts) to say, with hysteresis.
 * Disabled rules are evaluated all the same.
 */
export function evaluateRule(rule: AlertRule, blocks: readonly ColumnBlock[], dict: Dictionary, now: number): RuleEvaluation {
  return evaluateAll([rule], blocks, dict, now)[0]!;
}

/**
 * One evaluation of a workspace's alert rules at the edge: read the rules and
 * the states the last evaluation left, read the events inside the rules'
 * windows (bounded), run the pure evaluation from shared/alerts, and store
 * the new states and transitions, queuing webhooks. Sending the transitions
 * to browsers and posting webhooks is the caller's (worker/alerts/runner.ts).
 */
import { evaluateRules, type AlertRule } from "../../shared/alerts.ts";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import type { EventType } from "../../shared/event.ts";
import type { AlertHistoryEntry } from "../../shared/wire.ts";
import { eventsInWindows, type TypeWindow } from "../db/alert-events.ts";
import { readAlertSetup, storeEvaluation } from "../db/alerts.ts";

/**
 * Most events one evaluation reads, over all its windows. About 50 ms of
 * parsing and encoding in the hub; a window holding more is measured over its
 * newest events only (docs/alerts.md, Limits).
 */
export const MAX_EVALUATION_ROWS = 50_000;

/** How often time alone is evaluated, at least; see {@link tickAfter}. */
export const MIN_TICK_MS = 60_000;
export const MAX_TICK_MS = 15 * 60_000;

const MINUTE = 60_000;

/** What an evaluation stored, and whether the passing of time alone could change an alert. */
export interface EdgeEvaluation {
  /** The transitions, as stored: one history entry each, in id order. */
  entries: AlertHistoryEntry[];
  /** When to evaluate again though no event arrives; null when only new events can change anything. */
  nextTickAt: number | null;
  /** Whether a window held more than {@link MAX_EVALUATION_ROWS} events and was cut. */
  truncated: boolean;
  /** How many rules were evaluated (the enabled ones). */
  rules: number;
}

/** The event types a rule's queries read, and how far back. */
function reads(rule: AlertRule, now: number): TypeWindow[] {
  const from = now - rule.window_minutes * MINUTE;
  switch (rule.type) {
    case "event_rate":
      return [{ type: rule.event_type, from, to: now }];
    case "latency":
    case "rate_limit":
    case "endpoint":
      return [{ type: "request", from, to: now }];
    case "fault_rate":
      return [
        { type: "request", from, to: now },
        { type: "chaos", from, to: now },
      ];
    case "impact":
      // the baseline is the reference window right before the rule's own
      return [
        { type: "request", from: from - rule.baseline_minutes * MINUTE, to: now },
        { type: "chaos", from, to: now },
      ];
  }
}

/** Per event type, the widest window any rule needs. */
export function windowsFor(rules: readonly AlertRule[], now: number): TypeWindow[] {
  const widest = new Map<EventType, TypeWindow>();
  for (const w of rules.flatMap((r) => reads(r, now))) {
    const had = widest.get(w.type);
    if (!had || w.from < had.from) widest.set(w.type, w);
  }
  return [...widest.values()];
}

/**
 * When time alone must be looked at again: while an alert fires (it resolves
 * once its events leave the window), while a `below` rule exists (silence
 * fires it) and while any window still holds events (they age out). A fifth
 * of the shortest window, between one and fifteen minutes.
 */
function tickAfter(rules: readonly AlertRule[], firing: boolean, sawEvents: boolean, now: number): number | null {
  const below = rules.some((r) => r.type === "event_rate" && r.direction === "below");
  if (rules.length === 0 || !(firing || below || sawEvents)) return null;
  const shortest = Math.min(...rules.map((r) => r.window_minutes)) * MINUTE;
  return now + Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, Math.round(shortest / 5)));
}

/** Evaluates the workspace's enabled rules at `now` and stores the outcome. */
export async function evaluateWorkspace(db: D1Database, workspaceId: string, now: number, maxRows = MAX_EVALUATION_ROWS): Promise<EdgeEvaluation> {
  const { rules, states: previous } = await readAlertSetup(db, workspaceId);
  const enabled = rules.filter((r) => r.enabled);
  // nothing to evaluate, and no state left to resolve or clear: no write at all
  if (enabled.length === 0 && previous.length === 0) {
    return { entries: [], nextTickAt: null, truncated: false, rules: 0 };
  }
  const { events, truncated } = await eventsInWindows(db, workspaceId, windowsFor(enabled, now), maxRows);
  const dict = newDictionary();
  const blocks = events.length > 0 ? [encodeBlock(events, dict)] : [];
  const { states, transitions } = evaluateRules(rules, blocks, dict, now, previous);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const writes = transitions.map((transition) => ({ transition, webhookUrl: byId.get(transition.rule_id)?.webhook_url }));
  const entries = await storeEvaluation(db, workspaceId, states, writes, now);
  const firing = states.some((s) => s.status === "firing");
  return { entries, nextTickAt: tickAfter(enabled, firing, events.length > 0, now), truncated, rules: enabled.length };
}

/**
 * Alert rules evaluated in the aggregation worker, over the events it holds:
 * the same shared evaluateRules the edge runs on ingest, so the Chaos & alerts
 * view shows where each rule stands locally (offline too) without events
 * ever crossing to the page. The page validates rules with the shared schema
 * before sending them; the schema (zod) stays out of the worker's bundle,
 * which every cold open loads first.
 */
import type { AlertRule } from "../../../shared/alerts/rule.ts";
import { evaluateRules, type AlertEvaluation, type AlertState } from "../../../shared/alerts/state.ts";
import type { ColumnBlock, Dictionary } from "../../../shared/columns.ts";

/** The events a worker holds, as the engine reads them. */
export interface LoadedEvents {
  blocks: readonly ColumnBlock[];
  dict: Dictionary;
}

/**
 * Evaluates `rules` at `now`, moving each from its `previous` state
 * (hysteresis). Previous states of rules no longer listed resolve, as at the
 * edge; a page that starts afresh passes the edge's states, so an alert the
 * edge has firing does not "fire again" locally.
 */
export function evaluateLoadedAlerts(loaded: LoadedEvents, rules: readonly AlertRule[], now: number, previous: readonly AlertState[]): AlertEvaluation {
  return evaluateRules(rules, loaded.blocks, loaded.dict, now, previous);
}

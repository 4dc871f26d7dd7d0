/**
 * The Chaos & alerts panels' exports: the rows each panel shows, as a header
 * and cells (panels/export-table.ts). Pure.
 */
import type { AlertState } from "../../../shared/alerts/state.ts";
import type { AlertHistoryEntry } from "../../../shared/wire.ts";
import type { FaultKindRow } from "./chaos.ts";
import type { AffectedEndpoint, ImpactData } from "./chaos-impact.ts";
import type { ExportTable } from "./export-table.ts";

const iso = (t: number): string => new Date(t).toISOString();

export function faultKindsTable(rows: FaultKindRow[]): ExportTable {
  return { header: ["fault", "faults", "avg_delay_ms"], rows: rows.map((r) => [r.fault, r.faults, r.avgDelayMs]) };
}

export function affectedEndpointsTable(rows: AffectedEndpoint[]): ExportTable {
  return {
    header: ["endpoint", "faults", "fault_kinds", "requests", "faults_per_request", "error_rate", "p95_ms"],
    rows: rows.map((r) => [r.endpoint, r.faults, r.kinds, r.requests, r.faultRate, r.errorRate, r.p95]),
  };
}

/** Latency during the faults and in the baseline, one row each. */
export function latencyTable(d: ImpactData): ExportTable {
  const row = (label: string, w: { from: number; to: number }, s: ImpactData["during"]) => [label, iso(w.from), iso(w.to), s.requests, s.p50, s.p95, s.p99, s.avg];
  return {
    header: ["window", "from", "to", "requests", "p50_ms", "p95_ms", "p99_ms", "avg_ms"],
    rows: [row("during_faults", d.window, d.during), row("baseline", d.baselineWindow, d.baseline)],
  };
}

/** The score, its level, and each component's measure and score. */
export function impactTable(d: ImpactData): ExportTable {
  const { impact } = d;
  const c = impact.components;
  return {
    header: ["score", "level", "fault_rate", "fault_rate_score", "added_latency", "added_latency_score", "error_increase", "error_increase_score", "requests", "faults", "baseline_requests"],
    rows: [
      [
        impact.score,
        impact.level,
        c.fault_rate.value,
        c.fault_rate.score,
        c.added_latency.value,
        c.added_latency.score,
        c.error_increase.value,
        c.error_increase.score,
        impact.inputs.requests,
        impact.inputs.faults,
        impact.baseline_requests,
      ],
    ],
  };
}

export function alertStatesTable(states: AlertState[]): ExportTable {
  return {
    header: ["rule_id", "name", "status", "since", "evaluated_at", "value", "threshold", "severity", "detail"],
    rows: states.map((s) => [s.rule_id, s.name, s.status, iso(s.since), iso(s.evaluated_at), s.value, s.threshold, s.severity, s.detail]),
  };
}

export function alertHistoryTable(history: AlertHistoryEntry[]): ExportTable {
  return {
    header: ["id", "rule_id", "name", "kind", "at", "value", "threshold", "severity", "detail"],
    rows: history.map((h) => [h.id, h.rule_id, h.name, h.kind, iso(h.at), h.value, h.threshold, h.severity, h.detail]),
  };
}

/**
 * The Traffic panels' results as the rows they show and export. Pure; the
 * inputs are query results of a few hundred rows at most.
 */
import type { QueryResult } from "../../../shared/query.ts";
import type { ExportTable } from "./export-table.ts";
import type { TimeSeries } from "./time-series.ts";
import { readRows, type Summary } from "./traffic.ts";

export interface EndpointRow {
  method: string;
  endpoint: string;
  requests: number;
  errorRate: number;
  p95: number;
}

export function endpointRows(result: QueryResult): EndpointRow[] {
  return readRows(result).map((r) => ({
    method: r.keys[0] ?? "",
    endpoint: r.keys[1] ?? "",
    requests: r.values[0] ?? 0,
    errorRate: r.values[1] ?? NaN,
    p95: r.values[2] ?? NaN,
  }));
}

export interface LabelCount {
  label: string;
  requests: number;
  errorRate: number;
  p95: number;
}

/** Rows of a [label] → count (, error rate, p95) result. */
export function labelCounts(result: QueryResult): LabelCount[] {
  return readRows(result).map((r) => ({ label: r.keys[0] ?? "", requests: r.values[0] ?? 0, errorRate: r.values[1] ?? NaN, p95: r.values[2] ?? NaN }));
}

export function summaryTable(s: Summary, rps: number): ExportTable {
  return {
    header: ["requests", "error_rate", "requests_per_second", "p50_ms", "p95_ms", "p99_ms"],
    rows: [[s.requests, s.errorRate, rps, s.p50, s.p95, s.p99]],
  };
}

/** A time series as rows: one per bucket, one column per series; time as ISO text. */
export function seriesTable(ts: TimeSeries, valueName: (label: string) => string): ExportTable {
  return {
    header: ["bucket_start", ...ts.series.map((s) => valueName(s.label))],
    rows: ts.xs.map((x, i) => [new Date(x * 1000).toISOString(), ...ts.series.map((s) => s.values[i] ?? null)]),
  };
}

export function endpointsTable(rows: EndpointRow[]): ExportTable {
  return {
    header: ["method", "endpoint", "requests", "error_rate", "p95_ms"],
    rows: rows.map((r) => [r.method, r.endpoint, r.requests, r.errorRate, r.p95]),
  };
}

export function statusTable(rows: LabelCount[]): ExportTable {
  return { header: ["status", "requests"], rows: rows.map((r) => [r.label, r.requests]) };
}

export function protocolTable(rows: LabelCount[]): ExportTable {
  return {
    header: ["protocol", "requests", "error_rate", "p95_ms"],
    rows: rows.map((r) => [r.label, r.requests, r.errorRate, r.p95]),
  };
}

const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function heatmapTable(cells: number[]): ExportTable {
  return { header: ["day", "hour", "requests"], rows: cells.map((v, i) => [DAY_NAMES[Math.floor(i / 24)]!, i % 24, v]) };
}

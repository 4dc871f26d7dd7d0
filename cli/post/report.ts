/**
 * What `tally post` found out, per file: counts, every rejection and warning
 * placed in its file (`FILE#INDEX`), and which batches were not delivered. The
 * edge numbers events within a batch; people think in files, so every index is
 * translated back before it is shown.
 */
import { LIMITS } from "../../shared/event.ts";
import type { IngestResponse } from "../../shared/wire.ts";
import { clean, failureLines } from "../format.ts";
import type { ApiFailure } from "../http.ts";
import type { Batch, Plan } from "./batches.ts";

export interface Counts {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Events in batches that were never delivered. */
  not_sent: number;
}

/** A rejected event, placed in its file. */
export interface FileRejection {
  index: number;
  id?: string;
  path: string;
  message: string;
}

export interface FileWarning {
  index: number;
  id?: string;
  code: string;
  message: string;
}

export interface BatchFailure {
  /** 1-based batch number within the file. */
  batch: number;
  attempts: number;
  error: ApiFailure;
}

export interface FileReport extends Counts {
  file: string;
  events: number;
  batches: number;
  /** 1-based numbers of the batches the edge answered. */
  sent: number[];
  /** 1-based numbers of the batches never delivered: the failed one and the rest. */
  unsent: number[];
  /** Event index ranges of the unsent batches, `[first, last]` inclusive. */
  unsentEvents: [number, number][];
  rejections: FileRejection[];
  warnings: FileWarning[];
  failure?: BatchFailure;
  /** Not attempted because an earlier failure would recur (auth, unreachable edge). */
  skipped?: boolean;
}

export function newFileReport(file: string, events: unknown[], plan: Plan): FileReport {
  const report: FileReport = {
    file,
    events: events.length,
    batches: plan.batches.length,
    accepted: 0,
    duplicates: 0,
    rejected: plan.unsendable.length,
    not_sent: 0,
    sent: [],
    unsent: [],
    unsentEvents: [],
    rejections: [],
    warnings: [],
  };
  for (const u of plan.unsendable) {
    report.rejections.push({
      index: u.index,
      ...idAt(events, u.index),
      path: "",
      message: `event is ${u.bytes} bytes; the limit is ${LIMITS.eventBytes} (not sent: no request body of at most ${LIMITS.bodyBytes} bytes can hold it)`,
    });
  }
  return report;
}

function idAt(events: unknown[], index: number): { id?: string } {
  const event = events[index];
  const id = event !== null && typeof event === "object" ? (event as { id?: unknown }).id : undefined;
  return typeof id === "string" ? { id } : {};
}

/** Whether a 400 carries an ingest result: every event of the batch was rejected. */
export function ingestResultOf(error: ApiFailure): IngestResponse | undefined {
  const details = error.details as Partial<IngestResponse> | undefined;
  if (error.status !== 400 || !details || !Array.isArray(details.rejections)) return undefined;
  return {
    accepted: Number(details.accepted ?? 0),
    duplicates: Number(details.duplicates ?? 0),
    rejected: Number(details.rejected ?? details.rejections.length),
    rejections: details.rejections,
    warnings: Array.isArray(details.warnings) ? details.warnings : [],
  };
}

/** Adds the edge's answer to one batch, batch positions mapped to file indexes. */
export function addBatchResult(report: FileReport, events: unknown[], batch: Batch, batchNumber: number, result: IngestResponse): void {
  report.sent.push(batchNumber);
  report.accepted += result.accepted;
  report.duplicates += result.duplicates;
  report.rejected += result.rejected;
  // a position outside the batch would be an edge bug; keep it visible rather than drop it
  const place = (i: number) => batch.indexes[i] ?? -1;
  for (const r of result.rejections) {
    const index = place(r.index);
    const id = typeof r.id === "string" ? { id: r.id } : idAt(events, index);
    report.rejections.push({ index, ...id, path: r.path ?? "", message: r.message });
  }
  for (const w of result.warnings) {
    const index = place(w.index);
    report.warnings.push({ index, ...idAt(events, index), code: w.code, message: w.message });
  }
}

/** Records that batch `batchNumber` failed for good; it and the rest of the file stay unsent. */
export function addFailure(report: FileReport, plan: Plan, batchNumber: number, attempts: number, error: ApiFailure): void {
  report.failure = { batch: batchNumber, attempts, error };
  markUnsent(report, plan, batchNumber);
}

/** Marks batches from `fromBatch` (1-based) on as never sent. */
export function markUnsent(report: FileReport, plan: Plan, fromBatch: number): void {
  for (let n = fromBatch; n <= plan.batches.length; n++) {
    const b = plan.batches[n - 1]!;
    report.unsent.push(n);
    report.unsentEvents.push([b.indexes[0]!, b.indexes.at(-1)!]);
    report.not_sent += b.indexes.length;
  }
}

export function sum(reports: FileReport[]): Counts {
  const total: Counts = { accepted: 0, duplicates: 0, rejected: 0, not_sent: 0 };
  for (const r of reports) {
    total.accepted += r.accepted;
    total.duplicates += r.duplicates;
    total.rejected += r.rejected;
    total.not_sent += r.not_sent;
  }
  return total;
}

export function countsText(c: Counts): string {
  const base = `${c.accepted} accepted, ${c.duplicates} duplicates, ${c.rejected} rejected`;
  return c.not_sent > 0 ? `${base}, ${c.not_sent} not sent` : base;
}

function idText(id: string | undefined): string {
  return id === undefined ? "" : ` (id ${clean(id)})`;
}

/** `FILE#INDEX (id ID) PATH: MESSAGE`, one line per rejection and warning. */
export function problemLines(report: FileReport): string[] {
  const at = (index: number) => `${report.file}#${index < 0 ? "?" : index}`;
  const lines = report.rejections.map((r) => `${at(r.index)}${idText(r.id)}${r.path ? ` ${clean(r.path)}` : ""}: ${clean(r.message)}`);
  for (const w of report.warnings) lines.push(`${at(w.index)}${idText(w.id)} warning ${clean(w.code)}: ${clean(w.message)}`);
  return lines;
}

/** What happened to undelivered batches, or nothing when all were delivered. */
export function deliveryLines(report: FileReport): string[] {
  const lines: string[] = [];
  const ranges = report.unsentEvents.map(([a, b]) => (a === b ? `#${a}` : `#${a}-#${b}`)).join(", ");
  if (report.skipped) {
    lines.push(`${report.file}: not sent (stopped after an earlier failure)${ranges ? `; events ${ranges}` : ""}`);
    return lines;
  }
  if (!report.failure) return lines;
  const f = report.failure;
  const tries = f.attempts === 1 ? "" : ` after ${f.attempts} attempts`;
  const [first, ...rest] = failureLines(f.error);
  lines.push(`${report.file}: batch ${f.batch} of ${report.batches} failed${tries}: ${first}`, ...rest);
  const sent = report.sent.length === 0 ? "none" : report.sent.join(", ");
  lines.push(`${report.file}: batches sent: ${sent}; not sent: ${report.unsent.join(", ")} (events ${ranges})`);
  return lines;
}

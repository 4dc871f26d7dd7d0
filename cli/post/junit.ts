/**
 * Sends one JUnit XML report to the junit endpoint, whole and gzipped, with
 * the CI run as query parameters, and reports the edge's answer in the same
 * shape as a file of events: counts, rejections as `FILE#INDEX` (the test
 * event's place in the report), and why it was not stored.
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { RunMeta } from "../../shared/junit/run-meta.ts";
import type { IngestResponse } from "../../shared/wire.ts";
import type { Context } from "../command.ts";
import { failureLines } from "../format.ts";
import type { ApiFailure } from "../http.ts";
import type { ReportFile } from "./input.ts";
import { ingestResultOf, type FileReport } from "./report.ts";

const gzipAsync = promisify(gzip);

/** The query string of the run's fields, in a fixed order; empty when there are none. */
export function runQuery(run: RunMeta): string {
  const q = new URLSearchParams();
  for (const key of ["ci", "run", "branch", "commit"] as const) if (run[key] !== undefined) q.set(key, run[key]!);
  const text = q.toString();
  return text ? `?${text}` : "";
}

function isIngestResponse(body: unknown): body is IngestResponse {
  const b = body as Partial<IngestResponse> | null;
  return !!b && typeof b.accepted === "number" && typeof b.duplicates === "number" && Array.isArray(b.rejections);
}

function emptyReport(file: string): FileReport {
  return { file, events: 0, batches: 1, accepted: 0, duplicates: 0, rejected: 0, not_sent: 0, sent: [], unsent: [], unsentEvents: [], rejections: [], warnings: [] };
}

function addAnswer(report: FileReport, answer: IngestResponse): void {
  report.sent.push(1);
  report.accepted += answer.accepted;
  report.duplicates += answer.duplicates;
  report.rejected += answer.rejected;
  report.events += answer.accepted + answer.duplicates + answer.rejected;
  for (const r of answer.rejections) report.rejections.push({ index: r.index, ...(r.id === undefined ? {} : { id: r.id }), path: r.path ?? "", message: r.message });
  for (const w of answer.warnings ?? []) report.warnings.push({ index: w.index, code: w.code, message: w.message });
}

/** A report that was not sent because an earlier failure would recur. */
export function skippedReport(file: ReportFile): FileReport {
  return { ...emptyReport(file.name), skipped: true, unsent: [1] };
}

/** Posts the report; the failure is returned too when it should stop all posting. */
export async function postReport(ctx: Context, file: ReportFile, run: RunMeta): Promise<{ report: FileReport; failure?: ApiFailure }> {
  const report = emptyReport(file.name);
  const result = await ctx.api.call<unknown>({
    method: "POST",
    path: `/api/v1/workspaces/${encodeURIComponent(ctx.workspace)}/junit${runQuery(run)}`,
    token: ctx.token,
    label: file.name,
    body: async () => ({ data: await gzipAsync(file.xml), headers: { "Content-Type": "application/xml", "Content-Encoding": "gzip" } }),
  });
  if (result.ok && isIngestResponse(result.body)) {
    addAnswer(report, result.body);
    return { report };
  }
  const error: ApiFailure = result.ok
    ? { status: result.status, code: "bad_response", message: "the answer is not an ingest result; is --url the Tally edge?" }
    : result.error;
  // a 400 invalid_events still answers: every test event was rejected
  const allRejected = ingestResultOf(error);
  if (allRejected) {
    addAnswer(report, allRejected);
    return { report };
  }
  report.failure = { batch: 1, attempts: result.attempts, error };
  report.unsent = [1];
  return { report, failure: error };
}

/** Why a report was not stored, or nothing when it was answered. */
export function reportDeliveryLines(report: FileReport): string[] {
  if (report.skipped) return [`${report.file}: not sent (stopped after an earlier failure)`];
  if (!report.failure) return [];
  const f = report.failure;
  const [first, ...rest] = failureLines(f.error);
  return [`${report.file}: not stored${f.attempts === 1 ? "" : ` after ${f.attempts} attempts`}: ${first}`, ...rest];
}

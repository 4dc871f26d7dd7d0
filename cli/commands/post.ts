/**
 * `tally post FILE...`: sends events from CI. Every file is read and parsed
 * before anything is sent, so a typo in the last file does not leave the first
 * half posted. Batches go one at a time, gzip-compressed; a retry or a re-run
 * is harmless because every event carries an id the edge dedupes on. JUnit
 * XML reports go whole to the junit endpoint, with the CI run they belong to.
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { parseRunMeta, RUN_META_KEYS, type RunMeta } from "../../shared/junit/run-meta.ts";
import type { IngestResponse } from "../../shared/wire.ts";
import { ciRunFromEnv } from "../ci-env.ts";
import { EXIT_FAILED, EXIT_OK, RETRIES_OPTION, UsageError, type CommandSpec, type Context, type OptionSpec } from "../command.ts";
import type { ApiFailure, ApiResult } from "../http.ts";
import { batchBody, planBatches, type Batch, type Plan } from "../post/batches.ts";
import { loadInput, type InputFile, type ReportFile } from "../post/input.ts";
import { postReport, reportDeliveryLines, skippedReport } from "../post/junit.ts";
import {
  addBatchResult,
  addFailure,
  countsText,
  deliveryLines,
  ingestResultOf,
  markUnsent,
  newFileReport,
  problemLines,
  sum,
  type FileReport,
} from "../post/report.ts";

const gzipAsync = promisify(gzip);

export const post: CommandSpec = {
  words: ["post"],
  usage: "FILE...",
  summary: "post events from JSON or NDJSON files, or JUnit XML reports (- reads stdin)",
  description: `Posts the events in each FILE to the workspace; needs a write (or admin) token.

A FILE holds a JSON array of events, a JSON object {"events": [...]}, or NDJSON
(one event per line). Names ending in .json are read as JSON, .ndjson and .jsonl
as NDJSON; other names and - (stdin) are tried as JSON, then as NDJSON. Every
file is checked before anything is posted. Gzip files (.gz) are read as well.

A FILE named .xml or .xml.gz, or whose content starts with "<", is a JUnit XML
report (Maven Surefire, pytest, jest-junit, gotestsum, JUnit 5, Gradle...): it
is posted whole, at most 1000000 bytes, and the edge stores one test event per
run of each test case. The report belongs to the CI run named by --ci, --run,
--branch and --commit; each defaults to what the CI sets in the environment
(GitHub Actions, GitLab CI, Jenkins, CircleCI). Posting the same report
again stores nothing new; another report (a matrix leg, a rerun) is stored.

An event without an id gets <first 20 hex digits of the file's SHA-256>-<index>,
so running the same command again (after a failure, say) stores nothing twice:
what is already stored counts as duplicates. Ids already present are kept.

Events go in gzip-compressed batches of at most 1000 events and 900000 bytes.
A batch that fails with 429, a 5xx or a network error is retried with jittered
exponential backoff; other errors are not retried and stop that file.

Prints each rejected event as FILE#INDEX (id ID) PATH: MESSAGE and a summary of
accepted, duplicate and rejected events per file and in total. Exits 1 when any
event was rejected or any batch could not be sent.`,
  options: {
    ci: { type: "string", arg: "NAME", help: "CI system of JUnit reports: github, gitlab, jenkins, circleci... (default: from the environment)" },
    run: { type: "string", arg: "ID", help: "CI run of JUnit reports (default: from the environment)" },
    branch: { type: "string", arg: "NAME", help: "branch the reports' tests ran on (default: from the environment)" },
    commit: { type: "string", arg: "SHA", help: "commit the reports' tests ran on (default: from the environment)" },
    ...RETRIES_OPTION,
  } satisfies Record<string, OptionSpec>,
  positionals: { min: 1, max: Infinity },
  needs: { workspace: true, token: true },
  run: postFiles,
};

/** Failures that would recur for every later file too, so posting stops. */
function stopsEverything(error: ApiFailure): boolean {
  return !(error.status === 400 || error.status === 413);
}

function isIngestResponse(body: unknown): body is IngestResponse {
  const b = body as Partial<IngestResponse> | null;
  return !!b && typeof b.accepted === "number" && typeof b.duplicates === "number" && Array.isArray(b.rejections);
}

async function sendBatch(ctx: Context, batch: Batch, label: string): Promise<ApiResult<IngestResponse>> {
  const result = await ctx.api.call<unknown>({
    method: "POST",
    path: `/api/v1/workspaces/${encodeURIComponent(ctx.workspace)}/events`,
    token: ctx.token,
    label,
    // sent_at is the send time, so each attempt is stamped anew
    body: async () => ({
      data: await gzipAsync(batchBody(batch, new Date(ctx.io.now()).toISOString())),
      headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
    }),
  });
  if (!result.ok) return result;
  if (!isIngestResponse(result.body)) {
    return { ok: false, attempts: result.attempts, error: { status: result.status, code: "bad_response", message: "the answer is not an ingest result; is --url the Tally edge?" } };
  }
  // warnings are optional to an older edge; the report expects an array
  return { ...result, body: { ...result.body, warnings: Array.isArray(result.body.warnings) ? result.body.warnings : [] } };
}

/** Posts one file's batches in order; returns the failure that should stop all posting, if any. */
export async function postFile(ctx: Context, file: InputFile, plan: Plan, report: FileReport): Promise<ApiFailure | undefined> {
  for (let i = 0; i < plan.batches.length; i++) {
    const batch = plan.batches[i]!;
    const n = i + 1;
    const label = plan.batches.length === 1 ? file.name : `${file.name} batch ${n} of ${plan.batches.length}`;
    const result = await sendBatch(ctx, batch, label);
    if (result.ok) {
      addBatchResult(report, file.events, batch, n, result.body);
      continue;
    }
    // a 400 invalid_events still answers the batch: every event in it was rejected
    const allRejected = ingestResultOf(result.error);
    if (allRejected) {
      addBatchResult(report, file.events, batch, n, allRejected);
      continue;
    }
    addFailure(report, plan, n, result.attempts, result.error);
    return stopsEverything(result.error) ? result.error : undefined;
  }
  return undefined;
}

/** The run flags, checked: a bad one is a usage error, before any file is read. */
function runFlags(ctx: Context): RunMeta {
  const flags = parseRunMeta((key) => {
    const value = ctx.values[key];
    return typeof value === "string" ? value.trim() : undefined;
  });
  if (!flags.ok) throw new UsageError(flags.issues.map((i) => `--${i.message}`).join("\n"), post);
  return flags.value;
}

/**
 * The CI run of the reports: the flags over the environment's values. A bad
 * value from the environment is left out with a note: the CI wrote it, and
 * the report is still worth posting.
 */
function reportRun(ctx: Context, flags: RunMeta): RunMeta {
  const found = ciRunFromEnv(ctx.io.env);
  const fromEnv: RunMeta = {};
  for (const key of RUN_META_KEYS) {
    if (found[key] === undefined || flags[key] !== undefined) continue;
    const checked = parseRunMeta((k) => (k === key ? found[key] : undefined));
    if (checked.ok) Object.assign(fromEnv, checked.value);
    else ctx.warn(`tally: leaving out the ${key} found in the CI environment: ${checked.issues[0]!.message}`);
  }
  return { ...fromEnv, ...flags };
}

async function postFiles(ctx: Context): Promise<number> {
  if (ctx.args.filter((a) => a === "-").length > 1) throw new UsageError("- (stdin) can be given only once", post);
  const flags = runFlags(ctx);

  const files: (InputFile | ReportFile)[] = [];
  const problems: string[] = [];
  for (const arg of ctx.args) {
    const loaded = await loadInput(arg, ctx.io);
    if (loaded.ok) files.push(loaded.file);
    else problems.push(...loaded.problems);
  }
  if (problems.length > 0) {
    ctx.emitJson({ error: { status: null, code: "invalid_input", message: "nothing was posted: a file could not be read or parsed", details: { problems } } });
    ctx.warn([...problems, "tally: nothing was posted"].join("\n"));
    return EXIT_FAILED;
  }

  const run = files.some((f) => f.kind === "junit") ? reportRun(ctx, flags) : {};
  const reports: FileReport[] = [];
  let stoppedBy: ApiFailure | undefined;
  for (const file of files) {
    if (file.kind === "junit") {
      const sent = stoppedBy ? { report: skippedReport(file) } : await postReport(ctx, file, run);
      if (sent.failure && stopsEverything(sent.failure)) stoppedBy = sent.failure;
      reports.push(sent.report);
      const problemText = [...problemLines(sent.report), ...reportDeliveryLines(sent.report)];
      if (problemText.length > 0) ctx.warn(problemText.join("\n"));
      ctx.say(sent.report.failure || sent.report.skipped ? `${file.name}: not stored` : `${file.name}: ${countsText(sent.report)}`);
      continue;
    }
    const plan = planBatches(file.events);
    const report = newFileReport(file.name, file.events, plan);
    reports.push(report);
    if (stoppedBy) {
      report.skipped = true;
      markUnsent(report, plan, 1);
    } else {
      stoppedBy = await postFile(ctx, file, plan, report);
    }
    const problemText = [...problemLines(report), ...deliveryLines(report)];
    if (problemText.length > 0) ctx.warn(problemText.join("\n"));
    ctx.say(file.events.length === 0 ? `${file.name}: no events` : `${file.name}: ${countsText(report)}`);
  }

  const total = sum(reports);
  const undelivered = reports.some((r) => r.unsent.length > 0 || r.skipped);
  const ok = total.rejected === 0 && !undelivered;
  ctx.emitJson({ ok, total, files: reports });
  if (files.length > 1) ctx.say(`total (${files.length} files): ${countsText(total)}`);
  else ctx.say(`total: ${countsText(total)}`);
  if (undelivered) {
    ctx.warn("tally: some events were not sent. Running the same command again sends them; events already stored count as duplicates.");
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

/**
 * `tally gate`: fails a CI step when the workspace misses its coverage or
 * drift thresholds. It pulls the workspace's events and config and computes
 * the same Coverage & risk report the app shows (shared/coverage), so the
 * view and the gate cannot disagree. Read access is enough.
 */
import { coverageFromEvents, type CoverageReport } from "../../shared/coverage/index.ts";
import { LIMITS, type StoredEvent } from "../../shared/event.ts";
import type { ConfigResponse, PullResponse } from "../../shared/wire.ts";
import { EXIT_FAILED, EXIT_OK, RETRIES_OPTION, UsageError, type CommandSpec, type Context } from "../command.ts";
import { clean, failureLines, table } from "../format.ts";
import type { ApiFailure } from "../http.ts";

/** Endpoints listed in the text table before the rest are counted (--json lists all). */
const LISTED = 50;
/** Event types the coverage report reads; the others are dropped while paging, to keep memory small. */
const READ_TYPES = new Set<string>(["test", "request", "mock"]);

export const gate: CommandSpec = {
  words: ["gate"],
  usage: "[--min-coverage PERCENT] [--max-drift PERCENT]",
  summary: "exit 1 when the workspace misses its coverage or drift thresholds",
  description: `Computes the workspace's endpoint coverage (documented response codes that
tests or CI requests exercised, against the catalog) and the share of mocks
that drift from the live API, as the Coverage & risk view does, prints them
against their thresholds with the endpoints not fully covered, and exits 1
when coverage is below its minimum or drift above its maximum.

Thresholds are percentages; without flags they come from the workspace's
config (thresholds.coverage_min, thresholds.drift_max), else 80 and 20.
Without an endpoint catalog coverage cannot be measured: the gate then fails
if a minimum was asked for (--min-coverage, or coverage_min in the config) and
skips the check otherwise. Import a catalog with \`tally catalog import\`.
A read token is enough.`,
  options: {
    "min-coverage": { type: "string", arg: "PERCENT", help: "lowest overall endpoint coverage that passes, 0-100 (default: config coverage_min, else 80)" },
    "max-drift": { type: "string", arg: "PERCENT", help: "highest share of drifting mocks that passes, 0-100 (default: config drift_max, else 20)" },
    ...RETRIES_OPTION,
  },
  positionals: { min: 0, max: 0 },
  needs: { workspace: true, token: true },
  run: runGate,
};

/** A percentage flag, or undefined when not given. */
function percentFlag(ctx: Context, name: string): number | undefined {
  const raw = ctx.values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim().replace(/%$/, "");
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 100)) throw new UsageError(`--${name} must be a percentage from 0 to 100, not "${String(raw)}"`, gate);
  return value;
}

function workspacePath(ctx: Context, rest: string): string {
  return `/api/v1/workspaces/${encodeURIComponent(ctx.workspace)}/${rest}`;
}

type Fetched<T> = { ok: true; value: T } | { ok: false; exit: number };

function failed(ctx: Context, doing: string, error: ApiFailure): { ok: false; exit: number } {
  ctx.emitJson({ error });
  const [first, ...rest] = failureLines(error);
  // CI usually holds a write token (for tally post), which cannot read
  const hint = error.code === "insufficient_scope" ? ["  tally gate reads the workspace: pass a read token with --token, e.g. from a second CI secret"] : [];
  ctx.warn([`tally: could not ${doing}: ${first}`, ...rest, ...hint].join("\n"));
  return { ok: false, exit: EXIT_FAILED };
}

/** Every event the report reads, page by page until the edge says there are no more. */
async function pullEvents(ctx: Context): Promise<Fetched<{ events: StoredEvent[]; read: number }>> {
  const events: StoredEvent[] = [];
  let read = 0;
  for (let after = 0; ; ) {
    const page = await ctx.api.call<PullResponse>({
      method: "GET",
      path: workspacePath(ctx, `events?after=${after}&limit=${LIMITS.pageSize}`),
      token: ctx.token,
      label: `events after ${after}`,
    });
    if (!page.ok) return failed(ctx, "read the workspace's events", page.error);
    read += page.body.events.length;
    for (const event of page.body.events) if (READ_TYPES.has(event.type)) events.push(event);
    if (!page.body.more) return { ok: true, value: { events, read } };
    // an edge that claims more without moving the cursor would keep us here forever
    if (!(page.body.next > after)) {
      return failed(ctx, "read the workspace's events", { status: page.status, code: "bad_response", message: `the cursor did not advance past ${after}` });
    }
    after = page.body.next;
  }
}

/**
 * part ÷ whole as a percent, with one decimal unless more are needed for the
 * figure to read the way the verdict went: 79.96% against a minimum of 80
 * shows as 79.96%, never as a failing 80.0%. `met` is the exact verdict.
 */
function shownPercent(part: number, whole: number, limit: number, passes: "atLeast" | "atMost", met: boolean): string {
  const exact = whole === 0 ? 0 : (part * 100) / whole;
  let text = exact.toFixed(1);
  for (let digits = 2; digits <= 6; digits++) {
    const shown = Number(text);
    if ((passes === "atLeast" ? shown >= limit : shown <= limit) === met) break;
    text = exact.toFixed(digits);
  }
  return `${text}%`;
}

/** A threshold as it was given: 80%, 19.9%. */
const threshold = (value: number): string => `${value}%`;

/** The two checks and why each passed or failed. */
interface Verdict {
  /** `actual` is the percentage (null without a catalog); `shown` is it as printed. */
  coverage: { state: "pass" | "fail" | "skipped"; min: number; actual: number | null; shown: string; note: string };
  drift: { state: "pass" | "fail"; max: number; actual: number; shown: string; note: string };
}

function judge(report: CoverageReport, coverageAsked: boolean): Verdict {
  const { overall, drift } = report;
  const min = report.thresholds.coverageMin;
  const max = report.thresholds.driftMax;
  let coverage: Verdict["coverage"];
  if (overall.documented === 0) {
    coverage = coverageAsked
      ? { state: "fail", min, actual: null, shown: "-", note: "no endpoint catalog: nothing to measure against (tally catalog import)" }
      : { state: "skipped", min, actual: null, shown: "-", note: "no endpoint catalog; check skipped" };
  } else {
    // compared in whole counts, so 4 of 5 codes meets 80% without rounding doubts
    const met = overall.exercised * 100 >= min * overall.documented;
    coverage = {
      state: met ? "pass" : "fail",
      min,
      actual: overall.coverage * 100,
      shown: shownPercent(overall.exercised, overall.documented, min, "atLeast", met),
      note: `${overall.exercised} of ${overall.documented} codes`,
    };
  }
  const driftMet = drift.drifting * 100 <= max * drift.mocks;
  const note = drift.mocks === 0 ? "no mock reports drift" : `${drift.drifting} of ${drift.mocks} mocks`;
  return { coverage, drift: { state: driftMet ? "pass" : "fail", max, actual: drift.percent, shown: shownPercent(drift.drifting, drift.mocks, max, "atMost", driftMet), note } };
}

function lastLine(v: Verdict): string {
  const problems: string[] = [];
  if (v.coverage.state === "fail") {
    problems.push(v.coverage.actual === null ? `coverage cannot be measured without an endpoint catalog (minimum ${threshold(v.coverage.min)})` : `coverage ${v.coverage.shown} is below the minimum ${threshold(v.coverage.min)}`);
  }
  if (v.drift.state === "fail") problems.push(`drift ${v.drift.shown} is above the maximum ${threshold(v.drift.max)}`);
  if (problems.length > 0) return `Gate failed: ${problems.join("; ")}.`;
  const coverage = v.coverage.actual === null ? "coverage not measured (no catalog)" : `coverage ${v.coverage.shown} >= ${threshold(v.coverage.min)}`;
  return `Gate passed: ${coverage}, drift ${v.drift.shown} <= ${threshold(v.drift.max)}.`;
}

/** An endpoint's coverage as shown beside its flag; an entry without documented codes is one code. */
function endpointPercent(e: CoverageReport["endpoints"][number], min: number): string {
  const [part, whole] = e.documented.length === 0 ? [e.coverage > 0 ? 1 : 0, 1] : [e.exercised.length, e.documented.length];
  return shownPercent(part, whole, min, "atLeast", !e.underThreshold);
}

function textReport(report: CoverageReport, v: Verdict, read: number, workspace: string): string {
  const checks = table(
    ["CHECK", "ACTUAL", "THRESHOLD", "RESULT"],
    [
      ["coverage", `${v.coverage.shown} (${v.coverage.note})`, `>= ${threshold(v.coverage.min)}`, v.coverage.state.toUpperCase()],
      ["drift", `${v.drift.shown} (${v.drift.note})`, `<= ${threshold(v.drift.max)}`, v.drift.state.toUpperCase()],
    ],
  );
  const lines = [`Coverage gate of workspace ${clean(workspace)} (${read} events read)`, "", checks];
  const below = new Set(report.endpoints.filter((e) => e.underThreshold).map((e) => `${e.method} ${e.endpoint}`));
  const uncovered = report.overall.uncovered;
  if (uncovered.length > 0) {
    const byKey = new Map(report.endpoints.map((e) => [`${e.method} ${e.endpoint}`, e]));
    const rows = uncovered.slice(0, LISTED).map((u) => {
      const key = `${u.method} ${u.endpoint}`;
      const e = byKey.get(key);
      return [u.method, u.endpoint, e === undefined ? "-" : endpointPercent(e, v.coverage.min), u.missing.length > 0 ? u.missing.join(" ") : "(any)", below.has(key) ? "yes" : ""];
    });
    lines.push("", `Endpoints not fully covered (${uncovered.length} of ${report.endpoints.length}):`, table(["METHOD", "ENDPOINT", "COVERAGE", "MISSING CODES", `BELOW ${threshold(v.coverage.min)}`], rows));
    if (uncovered.length > LISTED) lines.push(`(and ${uncovered.length - LISTED} more; --json lists them all)`);
  } else if (report.endpoints.length > 0) {
    lines.push("", `Every documented response code of the ${report.endpoints.length} endpoints was exercised.`);
  }
  lines.push("", `Endpoints below ${threshold(v.coverage.min)}: ${below.size} of ${report.endpoints.length}.`, "", lastLine(v));
  return lines.join("\n");
}

async function runGate(ctx: Context): Promise<number> {
  const minFlag = percentFlag(ctx, "min-coverage");
  const maxFlag = percentFlag(ctx, "max-drift");

  const config = await ctx.api.call<ConfigResponse>({ method: "GET", path: workspacePath(ctx, "config"), token: ctx.token });
  if (!config.ok) return failed(ctx, "read the workspace's config", config.error).exit;
  const pulled = await pullEvents(ctx);
  if (!pulled.ok) return pulled.exit;

  const stored = config.body.config;
  const thresholds: Record<string, number> = { ...stored.thresholds };
  if (minFlag !== undefined) thresholds["coverage_min"] = minFlag;
  if (maxFlag !== undefined) thresholds["drift_max"] = maxFlag;
  const report = coverageFromEvents(pulled.value.events, {
    catalog: stored.endpoint_catalog ?? [],
    personas: stored.personas ?? [],
    scenarios: stored.scenarios ?? [],
    thresholds,
    now: ctx.io.now(),
  });
  const verdict = judge(report, thresholds["coverage_min"] !== undefined);
  const passed = verdict.coverage.state !== "fail" && verdict.drift.state !== "fail";

  ctx.emitJson({
    passed,
    events_read: pulled.value.read,
    coverage: { ...verdict.coverage, documented: report.overall.documented, exercised: report.overall.exercised },
    drift: { ...verdict.drift, mocks: report.drift.mocks, drifting: report.drift.drifting },
    uncovered: report.overall.uncovered,
    below_min: report.endpoints.filter((e) => e.underThreshold).map((e) => ({ method: e.method, endpoint: e.endpoint, coverage: e.coverage })),
  });
  ctx.say(textReport(report, verdict, pulled.value.read, ctx.workspace));
  return passed ? EXIT_OK : EXIT_FAILED;
}

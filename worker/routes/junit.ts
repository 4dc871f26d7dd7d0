/**
 * `POST /api/v1/workspaces/:id/junit`: a JUnit XML report from CI becomes
 * `test` events, one per run of each test case, stored through the same path
 * as event batches. The CI run comes as query parameters (ci, run, branch,
 * commit). Ids derive from the run or the report, so a re-post is a no-op.
 */
import type { IRequest } from "itty-router";
import { LIMITS } from "../../shared/event.ts";
import { normalizeBatch } from "../../shared/ingest.ts";
import { junitEvents, parseRunMeta, RUN_META_KEYS, testAttempts, type JunitCase, type JunitEvent, type RunMeta } from "../../shared/junit/index.ts";
import type { IngestResponse, Rejection } from "../../shared/wire.ts";
import { requireToken, sha256Hex } from "../auth.ts";
import { readBodyBytes, utf8Text } from "../decode/body.ts";
import { decodeJunit } from "../decode/junit.ts";
import { insertEvents } from "../db/events.ts";
import { ApiError } from "../http/api-error.ts";
import { publishInserted } from "../live-hub.ts";

const XML_TYPES = ["application/xml", "text/xml", "application/junit+xml"];

function requireXml(request: Request): void {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!XML_TYPES.includes(type)) {
    throw new ApiError(415, "unsupported_media_type", `Content-Type ${type ? `"${type}"` : "(none)"} is not accepted; send the report as application/xml`, {
      accepted: XML_TYPES,
    });
  }
}

function runMeta(url: URL): RunMeta {
  const parsed = parseRunMeta((key) => url.searchParams.get(key));
  if (!parsed.ok) {
    throw new ApiError(400, "invalid_query", parsed.issues.map((i) => i.message).join("; "), { issues: parsed.issues, accepted: RUN_META_KEYS });
  }
  return parsed.value;
}

function caseLabel(c: JunitCase): string {
  const where = c.suite !== "" ? c.suite : c.classname;
  return `testcase ${JSON.stringify(c.name)}${where ? ` of ${JSON.stringify(where)}` : ""}`;
}

/** Rejections placed in the report: the event's position, and which test case it is. */
function placed(index: number, built: JunitEvent[], cases: JunitCase[], rest: Omit<Rejection, "index" | "id">): Rejection {
  const e = built[index]!;
  return { index, id: e.event.id, path: rest.path, message: `${caseLabel(cases[e.caseIndex]!)}: ${rest.message}` };
}

export async function postJunit(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const workspaceId = request.params["id"]!;
  const receivedAt = Date.now();
  await requireToken(request, env, workspaceId, ["write", "admin"], receivedAt);
  requireXml(request);
  const meta = runMeta(new URL(request.url));
  const text = utf8Text(await readBodyBytes(request, "a JUnit XML report"));

  const cases = decodeJunit(text);
  if (cases.length === 0) throw new ApiError(400, "empty_report", "the report holds no <testcase> elements; nothing was stored");
  // counted before any id is hashed: a refused report costs no more than its parse
  const runs = cases.reduce((n, c) => n + testAttempts(c).length, 0);
  if (runs > LIMITS.testRunsPerReport) {
    throw new ApiError(
      413,
      "batch_too_large",
      `a report makes at most ${LIMITS.testRunsPerReport} test events (one per test case run); this one makes ${runs}: split it`,
      { limit: LIMITS.testRunsPerReport, events: runs },
    );
  }
  const { events: built, problems } = await junitEvents(cases, { ...meta, reportHash: await sha256Hex(text) }, sha256Hex);

  // events whose covering properties are unreadable are rejected; the rest go the usual way
  const refused = new Set(problems.map((p) => p.index));
  const kept = built.flatMap((_, i) => (refused.has(i) ? [] : [i]));
  const batch = normalizeBatch({ events: kept.map((i) => built[i]!.event) }, { receivedAt, newId: () => crypto.randomUUID() });
  const rejections = [
    ...problems.map((p) => placed(p.index, built, cases, p)),
    ...batch.rejections.map((r) => placed(kept[r.index]!, built, cases, r)),
  ].sort((a, b) => a.index - b.index);
  const warnings = batch.warnings.map((w) => ({ ...w, index: kept[w.index]! }));

  const inserted = await insertEvents(env.DB, workspaceId, receivedAt, batch.events);
  if (inserted.events.length > 0) ctx.waitUntil(publishInserted(env, workspaceId, inserted));
  const accepted = inserted.events.length;
  const rejected = built.length - batch.events.length;
  const response: IngestResponse = { accepted, duplicates: batch.events.length - accepted, rejected, rejections, warnings };
  if (batch.events.length === 0) {
    throw new ApiError(400, "invalid_events", `all ${rejected} test events were rejected; nothing was stored`, response);
  }
  return Response.json(response);
}

/**
 * `tally bundle import FILE`: posts a bundle's events into a workspace with a
 * write token, and its config with an admin token when one is given. The file
 * is read twice: first checked whole (nothing is posted from a bad bundle),
 * then streamed in batches within LIMITS. Events keep their ids, so the edge
 * stores each once: importing again, or after an interrupted import, stores
 * only what is missing.
 */
import { promisify } from "node:util";
import { resolve } from "node:path";
import { gzip } from "node:zlib";
import { BundleReader, formatBundleIssue } from "../../shared/bundle-parse.ts";
import { postedEventText, type BundleHeader } from "../../shared/bundle.ts";
import type { ConfigPatchRequest, ConfigPatchResponse, IngestResponse } from "../../shared/wire.ts";
import { LIMITS } from "../../shared/event.ts";
import { EXIT_FAILED, EXIT_OK, RETRIES_OPTION, type CommandSpec, type Context } from "../command.ts";
import { setting } from "../config.ts";
import { clean, failureLines } from "../format.ts";
import { BATCH_BYTES } from "../post/batches.ts";
import { ingestResultOf } from "../post/report.ts";
import { readBundleLines } from "./bundle-file.ts";

const gzipAsync = promisify(gzip);

export const bundleImport: CommandSpec = {
  words: ["bundle", "import"],
  usage: "FILE [--admin-token TOKEN]",
  summary: "post a bundle's events (write token) and config (admin token) into a workspace",
  description: `Reads a bundle written by \`tally bundle export\` or the app (NDJSON, gzip or
not) and posts its events into the workspace, keeping their ids and times.
The whole file is checked first: a bad line is reported with its line number
and field, and then nothing is posted. Events go in batches of at most 1000
events; the edge stores each id once, so importing the same bundle again, or
one that overlaps, stores only the events not stored yet.

The bundle's config keys are written (each replacing the workspace's) only
with an admin token, from --admin-token or TALLY_ADMIN_TOKEN; without one they
are skipped with a note. Exits 1 when the bundle is invalid, an event was
rejected, or a request failed (run it again: what was stored is not stored twice).`,
  options: {
    "admin-token": { type: "string", arg: "TOKEN", help: "admin token to write the bundle's config with (env TALLY_ADMIN_TOKEN)" },
    ...RETRIES_OPTION,
  },
  positionals: { min: 1, max: 1 },
  needs: { workspace: true, token: true },
  run: importBundle,
};

interface Totals {
  events: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  clamped: number;
  /** `line N, path: message` of each rejected event (the first 50). */
  rejections: string[];
}

/** Pass 1: the header, the event count, and every problem. */
async function check(path: string): Promise<{ header: BundleHeader; events: number; warnings: string[] } | { problems: string[] }> {
  const reader = new BundleReader();
  try {
    for await (const line of readBundleLines(path)) {
      reader.line(line);
      if (reader.notABundle) break;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "it is a directory" : err.message;
    return { problems: [`cannot read it: ${why}`] };
  }
  const issues = reader.finish();
  if (reader.ok && reader.header) return { header: reader.header, events: reader.events, warnings: reader.warnings.map(formatBundleIssue) };
  const more = reader.issueCount - issues.length;
  return { problems: [...issues.map(formatBundleIssue), ...(more > 0 ? [`(and ${more} more problems)`] : [])] };
}

async function importBundle(ctx: Context): Promise<number> {
  const name = ctx.args[0]!;
  const path = resolve(ctx.io.cwd, name);
  const checked = await check(path);
  if ("problems" in checked) {
    ctx.emitJson({ error: { code: "invalid_bundle", message: `${name} is not a valid bundle; nothing was posted`, details: { problems: checked.problems } } });
    ctx.warn([`tally: ${clean(name)} is not a valid bundle; nothing was posted:`, ...checked.problems.map((p) => `  ${clean(name)} ${clean(p)}`)].join("\n"));
    return EXIT_FAILED;
  }
  const { header } = checked;
  for (const w of checked.warnings) ctx.warn(`tally: ${clean(name)} ${clean(w)}`);
  const base = `/api/v1/workspaces/${encodeURIComponent(ctx.workspace)}`;
  const totals: Totals = { events: checked.events, accepted: 0, duplicates: 0, rejected: 0, clamped: 0, rejections: [] };

  const posted = await postEvents(ctx, path, base, totals);
  const configOutcome = posted.ok ? await writeConfig(ctx, base, header) : { written: [] as string[], note: "not written: the events did not all arrive" };
  const ok = posted.ok && totals.rejected === 0 && configOutcome.ok !== false;

  ctx.emitJson({ file: name, source: header.workspace, workspace: ctx.workspace, ...totals, config: configOutcome, warnings: checked.warnings, ...(posted.ok ? {} : { error: posted.error }) });
  for (const r of totals.rejections) ctx.warn(`${clean(name)} ${clean(r)}`);
  const more = totals.rejected - totals.rejections.length;
  if (more > 0) ctx.warn(`(and ${more} more rejected events)`);
  const lines = [
    `Imported ${clean(name)} (from "${clean(header.workspace.name)}", ${clean(header.workspace.id)}, exported ${header.exported_at}) into ${clean(ctx.workspace)}:`,
    `  events: ${totals.events} in the bundle, ${totals.accepted} stored, ${totals.duplicates} already there, ${totals.rejected} rejected` +
      (totals.clamped > 0 ? `, ${totals.clamped} with ts clamped` : ""),
    `  config: ${configOutcome.written.length > 0 ? `${configOutcome.written.join(", ")} written` : ""}${configOutcome.note ?? ""}`,
  ];
  if (posted.ok) ctx.say(lines.join("\n"));
  else ctx.warn([...lines, `tally: the import stopped: ${posted.error}`, "  run it again: events already stored count as duplicates"].join("\n"));
  return ok ? EXIT_OK : EXIT_FAILED;
}

/** Pass 2: the events in batches; stops at the first batch that could not be delivered. */
async function postEvents(ctx: Context, path: string, base: string, totals: Totals): Promise<{ ok: true } | { ok: false; error: string }> {
  const reader = new BundleReader();
  let texts: string[] = [];
  let lines: number[] = [];
  let bytes = 0;
  let lineNo = 0;
  let batchNo = 0;
  const send = async (): Promise<string | null> => {
    if (texts.length === 0) return null;
    batchNo++;
    const body = `{"events":[${texts.join(",")}]}`;
    const batchLines = lines;
    texts = [];
    lines = [];
    bytes = 0;
    // no sent_at: the times are the source's own, already corrected there
    const result = await ctx.api.call<IngestResponse>({
      method: "POST",
      path: `${base}/events`,
      token: ctx.token,
      label: `batch ${batchNo}`,
      body: async () => ({ data: await gzipAsync(body), headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" } }),
    });
    const answer = result.ok ? result.body : ingestResultOf(result.error);
    if (!answer) return failureLines((result as Extract<typeof result, { ok: false }>).error).join("\n");
    totals.accepted += answer.accepted;
    totals.duplicates += answer.duplicates;
    totals.rejected += answer.rejected;
    totals.clamped += answer.warnings.filter((w) => w.code === "ts_clamped").length;
    for (const r of answer.rejections) {
      if (totals.rejections.length < 50) totals.rejections.push(`line ${batchLines[r.index] ?? "?"}${r.path ? `, ${r.path}` : ""}: ${r.message}`);
    }
    return null;
  };
  try {
    for await (const line of readBundleLines(path)) {
      lineNo++;
      const item = reader.line(line);
      if (item.kind !== "event") continue;
      const text = postedEventText(item.event);
      const size = Buffer.byteLength(text);
      if (texts.length >= LIMITS.eventsPerBatch || bytes + size + 1 > BATCH_BYTES) {
        const error = await send();
        if (error) return { ok: false, error };
      }
      texts.push(text);
      lines.push(lineNo);
      bytes += size + 1;
    }
    const error = await send();
    return error ? { ok: false, error } : { ok: true };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

async function writeConfig(ctx: Context, base: string, header: BundleHeader): Promise<{ written: string[]; note?: string; ok?: boolean }> {
  const keys = Object.keys(header.config);
  if (keys.length === 0) return { written: [], note: "none in the bundle" };
  const admin = setting(ctx.values, "admin-token", ctx.io.env, "TALLY_ADMIN_TOKEN");
  if (!admin) return { written: [], note: `${keys.join(", ")} not written: pass --admin-token (or set TALLY_ADMIN_TOKEN) to write the bundle's config` };
  const request: ConfigPatchRequest = { set: header.config };
  const written = await ctx.api.call<ConfigPatchResponse>({
    method: "PATCH",
    path: `${base}/config`,
    token: admin,
    body: () => ({ data: JSON.stringify(request), headers: { "Content-Type": "application/json" } }),
  });
  if (!written.ok) return { written: [], note: `not written: ${failureLines(written.error).join(" ")}`, ok: false };
  return { written: keys, ...(written.body.changed.length < keys.length ? { note: ` (${keys.length - written.body.changed.length} already had that value)` } : {}) };
}

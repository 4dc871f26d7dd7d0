/**
 * `tally bundle export`: a whole workspace (its events and config) as one
 * bundle file (shared/bundle.ts), with a read token. Events are pulled by
 * cursor through the public API and written page by page, so the command's
 * memory stays one page however large the workspace.
 */
import { resolve } from "node:path";
import { endLine, eventLine, headerLine } from "../../shared/bundle.ts";
import type { ConfigResponse, PullResponse, WorkspaceInfo } from "../../shared/wire.ts";
import { LIMITS } from "../../shared/event.ts";
import { CONFIG_KEYS, CONFIG_SCHEMAS, type ConfigKey, type WorkspaceConfig } from "../../shared/config.ts";
import { EXIT_FAILED, EXIT_OK, RETRIES_OPTION, UsageError, type CommandSpec, type Context } from "../command.ts";
import { clean, failureLines } from "../format.ts";
import type { ApiResult } from "../http.ts";
import { fileSink, stdoutSink, type LineSink } from "./bundle-file.ts";

export const bundleExport: CommandSpec = {
  words: ["bundle", "export"],
  usage: "[--out FILE]",
  summary: "export a workspace's events and config as one bundle file (read token)",
  description: `Writes the workspace's every event and its config to one NDJSON bundle:
a header line (format, version, the workspace, its config), one event per line
in the order the workspace stored them, and an end line with the event count.
--out FILE writes it there, gzip-compressed when FILE ends in .gz; without it
the bundle goes to stdout. Needs a read (or admin) token.

\`tally bundle import\` posts a bundle into another workspace, and the app's
home page imports one into the browser.`,
  options: {
    out: { type: "string", arg: "FILE", help: "write the bundle to FILE (.gz: gzip-compressed) instead of stdout" },
    ...RETRIES_OPTION,
  },
  positionals: { min: 0, max: 0 },
  needs: { workspace: true, token: true },
  run: exportBundle,
};

function failed(ctx: Context, doing: string, result: Extract<ApiResult<unknown>, { ok: false }>): number {
  ctx.emitJson({ error: result.error });
  const [first, ...rest] = failureLines(result.error);
  ctx.warn([`tally: could not ${doing}: ${first}`, ...rest].join("\n"));
  return EXIT_FAILED;
}

async function exportBundle(ctx: Context): Promise<number> {
  const out = typeof ctx.values["out"] === "string" ? ctx.values["out"].trim() : undefined;
  if (out === "") throw new UsageError("--out needs a file name", bundleExport);
  // the bundle itself would be on stdout, mixed with the JSON report
  if (ctx.json && out === undefined) throw new UsageError("--json needs --out FILE: without it the bundle is written to stdout", bundleExport);
  const base = `/api/v1/workspaces/${encodeURIComponent(ctx.workspace)}`;
  const startedAt = ctx.io.now();

  const info = await ctx.api.call<{ workspace: WorkspaceInfo }>({ method: "GET", path: base, token: ctx.token });
  if (!info.ok) return failed(ctx, "read the workspace", info);
  const config = await ctx.api.call<ConfigResponse>({ method: "GET", path: `${base}/config`, token: ctx.token });
  if (!config.ok) return failed(ctx, "read the workspace's config", config);
  const { id, name, demo } = info.body.workspace;
  const { fitting, skipped } = fittingConfig(config.body.config as Record<string, unknown>);
  // a key stored under an older schema would make the whole bundle unimportable: it is left out, saying so
  for (const s of skipped) ctx.warn(`tally: config key ${clean(s)}: left out of the bundle`);

  let sink: LineSink;
  try {
    sink = out === undefined ? stdoutSink(ctx.io.stdout) : await fileSink(resolve(ctx.io.cwd, out));
  } catch (e) {
    ctx.emitJson({ error: { code: "write_failed", message: (e as Error).message } });
    ctx.warn(`tally: cannot write ${out}: ${(e as Error).message}`);
    return EXIT_FAILED;
  }
  let events = 0;
  try {
    await sink.write(headerLine({ exported_at: new Date(startedAt).toISOString(), workspace: { id, name, demo }, config: fitting }));
    let after = 0;
    for (;;) {
      const page = await ctx.api.call<PullResponse>({ method: "GET", path: `${base}/events?after=${after}&limit=${LIMITS.pageSize}`, token: ctx.token });
      if (!page.ok) {
        await sink.abort();
        return failed(ctx, `read events after seq ${after}`, page);
      }
      for (const e of page.body.events) await sink.write(eventLine(e));
      events += page.body.events.length;
      if (!page.body.more) break;
      if (page.body.next <= after) throw new Error(`the edge answered more=true without moving past seq ${after}`);
      after = page.body.next;
    }
    await sink.write(endLine(events));
    await sink.close();
  } catch (e) {
    await sink.abort();
    ctx.emitJson({ error: { code: "export_failed", message: (e as Error).message } });
    ctx.warn(`tally: export failed after ${events} events: ${(e as Error).message}`);
    return EXIT_FAILED;
  }

  const keys = Object.keys(fitting);
  ctx.emitJson({ file: out, workspace: { id, name, demo }, events, config_keys: keys, ...(skipped.length > 0 ? { config_skipped: skipped } : {}) });
  // on stdout the bundle is the output: the summary goes to stderr
  const report = `Exported ${events} events and ${keys.length} config key${keys.length === 1 ? "" : "s"} of "${clean(name)}" (${clean(id)})${out === undefined ? "" : ` to ${clean(out)}`}.`;
  if (out === undefined) ctx.warn(report);
  else ctx.say(report);
  return EXIT_OK;
}

/** The config keys today's schemas accept; each other one is named with why (`thresholds: must be …`). */
function fittingConfig(raw: Record<string, unknown>): { fitting: WorkspaceConfig; skipped: string[] } {
  const known: ReadonlySet<string> = new Set(CONFIG_KEYS);
  const fitting: Partial<Record<ConfigKey, unknown>> = {};
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (!known.has(key)) {
      skipped.push(`${key} (not a config key this tally knows)`);
      continue;
    }
    const parsed = CONFIG_SCHEMAS[key as ConfigKey].safeParse(value);
    if (parsed.success) fitting[key as ConfigKey] = parsed.data;
    else skipped.push(`${key} (does not fit today's schema: ${parsed.error.issues[0]?.message ?? "invalid"})`);
  }
  return { fitting: fitting as WorkspaceConfig, skipped };
}

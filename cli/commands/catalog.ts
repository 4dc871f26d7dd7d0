/**
 * `tally catalog import FILE`: an OpenAPI 3 document (JSON or YAML) into the
 * workspace's endpoint catalog, config key `endpoint_catalog`, with the admin
 * token. The stored catalog is read first so the import can merge into it and
 * say what changed; the write names the version it was based on, so a
 * concurrent edit is reported rather than lost in silence.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { CONFIG_SCHEMAS } from "../../shared/config.ts";
import { parseOpenApiCatalog, type EndpointCatalogEntry } from "../../shared/openapi.ts";
import { catalogChange, countedCodes, mergeCatalog, type CatalogChange } from "../../shared/openapi/catalog-change.ts";
import type { ConfigPatchRequest, ConfigPatchResponse, ConfigResponse } from "../../shared/wire.ts";
import { EXIT_FAILED, EXIT_OK, RETRIES_OPTION, type CommandSpec, type Context } from "../command.ts";
import { clean, failureLines } from "../format.ts";
import type { ApiResult } from "../http.ts";
import { readAll } from "../io.ts";

/** Changed endpoints listed one per line before the rest are counted. */
const LISTED = 30;

export const catalogImport: CommandSpec = {
  words: ["catalog", "import"],
  usage: "FILE [--replace] [--dry-run]",
  summary: "store an OpenAPI 3 document's endpoints as the catalog (needs an admin token)",
  description: `Reads an OpenAPI 3 document (JSON or YAML; - reads stdin) and stores its
operations, with their numeric response codes, as the workspace's endpoint
catalog: what the Coverage & risk view and \`tally gate\` measure tests against.

By default the document is merged into the stored catalog: its endpoints are
added or updated, others are kept (a workspace may document several services).
--replace makes the catalog exactly the document's. Range codes (2XX) and
\`default\` responses are skipped with a warning; server base paths are not
prepended to paths.`,
  options: {
    replace: { type: "boolean", help: "make the catalog exactly the document's, dropping endpoints it does not list" },
    "dry-run": { type: "boolean", help: "show what would change without writing" },
    ...RETRIES_OPTION,
  },
  positionals: { min: 1, max: 1 },
  needs: { workspace: true, token: true },
  run: importCatalog,
};

function configPath(ctx: Context): string {
  return `/api/v1/workspaces/${encodeURIComponent(ctx.workspace)}/config`;
}

function failed(ctx: Context, doing: string, result: Extract<ApiResult<unknown>, { ok: false }>): number {
  ctx.emitJson({ error: result.error });
  const [first, ...rest] = failureLines(result.error);
  const hint = result.error.code === "insufficient_scope" ? ["  tally catalog import writes the workspace's config: pass an admin token with --token"] : [];
  ctx.warn([`tally: could not ${doing}: ${first}`, ...rest, ...hint].join("\n"));
  return EXIT_FAILED;
}

/** A problem with the input itself: said on stderr, or as the JSON document. */
function refused(ctx: Context, message: string): number {
  ctx.emitJson({ error: { code: "invalid_document", message } });
  ctx.warn(`tally: ${message}`);
  return EXIT_FAILED;
}

async function readText(ctx: Context, arg: string): Promise<{ text: string } | { error: string }> {
  let bytes: Buffer;
  try {
    bytes = arg === "-" ? await readAll(ctx.io.stdin) : await readFile(resolve(ctx.io.cwd, arg));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { error: `cannot read ${arg}: ${err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "it is a directory" : err.message}` };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { error: `${arg}: not valid UTF-8` };
  }
}

function codeList(codes: readonly number[] | undefined): string {
  return codes && codes.length > 0 ? codes.join(" ") : "(no codes)";
}

function changeLines(change: CatalogChange): string[] {
  const lines = [
    ...change.added.map((e) => `  + ${e.method} ${clean(e.endpoint)}  ${codeList(e.responses)}`),
    ...change.changed.map((e) => `  ~ ${e.method} ${clean(e.endpoint)}  ${codeList(e.before)} -> ${codeList(e.after)}`),
    ...change.removed.map((e) => `  - ${e.method} ${clean(e.endpoint)}  ${codeList(e.responses)}`),
  ];
  return lines.length > LISTED ? [...lines.slice(0, LISTED), `  (and ${lines.length - LISTED} more)`] : lines;
}

function summary(change: CatalogChange, kept: number): string {
  const parts = [`${change.added.length} added`, `${change.changed.length} changed`, `${change.removed.length} removed`, `${change.unchanged} unchanged`];
  const keptText = kept > 0 ? `; ${kept} endpoint${kept === 1 ? "" : "s"} the document does not list kept (--replace drops them)` : "";
  return `${parts.join(", ")}${keptText}`;
}

async function importCatalog(ctx: Context): Promise<number> {
  const arg = ctx.args[0]!;
  const name = arg === "-" ? "<stdin>" : arg;
  const read = await readText(ctx, arg);
  if ("error" in read) return refused(ctx, read.error);
  const parsed = parseOpenApiCatalog(read.text);
  if (!parsed.ok) return refused(ctx, `${name}: ${parsed.error}`);
  for (const warning of parsed.warnings) ctx.warn(`tally: ${name}: warning: ${warning}`);
  if (parsed.entries.length === 0) return refused(ctx, `${name} declares no operations; nothing to import`);

  const current = await ctx.api.call<ConfigResponse>({ method: "GET", path: configPath(ctx), token: ctx.token });
  if (!current.ok) return failed(ctx, "read the workspace's config", current);
  const stored: EndpointCatalogEntry[] = current.body.config.endpoint_catalog ?? [];
  const baseVersion = current.body.versions.endpoint_catalog ?? 0;
  const replace = ctx.values["replace"] === true;
  const next = mergeCatalog(stored, parsed.entries, replace);
  const fits = CONFIG_SCHEMAS.endpoint_catalog.safeParse(next);
  if (!fits.success) {
    return refused(ctx, `the merged catalog would hold ${next.length} endpoints; a catalog holds ${fits.error.issues[0]!.message} (--replace imports the document alone)`);
  }
  const change = catalogChange(stored, next);
  const kept = next.length - parsed.entries.length;
  const document = `${parsed.title ? `"${clean(parsed.title)}" ` : ""}${name === "<stdin>" ? "from stdin" : `from ${clean(name)}`}`;
  const intro = `${document}: ${parsed.entries.length} endpoints, ${countedCodes(parsed.entries)} response codes.`;
  const unchanged = change.added.length + change.changed.length + change.removed.length === 0;
  const report = {
    file: name,
    title: parsed.title ?? null,
    warnings: parsed.warnings,
    endpoints: parsed.entries.length,
    response_codes: countedCodes(parsed.entries),
    catalog: { endpoints: next.length, response_codes: countedCodes(next) },
    added: change.added,
    changed: change.changed,
    removed: change.removed,
    unchanged: change.unchanged,
    kept,
  };

  if (unchanged || ctx.values["dry-run"] === true) {
    ctx.emitJson({ ...report, written: false, version: baseVersion });
    const what = unchanged ? "The stored catalog already matches; nothing written." : "Dry run: nothing written. Importing would change the catalog:";
    ctx.say([`Read ${intro}`, what, ...(unchanged ? [] : [summary(change, kept), ...changeLines(change)])].join("\n"));
    return EXIT_OK;
  }

  const request: ConfigPatchRequest = { set: { endpoint_catalog: next }, base_versions: { endpoint_catalog: baseVersion } };
  // the key is written whole, so repeating the write after a lost answer stores the same thing
  const written = await ctx.api.call<ConfigPatchResponse>({
    method: "PATCH",
    path: configPath(ctx),
    token: ctx.token,
    body: () => ({ data: JSON.stringify(request), headers: { "Content-Type": "application/json" } }),
  });
  if (!written.ok) {
    const code = failed(ctx, "write the endpoint catalog", written);
    if (written.error.status === 413) {
      const bytes = new TextEncoder().encode(JSON.stringify(request)).length;
      ctx.warn(`tally: the write was ${bytes} bytes of JSON for ${next.length} endpoints; import fewer endpoints (split the document) or raise the edge's limit`);
    }
    return code;
  }
  const version = written.body.versions.endpoint_catalog;
  const overwritten = written.body.overwritten.find((o) => o.key === "endpoint_catalog");
  ctx.emitJson({ ...report, written: true, version, overwritten: overwritten ?? null });
  if (overwritten) {
    ctx.warn(
      `tally: warning: the catalog changed while importing (version ${overwritten.base_version} was read, ${overwritten.replaced_version} replaced); ` +
        "that other change is not in the imported catalog: check it, or import again to merge into it",
    );
  }
  ctx.say(
    [
      `Imported ${intro}`,
      `Catalog now: ${next.length} endpoints, ${countedCodes(next)} response codes (version ${version}).`,
      summary(change, kept),
      ...changeLines(change),
    ].join("\n"),
  );
  return EXIT_OK;
}

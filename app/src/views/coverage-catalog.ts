/**
 * An OpenAPI document chosen for import, read into the endpoints it declares,
 * or the reason it cannot: unreadable, too large, not OpenAPI 3, no
 * endpoints, or a catalog the config schema refuses (named by endpoint); and
 * what importing it does to the stored catalog, merged (as `tally catalog
 * import` does by default) or replaced. Pure, so the import control only
 * renders what this says.
 */
import { CONFIG_SCHEMAS } from "../../../shared/config.ts";
import { parseOpenApiCatalog } from "../../../shared/openapi.ts";
import { catalogChange, mergeCatalog, type CatalogChange } from "../../../shared/openapi/catalog-change.ts";
import type { CatalogEntry } from "./coverage-edge.ts";

/** Larger documents exist, but a catalog of 2000 endpoints fits well within this. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** What an import would write. */
export interface CatalogPreview {
  file: string;
  title?: string;
  entries: CatalogEntry[];
  /** Documented response codes, an endpoint without any counting as one (as coverage counts them). */
  codes: number;
  warnings: string[];
}

export type CatalogReading = { ok: true; preview: CatalogPreview } | { ok: false; problem: string };

/** Where the config schema refuses a catalog, in words: "endpoint 3 (GET /x), responses.0: must be a status code". */
export function catalogProblem(entries: CatalogEntry[]): string | null {
  const parsed = CONFIG_SCHEMAS.endpoint_catalog.safeParse(entries);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  const [index, ...rest] = issue.path;
  if (typeof index !== "number") return issue.message;
  const entry = entries[index];
  const what = entry ? ` (${entry.method} ${entry.endpoint})` : "";
  return `endpoint ${index + 1}${what}${rest.length > 0 ? `, ${rest.join(".")}` : ""}: ${issue.message}`;
}

/** Documented response codes of a catalog, an endpoint without any counting as one. */
export function documentedCodes(entries: readonly CatalogEntry[]): number {
  return entries.reduce((n, e) => n + Math.max(1, e.responses?.length ?? 0), 0);
}

/** Whether a file of `size` bytes is small enough to read; the reason when not. */
export function documentTooLarge(file: string, size: number): string | null {
  return size > MAX_DOCUMENT_BYTES ? `${file} is ${size} bytes; documents up to ${MAX_DOCUMENT_BYTES} bytes (5 MB) are imported.` : null;
}

/** Reads a chosen document's text into the catalog it would become. */
export function readCatalogDocument(file: string, text: string): CatalogReading {
  const parsed = parseOpenApiCatalog(text);
  if (!parsed.ok) return { ok: false, problem: `${file} is not an OpenAPI 3 document Tally can read: ${parsed.error}` };
  if (parsed.entries.length === 0) return { ok: false, problem: `${file} declares no endpoints (no operations under "paths"), so there is nothing to import.` };
  const refused = catalogProblem(parsed.entries);
  if (refused) return { ok: false, problem: `${file} cannot be the catalog: ${refused}` };
  return {
    ok: true,
    preview: { file, ...(parsed.title ? { title: parsed.title } : {}), entries: parsed.entries, codes: documentedCodes(parsed.entries), warnings: parsed.warnings },
  };
}

/** The catalog an import writes, what it changes, or why the result cannot be stored. */
export interface ImportPlan {
  catalog: CatalogEntry[];
  change: CatalogChange;
  problem: string | null;
}

/** Importing `entries` onto `stored`: merged (stored endpoints the document lacks are kept) or replacing it. */
export function planImport(stored: readonly CatalogEntry[], entries: readonly CatalogEntry[], replace: boolean): ImportPlan {
  const catalog = mergeCatalog(stored, entries, replace);
  const problem = catalogProblem(catalog);
  return { catalog, change: catalogChange(stored, catalog), problem: problem === null ? null : `the catalog after the import cannot be stored: ${problem}` };
}

/** "2 added, 1 changed, 3 removed" (the parts that are not zero), or "no change". */
export function describeChange(change: CatalogChange): string {
  const parts = [
    [change.added.length, "added"],
    [change.changed.length, "changed"],
    [change.removed.length, "removed"],
  ].filter(([n]) => (n as number) > 0);
  return parts.length === 0 ? "no change" : parts.map(([n, what]) => `${n as number} ${what as string}`).join(", ");
}

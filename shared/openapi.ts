/**
 * A workspace's endpoint catalog from an OpenAPI 3 document (DESIGN.md,
 * "Coverage & risk"): one entry per operation (path × method) with the numeric
 * response codes it documents, the denominator of endpoint coverage.
 *
 * Path templates are kept as written (`/users/{id}`) and `servers` base paths
 * are not prepended: a document may list several servers, and tests and mocks
 * name endpoints by the paths the document declares. Range codes (`2XX`) and
 * `default` cannot be exercised as one code, so they are skipped with a
 * warning. Any 3.x document is read (its paths and responses have one shape);
 * Swagger 2.0 is refused. Limits come from the config schema itself.
 */
import type { z } from "zod";
import { CONFIG_SCHEMAS } from "./config.ts";
import { readDocumentText } from "./openapi/document-text.ts";

/** One documented endpoint, as config key `endpoint_catalog` stores it. */
export type EndpointCatalogEntry = z.output<(typeof CONFIG_SCHEMAS)["endpoint_catalog"]>[number];

/** What an import found: the entries, notes on what was skipped, and the document's title; or why it failed. */
export type OpenApiCatalog = { ok: true; entries: EndpointCatalogEntry[]; warnings: string[]; title?: string } | { ok: false; error: string };

/** The operations of a path item that OpenAPI 3 defines, in the order entries are listed. */
export const OPENAPI_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** How deep path-item `$ref`s may chain before it is taken for a loop. */
const MAX_REF_DEPTH = 10;
/** Places each warning names before it says how many more there are. */
const PLACES_SHOWN = 5;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Warnings of one kind are gathered into one line, so a large document does not print thousands. */
const WARNING_TEXT = {
  range: "range codes like 2XX are not countable response codes; skipped at",
  default: "`default` responses are not countable response codes; skipped at",
  unknown: "keys that are not status codes (100-599) were skipped at",
  noResponses: "operations that declare no responses count as one code each, covered by any test of them:",
  notPath: "path names must start with /; skipped",
  externalRef: "path item $refs to other documents are not followed, so only their own operations are read:",
} as const;

class Warnings {
  private readonly places = new Map<keyof typeof WARNING_TEXT, string[]>();

  note(kind: keyof typeof WARNING_TEXT, place: string): void {
    const list = this.places.get(kind) ?? [];
    list.push(place);
    this.places.set(kind, list);
  }

  lines(): string[] {
    return [...this.places].map(([kind, places]) => {
      const shown = places.slice(0, PLACES_SHOWN).join(", ");
      const more = places.length > PLACES_SHOWN ? ` (and ${places.length - PLACES_SHOWN} more)` : "";
      return `${WARNING_TEXT[kind]} ${shown}${more}`;
    });
  }
}

/** Why the document is not one this reads, or undefined when it is OpenAPI 3. */
function versionProblem(doc: Json): string | undefined {
  if (doc["swagger"] !== undefined) {
    return `Swagger ${String(doc["swagger"])} documents are not supported: convert it to OpenAPI 3 first (for example with swagger2openapi)`;
  }
  const version = doc["openapi"];
  if (version === undefined) return "not an OpenAPI document: it has no `openapi` version field at the top level";
  // YAML reads an unquoted `openapi: 3.1` as a number
  const text = typeof version === "number" || typeof version === "string" ? String(version).trim() : undefined;
  if (text === undefined || !/^3(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$/.test(text)) {
    return `openapi: version ${text === undefined ? describe(version) : `"${text}"`} is not supported; the catalog reads OpenAPI 3 documents (3.0, 3.1)`;
  }
  return undefined;
}

/** The value a local JSON pointer (`#/components/pathItems/Users`) names, or undefined. */
function pointer(doc: Json, ref: string): unknown {
  let at: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    } catch {
      return undefined;
    }
    if (!isObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

type Resolved = { item: Json | undefined } | { error: string };

/** A path item with a local `$ref` followed; its own fields win over the referenced ones, as OpenAPI 3.1 has it. */
function resolvePathItem(doc: Json, value: unknown, at: string, warnings: Warnings, depth = 0): Resolved {
  if (value === null || value === undefined) return { item: undefined };
  if (!isObject(value)) return { error: `${at}: a path item must be an object, not ${describe(value)}` };
  const ref = value["$ref"];
  if (ref === undefined) return { item: value };
  if (typeof ref !== "string") return { error: `${at}.$ref: must be a string, not ${describe(ref)}` };
  const { $ref: _ref, ...own } = value;
  if (!ref.startsWith("#/")) {
    warnings.note("externalRef", `${at} (${ref})`);
    return { item: own };
  }
  if (depth >= MAX_REF_DEPTH) return { error: `${at}.$ref: more than ${MAX_REF_DEPTH} $refs in a chain; is there a loop?` };
  const target = pointer(doc, ref);
  if (target === undefined) return { error: `${at}.$ref: "${ref}" names nothing in the document` };
  const resolved = resolvePathItem(doc, target, ref, warnings, depth + 1);
  if ("error" in resolved) return resolved;
  return { item: { ...resolved.item, ...own } };
}

/** The numeric codes of an operation's `responses`, ascending; an error string when it is not an object. */
function responseCodes(value: unknown, at: string, warnings: Warnings): number[] | string {
  if (value === undefined || value === null) {
    warnings.note("noResponses", at.replace(/\.responses$/, ""));
    return [];
  }
  if (!isObject(value)) return `${at}: must be an object of status code to response, not ${describe(value)}`;
  const codes = new Set<number>();
  for (const key of Object.keys(value)) {
    if (/^[1-5]\d\d$/.test(key)) codes.add(Number(key));
    else if (/^[1-5]xx$/i.test(key)) warnings.note("range", `${at}.${key}`);
    else if (key === "default") warnings.note("default", `${at}.default`);
    // extensions are the document's own annotations, not responses
    else if (!key.startsWith("x-")) warnings.note("unknown", `${at}.${key}`);
  }
  return [...codes].sort((a, b) => a - b);
}

/** A failed check of the config schema, said in terms of the document. */
function limitError(issue: z.core.$ZodIssue, entries: EndpointCatalogEntry[], places: string[]): string {
  const [index, field] = issue.path;
  if (typeof index !== "number") return `the document declares ${entries.length} operations; a catalog holds ${issue.message}`;
  const place = places[index] ?? `operation ${index + 1}`;
  const entry = entries[index];
  if (field === "responses" && issue.path.length === 2) {
    return `${place}.responses declares ${entry?.responses?.length ?? 0} response codes; an endpoint holds ${issue.message}`;
  }
  if (field === "endpoint") return `${place}: the path is too long: ${issue.message}`;
  return `${place}${field === undefined ? "" : ` (${issue.path.slice(1).join(".")})`}: ${issue.message}`;
}

/**
 * Reads an OpenAPI 3 document (JSON or YAML text) into catalog entries: every
 * operation of every path, methods upper-case, with its documented numeric
 * response codes (left out when it documents none, so it counts as one code).
 * Errors name the place: the parser's line and column, or the document path
 * such as `paths./users.get.responses`.
 */
export function parseOpenApiCatalog(text: string): OpenApiCatalog {
  const read = readDocumentText(text);
  if (!read.ok) return read;
  const doc = read.value;
  if (!isObject(doc)) return { ok: false, error: `not an OpenAPI document: the top level is ${describe(doc)}, not an object` };
  const problem = versionProblem(doc);
  if (problem) return { ok: false, error: problem };

  const info = doc["info"];
  const title = isObject(info) && typeof info["title"] === "string" && info["title"].trim() !== "" ? info["title"].trim() : undefined;
  const warnings = new Warnings();
  const entries: EndpointCatalogEntry[] = [];
  const places: string[] = [];
  const paths = doc["paths"] ?? {};
  if (!isObject(paths)) return { ok: false, error: `paths: must be an object of path to path item, not ${describe(paths)}` };

  for (const [path, value] of Object.entries(paths)) {
    if (path.startsWith("x-")) continue;
    const at = `paths.${path}`;
    if (!path.startsWith("/")) {
      warnings.note("notPath", at);
      continue;
    }
    const resolved = resolvePathItem(doc, value, at, warnings);
    if ("error" in resolved) return { ok: false, error: resolved.error };
    const item = resolved.item;
    if (item === undefined) continue;
    for (const method of OPENAPI_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const place = `${at}.${method}`;
      if (!isObject(operation)) return { ok: false, error: `${place}: an operation must be an object, not ${describe(operation)}` };
      const codes = responseCodes(operation["responses"], `${place}.responses`, warnings);
      if (typeof codes === "string") return { ok: false, error: codes };
      const entry: EndpointCatalogEntry = { method: method.toUpperCase(), endpoint: path };
      if (codes.length > 0) entry.responses = codes;
      entries.push(entry);
      places.push(place);
    }
  }

  const checked = CONFIG_SCHEMAS.endpoint_catalog.safeParse(entries);
  if (!checked.success) return { ok: false, error: limitError(checked.error.issues[0]!, entries, places) };
  const notes = warnings.lines();
  if (entries.length === 0) notes.push("the document declares no operations: the catalog would be empty");
  return { ok: true, entries, warnings: notes, ...(title === undefined ? {} : { title }) };
}

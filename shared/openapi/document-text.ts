/**
 * Turns the text of an OpenAPI document into a plain value: JSON when it reads
 * as JSON, YAML otherwise. JSON is parsed strictly first because YAML's flow
 * syntax would quietly accept broken JSON (`"a": }` reads as null); errors
 * carry a line and column.
 */
import { parseDocument } from "yaml";
import { jsonSyntaxError } from "./json-syntax.ts";

/** A parsed document, or why the text could not be read. */
export type DocumentText = { ok: true; value: unknown; format: "json" | "yaml" } | { ok: false; error: string };

/** How far YAML aliases may expand (the `yaml` package's measure): a guard against "billion laughs" documents. */
export const MAX_YAML_ALIASES = 100;

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/** Where JSON.parse gave up, found by our own scan since engines word (and place) it differently. */
function jsonError(text: string, error: unknown): string {
  const found = jsonSyntaxError(text);
  if (found === undefined) return `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
  const at = lineColumn(text, found.offset);
  return `invalid JSON at line ${at.line}, column ${at.column}: ${found.reason}`;
}

/** Reads the text as JSON (when it starts with `{`) or YAML. */
export function readDocumentText(source: string): DocumentText {
  const text = source.replace(/^\uFEFF/, "");
  if (text.trim() === "") return { ok: false, error: "the document is empty" };
  if (text.trimStart().startsWith("{")) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown, format: "json" };
    } catch (e) {
      return { ok: false, error: jsonError(text, e) };
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    // the parser's message ends with its own location and a quote of the line; ours leads instead
    const reason = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    return { ok: false, error: `invalid YAML${at ? ` at line ${at.line}, column ${at.col}` : ""}: ${reason}` };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown, format: "yaml" };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/alias/i.test(message)) {
      return { ok: false, error: `invalid YAML: its aliases expand too far; refused as a guard against resource exhaustion` };
    }
    return { ok: false, error: `invalid YAML: ${message}` };
  }
}

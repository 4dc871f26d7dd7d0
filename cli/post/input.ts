/**
 * Files to events for `tally post`: reads a file (or stdin), undoes gzip,
 * decides JSON, NDJSON or a JUnit XML report, parses events with the edge's own
 * parser (shared/batch.ts) so both accept exactly the same inputs, and gives
 * id-less events ids derived from the file's bytes, so posting the same file
 * again can never store anything twice. Reports are left for the edge to
 * parse: it is the one place that reads XML.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseBatch, type BatchFormat } from "../../shared/batch.ts";
import { LIMITS } from "../../shared/event.ts";
import type { Issue } from "../../shared/validate.ts";
import { readAll, type FullIo } from "../io.ts";

/** A file of events ready to post. */
export interface InputFile {
  /** Optional, so files built in code (the demo) need not say it. */
  kind?: "events";
  /** As the user wrote it; `<stdin>` for `-`. */
  name: string;
  /** Events in file order, id-less ones given an id. */
  events: unknown[];
  /** How many ids this CLI filled in. */
  idsFilled: number;
}

/** A JUnit XML report, posted whole to the junit endpoint. */
export interface ReportFile {
  kind: "junit";
  name: string;
  /** The report's bytes, decompressed. */
  xml: Buffer;
}

export type LoadResult = { ok: true; file: InputFile | ReportFile } | { ok: false; name: string; problems: string[] };

const ID_HASH_CHARS = 20;
/** A gzip file is read whole, like any other; past this it is a mistake or a bomb. */
const MAX_GUNZIP_BYTES = 256 * 1024 * 1024;

/** How the name says the file is written; undefined means sniff. */
export function formatFromName(path: string): BatchFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
  if (ext === ".json") return "json";
  return undefined;
}

/** Names that say JUnit XML: `.xml`, and `.xml.gz` (decompressed on reading). */
export function isXmlName(path: string): boolean {
  return /\.xml(\.gz)?$/i.test(path);
}

/** Gzip's magic bytes: a compressed file is read the same whatever its name. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** JSON first (a pretty-printed array spans lines), NDJSON when that fails. */
export function parseSniffed(text: string): ReturnType<typeof parseBatch> {
  const asJson = parseBatch(text, "json");
  if (asJson.ok) return asJson;
  // a whole-text object with `events` is the batch envelope, just a wrong one: its issues are the useful ones
  const whole = tryJson(text);
  if (whole !== undefined && whole !== null && typeof whole === "object" && "events" in whole) return asJson;
  const asNdjson = parseBatch(text, "ndjson");
  if (asNdjson.ok) return asNdjson;
  // both failed: a first line that is JSON on its own says the file was meant as NDJSON
  const firstLine = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return tryJson(firstLine) !== undefined ? asNdjson : asJson;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `<first 20 hex of sha256(bytes)>-<index>`: the same file always yields the same ids. */
export function fillIds(events: unknown[], bytes: Uint8Array): { events: unknown[]; filled: number } {
  const prefix = createHash("sha256").update(bytes).digest("hex").slice(0, ID_HASH_CHARS);
  let filled = 0;
  const out = events.map((event, index) => {
    // only plain objects without the key: an id that is there, even a bad one, is the sender's to fix
    if (event === null || typeof event !== "object" || Array.isArray(event) || "id" in event) return event;
    filled++;
    return { id: `${prefix}-${index}`, ...event };
  });
  return { events: out, filled };
}

function issueText(issue: Issue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** Reads and parses one FILE argument; problems are ready-to-print `FILE: ...` lines. */
export async function loadInput(arg: string, io: FullIo): Promise<LoadResult> {
  const name = arg === "-" ? "<stdin>" : arg;
  let bytes: Buffer;
  try {
    bytes = arg === "-" ? await readAll(io.stdin) : await readFile(resolve(io.cwd, arg));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a directory" : err.message;
    return { ok: false, name, problems: [`FILE: ${name}: cannot read: ${why}`] };
  }
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
    } catch (e) {
      const tooBig = (e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
      return { ok: false, name, problems: [`FILE: ${name}: ${tooBig ? `decompresses to more than ${MAX_GUNZIP_BYTES} bytes` : "is not valid gzip"}`] };
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, name, problems: [`FILE: ${name}: not valid UTF-8`] };
  }
  // editors on Windows like to start files with a byte-order mark; JSON.parse does not
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const xmlByName = arg !== "-" && isXmlName(arg);
  if (xmlByName || text.trimStart().startsWith("<")) return reportFile(name, text, bytes, xmlByName);

  const format = arg === "-" ? undefined : formatFromName(arg.replace(/\.gz$/i, ""));
  const parsed = format ? parseBatch(text, format) : parseSniffed(text);
  if (!parsed.ok) return { ok: false, name, problems: parsed.issues.map((i) => `FILE: ${name}: ${issueText(i)}`) };
  // the file's own sent_at is dropped: each request carries its real send time instead
  const { events, filled } = fillIds(parsed.value.events, bytes);
  return { ok: true, file: { kind: "events", name, events, idsFilled: filled } };
}

/** A report checked only as far as the edge would refuse it whole: XML-looking, within the body limit. */
function reportFile(name: string, text: string, bytes: Buffer, byName: boolean): LoadResult {
  if (!text.trimStart().startsWith("<")) {
    return { ok: false, name, problems: [`FILE: ${name}: ${byName ? "named .xml but " : ""}does not start with "<": not an XML report`] };
  }
  if (bytes.byteLength > LIMITS.bodyBytes) {
    return {
      ok: false,
      name,
      problems: [`FILE: ${name}: the report is ${bytes.byteLength} bytes; the edge takes at most ${LIMITS.bodyBytes} bytes per report (split it: most runners can write one file per suite)`],
    };
  }
  return { ok: true, file: { kind: "junit", name, xml: bytes } };
}

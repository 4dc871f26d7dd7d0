/**
 * Reads and checks a workspace bundle (bundle.ts) one line at a time. Events
 * are checked with the same schema the edge ingests with, config keys with
 * CONFIG_SCHEMAS, and every problem names its line and field, so a bad file
 * is refused whole, before anything of it is stored or posted. The reader
 * keeps no events: memory stays flat however large the bundle.
 */
import { z } from "zod";
import { BUNDLE_FORMAT, BUNDLE_VERSION, postedEventText, type BundleEvent, type BundleHeader } from "./bundle.ts";
import { CONFIG_KEYS, CONFIG_SCHEMAS, type ConfigKey, type WorkspaceConfig } from "./config.ts";
import { EARLIEST_TS, EVENT_TYPES, LIMITS, type EventType, type Props } from "./event.ts";
import { toEpochMs, utf8Length } from "./ingest.ts";
import { fromSchema, timestamp, wireEvent } from "./validate.ts";

/** One problem in a bundle: the line (1-based) and the field inside it. */
export interface BundleIssue {
  line: number;
  /** Dotted field path inside the line, e.g. `props.status` or `config.thresholds`; empty for the line itself. */
  path: string;
  message: string;
}

/** Problems kept in full; past this only their number grows, so a wholly wrong file stays cheap to report. */
export const MAX_ISSUES = 50;

/** What one line held. */
export type BundleItem = { kind: "header"; header: BundleHeader } | { kind: "event"; event: BundleEvent } | { kind: "end"; events: number } | { kind: "none" };

const headerSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT, { error: `must be "${BUNDLE_FORMAT}"` }),
  version: z.literal(BUNDLE_VERSION, { error: (i) => (typeof i.input === "number" && i.input > BUNDLE_VERSION ? `bundle version ${i.input} is newer than this Tally reads (${BUNDLE_VERSION})` : `must be ${BUNDLE_VERSION}`) }),
  exported_at: z.iso.datetime({ offset: true, error: "must be ISO-8601 date-time with a zone" }),
  workspace: z.strictObject(
    {
      id: z.string({ error: "must be a string" }).min(1, "must not be empty").max(LIMITS.idChars, `ids are limited to ${LIMITS.idChars} characters`),
      name: z.string({ error: "must be a string" }).max(200, "names are limited to 200 characters"),
      demo: z.boolean({ error: "must be true or false" }),
    },
    { error: "must be an object with id, name and demo" },
  ),
  // each key is checked on its own (configKeys): one that no longer fits is skipped, not the whole bundle
  config: z.record(z.string(), z.unknown(), { error: "must be an object of config key to value" }),
});

// the wire event with the fields a stored event always has made required
const eventSchema = wireEvent.extend({
  id: wireEvent.shape.id.unwrap(),
  ts: timestamp,
  received_at: timestamp,
  props: wireEvent.shape.props.unwrap(),
});

const endSchema = z.strictObject({
  end: z.strictObject({ events: z.number().refine(Number.isInteger, "must be a whole number").min(0, "must not be negative") }, { error: "must be an object with events" }),
});

/**
 * Feed a bundle's lines in order with `line`, then call `finish`. Each line's
 * content is returned as soon as it is read; `issues` collects every problem
 * (the first MAX_ISSUES of them; `issueCount` counts all).
 */
export class BundleReader {
  readonly issues: BundleIssue[] = [];
  issueCount = 0;
  /** What was skipped without refusing the bundle: config keys that do not fit today's schema. */
  readonly warnings: BundleIssue[] = [];
  header: BundleHeader | null = null;
  /** The first line was not a bundle header at all: reading on would only list every line as wrong. */
  notABundle = false;
  /** Event lines read so far, valid or not. */
  events = 0;
  private lineNo = 0;
  private ended: number | null = null;

  /** Reads the next line (without its newline; a trailing CR is ignored). */
  line(text: string): BundleItem {
    const no = ++this.lineNo;
    const trimmed = text.trim();
    if (trimmed === "") return { kind: "none" };
    if (this.ended !== null) {
      this.issue(no, "", "text after the end line");
      return { kind: "none" };
    }
    const first = this.header === null;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      if (first) return this.readHeader(no, undefined);
      this.events++;
      this.issue(no, "", `not valid JSON: ${(e as Error).message}`);
      return { kind: "none" };
    }
    if (first) return this.readHeader(no, value);
    if (value !== null && typeof value === "object" && "end" in value) return this.readEnd(no, value);
    this.events++;
    const item = this.readEvent(no, value);
    // the edge's per-event size limit, on exactly what is posted (no received_at; ts as epoch ms). No
    // character of a line becomes more than 6 bytes of that text, so only long lines need measuring
    if (item.kind === "event" && trimmed.length * 6 > LIMITS.eventBytes) {
      const size = utf8Length(postedEventText(item.event));
      if (size > LIMITS.eventBytes) {
        this.issue(no, "", `event is ${size} bytes as posted; the limit is ${LIMITS.eventBytes}`);
        return { kind: "none" };
      }
    }
    return item;
  }

  /** Call after the last line: a bundle without its end line (or with a wrong count) was cut short. */
  finish(): BundleIssue[] {
    const at = this.lineNo + 1;
    if (this.notABundle) return this.issues;
    if (this.header === null) this.issue(1, "", "the file is empty: a bundle starts with its header line");
    else if (this.ended === null) this.issue(at, "", `the end line is missing after ${this.events} events: the bundle was cut short (an interrupted download or export?)`);
    else if (this.ended !== this.events) this.issue(at, "", `the end line says ${this.ended} events, the bundle holds ${this.events}`);
    return this.issues;
  }

  /** Whether everything read so far (and at `finish`) was valid. */
  get ok(): boolean {
    return this.issueCount === 0;
  }

  private readHeader(no: number, value: unknown): BundleItem {
    const checked = fromSchema(headerSchema.safeParse(value));
    if (!checked.ok) {
      const looksLike = value !== null && typeof value === "object" && (value as { format?: unknown }).format === BUNDLE_FORMAT;
      if (!looksLike) {
        this.notABundle = true;
        this.issue(no, "", `not a Tally bundle: the first line must be its header, with "format": "${BUNDLE_FORMAT}"`);
      } else for (const i of checked.issues) this.issue(no, i.path, i.message);
      // a header that is there but wrong still counts as the header, so later lines are read as events
      this.header = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exported_at: "", workspace: { id: "", name: "", demo: false }, config: {} };
      return { kind: "none" };
    }
    this.header = { ...checked.value, config: this.configKeys(no, checked.value.config) } as BundleHeader;
    return { kind: "header", header: this.header };
  }

  /** The config keys that fit today's schema; each other one is skipped with a warning naming it. */
  private configKeys(no: number, raw: Record<string, unknown>): WorkspaceConfig {
    const known: ReadonlySet<string> = new Set(CONFIG_KEYS);
    const out: Partial<Record<ConfigKey, unknown>> = {};
    // known keys in CONFIG_KEYS order, as the schema wrote them, then the unknown ones
    for (const key of [...CONFIG_KEYS.filter((k) => Object.hasOwn(raw, k)), ...Object.keys(raw).filter((k) => !known.has(k))]) {
      if (!known.has(key)) {
        this.warnings.push({ line: no, path: `config.${key}`, message: "not a config key this Tally knows; skipped" });
        continue;
      }
      const parsed = fromSchema<unknown>((CONFIG_SCHEMAS[key as ConfigKey] as z.ZodType).safeParse(raw[key]));
      if (parsed.ok) out[key as ConfigKey] = parsed.value;
      else {
        const first = parsed.issues[0];
        const where = first?.path ? `config.${key}.${first.path}` : `config.${key}`;
        this.warnings.push({ line: no, path: where, message: `${first?.message ?? "does not fit"}; the key ${key} does not fit today's schema and was skipped` });
      }
    }
    return out as WorkspaceConfig;
  }

  private readEnd(no: number, value: object): BundleItem {
    const checked = fromSchema(endSchema.safeParse(value));
    if (!checked.ok) {
      for (const i of checked.issues) this.issue(no, i.path, i.message);
      return { kind: "none" };
    }
    this.ended = checked.value.end.events;
    return { kind: "end", events: this.ended };
  }

  private readEvent(no: number, value: unknown): BundleItem {
    const fast = plainEvent(value);
    if (fast) return { kind: "event", event: fast };
    const checked = fromSchema(eventSchema.safeParse(value));
    if (!checked.ok) {
      for (const i of checked.issues) this.issue(no, i.path, i.message);
      return { kind: "none" };
    }
    const e = checked.value;
    let reserved = false;
    for (const key of RESERVED_KEYS) {
      if (Object.hasOwn(e.props, key)) {
        reserved = true;
        this.issue(no, `props.${key}`, `"${key}" cannot be a prop key`);
      }
    }
    if (reserved) return { kind: "none" };
    return { kind: "event", event: { id: e.id, ts: toEpochMs(e.ts), received_at: toEpochMs(e.received_at), type: e.type, name: e.name, props: e.props } };
  }

  private issue(line: number, path: string, message: string): void {
    this.issueCount++;
    if (this.issues.length < MAX_ISSUES) this.issues.push({ line, path, message });
  }
}

const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/** Prop keys that name an object's own machinery: stored as keys of plain objects, they would break the store. */
const RESERVED_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];
const RESERVED: ReadonlySet<string> = new Set(RESERVED_KEYS);

function epochMs(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= EARLIEST_TS && v <= 8.64e15;
}

/**
 * The event when it is valid in the usual way (epoch-ms times, every limit
 * met), checked by hand: the schema costs tens of microseconds an event, a
 * minute for a million. Anything else, valid or not, is left to the schema,
 * which alone words the problems; so this accepts nothing the schema refuses.
 */
function plainEvent(value: unknown): BundleEvent | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const e = value as Record<string, unknown>;
  let fields = 0;
  for (const _ in e) fields++;
  if (fields !== 6) return null;
  const { id, ts, received_at, type, name, props } = e;
  if (typeof id !== "string" || id.length < 1 || id.length > LIMITS.idChars) return null;
  if (!epochMs(ts) || !epochMs(received_at)) return null;
  if (typeof type !== "string" || !TYPES.has(type)) return null;
  if (typeof name !== "string" || name.length < 1 || name.length > LIMITS.nameChars) return null;
  if (props === null || typeof props !== "object" || Array.isArray(props)) return null;
  let keys = 0;
  for (const key in props) {
    if (++keys > LIMITS.propsPerEvent || key.length < 1 || key.length > LIMITS.propKeyChars || RESERVED.has(key)) return null;
    const v = (props as Record<string, unknown>)[key];
    if (typeof v === "string" ? v.length > LIMITS.propStringChars : typeof v === "number" ? !Number.isFinite(v) : typeof v !== "boolean") return null;
  }
  return { id, ts, received_at, type: type as EventType, name, props: props as Props };
}

/** An issue as one line of text: `line 12, props.status: must be …`. */
export function formatBundleIssue(issue: BundleIssue): string {
  return `line ${issue.line}${issue.path ? `, ${issue.path}` : ""}: ${issue.message}`;
}

/** Longest line kept whole (a header with a full config is well under it); longer ones are cut here and refused as too large. */
export const MAX_LINE_CHARS = 4_000_000;

/**
 * Splits text arriving in chunks into lines; `push` returns the lines a chunk
 * completed, `flush` the rest. Keeps only the unfinished tail between chunks,
 * and never more than MAX_LINE_CHARS of it: a file with no newlines cannot
 * exhaust memory.
 */
export class LineSplitter {
  private tail = "";
  /** Dropping the rest of an overlong line, up to its newline. */
  private skipping = false;

  push(chunk: string): string[] {
    const lines = (this.tail + chunk).split("\n");
    this.tail = lines.pop()!;
    if (this.skipping && lines.length > 0) {
      lines.shift();
      this.skipping = false;
    }
    if (this.skipping) this.tail = "";
    else if (this.tail.length > MAX_LINE_CHARS) {
      // handed on cut short: the reader refuses it for its size, naming its line
      lines.push(this.tail.slice(0, MAX_LINE_CHARS));
      this.tail = "";
      this.skipping = true;
    }
    return lines;
  }

  flush(): string[] {
    const rest = this.tail;
    this.tail = "";
    return rest === "" ? [] : [rest];
  }
}

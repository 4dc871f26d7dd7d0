/**
 * Schema validation of what senders post. The schemas are the single source of
 * truth for the wire shapes; validators return `{ ok, value } | { ok, issues }`
 * with each issue's field path, so the edge can say exactly what was wrong.
 */
import { z } from "zod";
import { EARLIEST_TS, EVENT_TYPES, LIMITS, type WireEvent } from "./event.ts";

/** One problem found in an input: where, and what was wrong. */
export interface Issue {
  /** Field path inside the validated value, dotted: `props.status`; empty for the value itself. */
  path: string;
  message: string;
}

/** The result of a validator. */
export type Validated<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

const propValue = z.union(
  [
    z.string().max(LIMITS.propStringChars, `string values are limited to ${LIMITS.propStringChars} characters`),
    z.number().refine(Number.isFinite, "numbers must be finite"),
    z.boolean(),
  ],
  { error: "must be a string, number or boolean: props are flat, nested values and null are not allowed" },
);

// JSON.parse keeps "__proto__" as an own key, but copying it into an object sets the prototype instead:
// the key would vanish without a word, so it is refused before the record is built
const noProtoKey = z.unknown().superRefine((raw, ctx) => {
  if (raw !== null && typeof raw === "object" && Object.hasOwn(raw, "__proto__")) {
    ctx.addIssue({ code: "custom", path: ["__proto__"], message: '"__proto__" cannot be a prop key' });
  }
});

const propsRecord = z.record(z.string(), propValue).superRefine((p, ctx) => {
  const keys = Object.keys(p);
  if (keys.length > LIMITS.propsPerEvent) ctx.addIssue({ code: "custom", message: `at most ${LIMITS.propsPerEvent} props per event, got ${keys.length}` });
  for (const key of keys) {
    if (key.length === 0) ctx.addIssue({ code: "custom", message: "prop keys must not be empty" });
    else if (key.length > LIMITS.propKeyChars) {
      ctx.addIssue({ code: "custom", message: `prop key "${key.slice(0, 20)}…" is ${key.length} characters; the limit is ${LIMITS.propKeyChars}` });
    }
  }
});

const props = noProtoKey.pipe(propsRecord);

/** A point in time as senders write it: ISO-8601 text or epoch milliseconds. */
export const timestamp = z.union(
  [
    z.iso.datetime({ offset: true, error: "must be ISO-8601 date-time with a zone, e.g. 2026-11-20T10:00:00Z" }),
    z
      .number()
      // .int() would make a fraction a type mismatch, hiding this message behind the union's
      .refine(Number.isInteger, "epoch milliseconds must be an integer")
      .min(EARLIEST_TS, "epoch milliseconds before 2000-01-01: was it sent in seconds?")
      .max(8.64e15, "epoch milliseconds out of range"),
  ],
  { error: "must be ISO-8601 text or epoch milliseconds" },
);

/** Schema of one posted event. Unknown top-level fields are rejected, so typos surface. */
export const wireEvent = z.strictObject({
  id: z.string().min(1, "must not be empty").max(LIMITS.idChars, `ids are limited to ${LIMITS.idChars} characters`).optional(),
  ts: timestamp.optional(),
  type: z.enum(EVENT_TYPES, { error: (i) => (i.input === undefined ? "required" : `must be one of ${EVENT_TYPES.join(", ")}`) }),
  name: z
    .string({ error: (i) => (i.input === undefined ? "required" : "must be a string") })
    .min(1, "must not be empty").max(LIMITS.nameChars, `names are limited to ${LIMITS.nameChars} characters`),
  props: props.optional(),
});

/** Schema of the object form of a batch; the events themselves are checked one by one. */
export const batchEnvelope = z.strictObject({
  events: z.array(z.unknown(), { error: "must be an array of events" }),
  sent_at: timestamp.optional(),
});

/** Converts a schema library result into Tally's validator result. */
export function fromSchema<T>(result: z.ZodSafeParseResult<T>): Validated<T> {
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toIssues) };
}

function toIssues(issue: z.core.$ZodIssue): Issue[] {
  // name each unknown key on its own, so the sender sees the exact field
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "unknown field" }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

/** Validates one posted event. */
export function validateEvent(input: unknown): Validated<WireEvent> {
  return fromSchema(wireEvent.safeParse(input));
}

/** `["props", "a.b", 0]` → `props["a.b"][0]`; plain keys are dotted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

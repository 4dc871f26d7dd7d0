/**
 * Workspace config: the small settings a workspace's admins edit (DESIGN.md,
 * "Workspaces, tokens, sharing"). Each key is written whole and versioned on
 * its own, so the last writer wins per key and two admins editing different
 * keys never clash. The schemas here are the one source of truth for what a
 * key may hold; the edge validates every write with them.
 */
import { z } from "zod";
import { EVENT_TYPES, type EventType } from "./event.ts";
import { alertRules } from "./alerts/rule.ts";
import { experimentSettings, funnelDefinitions } from "./product/settings.ts";

/** Longest retention a workspace may ask for, in days (about ten years). */
export const RETENTION_MAX_DAYS = 3650;

/** One day in milliseconds: retention counts whole days of 24 hours, not calendar days. */
export const DAY_MS = 86_400_000;

const retentionDays = z
  .number({ error: "must be a number of days" })
  // refine, not .int(): a fraction would otherwise read as a type mismatch
  .refine(Number.isInteger, "must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(RETENTION_MAX_DAYS, `must be at most ${RETENTION_MAX_DAYS} days`);

const retentionShape = Object.fromEntries(EVENT_TYPES.map((t) => [t, retentionDays.optional()])) as {
  [T in EventType]: z.ZodOptional<typeof retentionDays>;
};

const name = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(200, "names are limited to 200 characters");

/** A list of names in which each appears once; the duplicate's index is the failing path. */
function uniqueNames(max: number) {
  return z
    .array(name, { error: "must be an array of names" })
    .max(max, `at most ${max} names`)
    .superRefine((names, ctx) => {
      const seen = new Set<string>();
      names.forEach((n, i) => {
        if (seen.has(n)) ctx.addIssue({ code: "custom", path: [i], message: `"${n}" is listed twice` });
        seen.add(n);
      });
    });
}

const endpointEntry = z.strictObject({
  method: z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(16, "methods are limited to 16 characters"),
  endpoint: z.string({ error: "must be a string" }).min(1, "must not be empty").max(512, "endpoints are limited to 512 characters"),
  /** Documented response codes: the denominator of endpoint coverage. */
  responses: z
    .array(z.number().refine(Number.isInteger, "must be a whole number").min(100, "must be a status code").max(599, "must be a status code"))
    .max(100, "at most 100 response codes")
    .optional(),
});

/** A free-form object whose full schema lives with the feature that reads it. */
const looseItem = z.record(z.string(), z.unknown(), { error: "must be an object" });

/**
 * Every config key and the schema of its value. Keys whose feature has its own
 * schema take it from there (`alert_rules`); the others are kept small and
 * permissive until their feature tightens them.
 */
export const CONFIG_SCHEMAS = {
  /** Days to keep events of each type; a type left out is kept forever. */
  retention_days: z.strictObject(retentionShape, { error: "must be an object of event type to days" }),
  /** Documented endpoints, e.g. imported from an OpenAPI document. */
  endpoint_catalog: z.array(endpointEntry, { error: "must be an array of endpoints" }).max(2000, "at most 2000 endpoints"),
  /** Personas the workspace declares, so ones never hit in CI can be shown. */
  personas: uniqueNames(1000),
  /** Scenarios the workspace declares. */
  scenarios: uniqueNames(1000),
  /** Named numeric thresholds, e.g. `coverage_min: 80` (percent), `drift_max: 20` (percent), `stale_days: 30`. */
  thresholds: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.number({ error: "must be a number" }).refine(Number.isFinite, "must be finite"), {
    // a bad key is reported by the record itself, at the key's path
    error: (i) =>
      i.code === "invalid_key" ? "threshold names are lowercase letters, digits and _, up to 64 characters" : "must be an object of threshold name to number",
  }),
  /** Alert rules (shared/alerts/rule.ts); stored with their defaults filled in. */
  alert_rules: alertRules,
  /** Saved dashboards of the app. */
  dashboards: z.array(looseItem, { error: "must be an array of dashboards" }).max(50, "at most 50 dashboards"),
  /** Product experiments: goal and control per experiment (shared/product/settings.ts). */
  experiments: experimentSettings,
  /** Product funnels: ordered steps within a window (shared/product/settings.ts). */
  funnels: funnelDefinitions,
};

/** A config key. */
export type ConfigKey = keyof typeof CONFIG_SCHEMAS;

/** Every config key, in a fixed order. */
export const CONFIG_KEYS = Object.keys(CONFIG_SCHEMAS) as ConfigKey[];

/** Retention per event type in days; absent types are kept forever. */
export type RetentionDays = z.output<(typeof CONFIG_SCHEMAS)["retention_days"]>;

/** A workspace's config, as stored (defaults filled in): only the keys that hold a value are present. */
export type WorkspaceConfig = { [K in ConfigKey]?: z.output<(typeof CONFIG_SCHEMAS)[K]> };

/** Each key's version: incremented on every write that changes it; 0 when never written. */
export type ConfigVersions = Record<ConfigKey, number>;

/** The keys a PATCH writes: a value replaces the key whole, `null` removes it (back to its default). */
export type ConfigPatch = { [K in ConfigKey]?: z.input<(typeof CONFIG_SCHEMAS)[K]> | null };

/** Per type, the earliest event time (epoch ms) still kept: events with `ts` below it are deleted. */
export type RetentionCutoffs = Partial<Record<EventType, number>>;

const setShape = Object.fromEntries(CONFIG_KEYS.map((k) => [k, CONFIG_SCHEMAS[k].nullable().optional()])) as {
  [K in ConfigKey]: z.ZodOptional<z.ZodNullable<(typeof CONFIG_SCHEMAS)[K]>>;
};

const version = z
  .number({ error: "must be a version number" })
  .refine(Number.isInteger, "must be a whole number")
  .min(0, "must not be negative");
const baseShape = Object.fromEntries(CONFIG_KEYS.map((k) => [k, version.optional()])) as { [K in ConfigKey]: z.ZodOptional<typeof version> };

/**
 * Schema of `PATCH /api/v1/workspaces/:id/config`: `set` names the keys to
 * write; `base_versions` optionally names the version each write was based on,
 * so the answer can say whose change it replaced. Unknown keys are rejected.
 */
export const configPatchRequest = z
  .strictObject({
    set: z
      .strictObject(setShape, { error: (i) => (i.input === undefined ? "required" : "must be an object of config key to value") })
      // only when the keys given were all known: an unknown one is the issue to report, not emptiness
      .refine((s) => Object.keys(s).length > 0, { message: "must name at least one key", when: (p) => p.issues.length === 0 }),
    base_versions: z.strictObject(baseShape, { error: "must be an object of config key to version" }).optional(),
  })
  .superRefine((body, ctx) => {
    for (const key of Object.keys(body.base_versions ?? {})) {
      if (!(key in body.set)) ctx.addIssue({ code: "custom", path: ["base_versions", key], message: "names a key that set does not write" });
    }
  });

/**
 * Reads a stored retention value defensively: anything that no longer fits
 * the schema counts as no retention, so a bad row can never delete data.
 */
export function parseRetention(value: unknown): RetentionDays | undefined {
  const parsed = CONFIG_SCHEMAS.retention_days.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The cutoff of each type that has a retention, at time `now` (epoch ms). */
export function retentionCutoffs(days: RetentionDays | undefined, now: number): RetentionCutoffs {
  const out: RetentionCutoffs = {};
  for (const type of EVENT_TYPES) {
    const d = days?.[type];
    if (d !== undefined) out[type] = now - d * DAY_MS;
  }
  return out;
}

/**
 * JSON with object keys sorted at every depth, so the same value always has
 * the same text: a write of an unchanged value is recognised and keeps its
 * version, which makes replayed writes from an offline outbox harmless.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const obj = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
  });
}

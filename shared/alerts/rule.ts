/**
 * Alert rules as admins write them into the workspace config: a schema per
 * rule type, all sharing id, name, severity, threshold, window, filters,
 * webhook and enabled. The schema is the single source of truth; the types
 * are inferred from it.
 */
import { z } from "zod";
import { EVENT_TYPES } from "../event.ts";
import type { Filter } from "../query.ts";
import { fromSchema, type Validated } from "../validate.ts";

/** The rule types; see docs/alerts.md. */
export const ALERT_RULE_TYPES = ["event_rate", "latency", "fault_rate", "rate_limit", "endpoint", "impact"] as const;
export type AlertRuleType = (typeof ALERT_RULE_TYPES)[number];

export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Longest window a rule may look back over: seven days. */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;

const dim = z.union([z.strictObject({ field: z.enum(["name", "type"]) }), z.strictObject({ prop: z.string({ error: "must be a string" }).min(1, "must not be empty") })], {
  error: 'must be { "field": "name" | "type" } or { "prop": "<name>" }',
});
const value = z.union([z.string(), z.number().refine(Number.isFinite), z.boolean()], { error: "must be a string, number or boolean" });
const values = z.array(value, { error: "must be an array of values" }).max(100, "at most 100 values");
const bound = z.number({ error: "must be a number" }).refine(Number.isFinite, "must be finite").optional();

/**
 * A query filter (shared/query.ts `Filter`): a dimension equal to one of
 * `in`, to none of `notIn`, or within `min` (inclusive) and `max` (exclusive).
 */
export const queryFilter = z
  .strictObject({ dim, in: values.optional(), notIn: values.optional(), min: bound, max: bound })
  .superRefine((f, ctx) => {
    const kinds = Number(f.in !== undefined) + Number(f.notIn !== undefined) + Number(f.min !== undefined || f.max !== undefined);
    if (kinds > 1) ctx.addIssue({ code: "custom", message: "a filter has one of in, notIn, or min/max" });
  })
  .transform((f): Filter => {
    if (f.in !== undefined) return { dim: f.dim, in: f.in };
    if (f.notIn !== undefined) return { dim: f.dim, notIn: f.notIn };
    return { dim: f.dim, ...(f.min !== undefined ? { min: f.min } : {}), ...(f.max !== undefined ? { max: f.max } : {}) };
  });

const LOCAL_HTTP = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?([/?#]|$)/i;

const anyUrl = z.url({ protocol: /^https?$/ });

/** Where a firing or resolved alert is posted: https, or plain http to this machine only. */
export const webhookUrl = z
  .string({ error: "must be a URL" })
  .max(2000, "URLs are limited to 2000 characters")
  .superRefine((url, ctx) => {
    if (!anyUrl.safeParse(url).success) ctx.addIssue({ code: "custom", message: "must be an https:// URL" });
    else if (!/^https:/i.test(url) && !LOCAL_HTTP.test(url)) ctx.addIssue({ code: "custom", message: "must use https://; http:// is allowed only for localhost" });
  });

const threshold = z.number({ error: (i) => (i.input === undefined ? "required" : "must be a number") }).refine(Number.isFinite, "must be finite");
const nonNegative = threshold.refine((t) => t >= 0, "must be 0 or more");
const share = threshold.refine((t) => t >= 0 && t <= 1, "must be a share between 0 and 1");
const score = threshold.refine((t) => t >= 0 && t <= 100, "must be a score between 0 and 100");

const minutes = (max: number) =>
  z
    .number({ error: (i) => (i.input === undefined ? "required" : "must be a number of minutes") })
    .refine(Number.isInteger, "must be a whole number of minutes")
    .refine((m) => m >= 1 && m <= max, `must be between 1 and ${max} minutes`);

const common = {
  /** Stable id, chosen by the admin or the app; alert history refers to it. */
  id: z.string({ error: (i) => (i.input === undefined ? "required" : "must be a string") }).min(1, "must not be empty").max(100, "ids are limited to 100 characters"),
  name: z.string({ error: (i) => (i.input === undefined ? "required" : "must be a string") }).trim().min(1, "must not be empty").max(200, "names are limited to 200 characters"),
  severity: z.enum(ALERT_SEVERITIES, { error: `must be one of ${ALERT_SEVERITIES.join(", ")}` }),
  window_minutes: minutes(MAX_WINDOW_MINUTES),
  /** All must hold; they narrow every event the rule counts. */
  filters: z.array(queryFilter, { error: "must be an array of filters" }).max(20, "at most 20 filters").optional(),
  webhook_url: webhookUrl.optional(),
  enabled: z.boolean({ error: "must be true or false" }).default(true),
};

const type = <T extends AlertRuleType>(t: T) => z.literal(t);

/** Events of one type per minute, above (or below) the threshold. */
const eventRateRule = z.strictObject({
  ...common,
  type: type("event_rate"),
  threshold: nonNegative,
  event_type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(", ")}` }).default("request"),
  direction: z.enum(["above", "below"], { error: "must be above or below" }).default("above"),
});

/** A percentile of `latency_ms` over requests, in ms. */
const latencyRule = z.strictObject({
  ...common,
  type: type("latency"),
  threshold: nonNegative,
  percentile: z.enum(["p50", "p95", "p99"], { error: "must be p50, p95 or p99" }).default("p95"),
});

/** Injected faults (`chaos` events) per request. */
const faultRateRule = z.strictObject({ ...common, type: type("fault_rate"), threshold: share });

/** Share of requests answered 429. */
const rateLimitRule = z.strictObject({ ...common, type: type("rate_limit"), threshold: share });

/** Server error rate (status ≥ 500) of one endpoint, optionally one method. */
const endpointRule = z.strictObject({
  ...common,
  type: type("endpoint"),
  threshold: share,
  endpoint: z.string({ error: (i) => (i.input === undefined ? "required" : "must be a string") }).min(1, "must not be empty"),
  method: z.string({ error: "must be a string" }).min(1, "must not be empty").optional(),
});

/** The impact severity score (shared/impact.ts) against the preceding reference window. */
const impactRule = z.strictObject({
  ...common,
  type: type("impact"),
  threshold: score,
  baseline_minutes: minutes(MAX_WINDOW_MINUTES).default(24 * 60),
});

/** Schema of one alert rule, by `type`. Unknown fields are rejected, so typos surface. */
export const alertRule = z.discriminatedUnion("type", [eventRateRule, latencyRule, faultRateRule, rateLimitRule, endpointRule, impactRule], {
  error: (i) => (i.code === "invalid_union" ? `type must be one of ${ALERT_RULE_TYPES.join(", ")}` : i.code === "invalid_type" ? "must be an object" : undefined),
});

/** An alert rule after validation: defaults filled in. */
export type AlertRule = z.output<typeof alertRule>;
/** An alert rule as written: defaulted fields may be left out. */
export type AlertRuleInput = z.input<typeof alertRule>;

/** Schema of a workspace's list of rules: ids are unique. */
export const alertRules = z
  .array(alertRule, { error: "must be an array of alert rules" })
  .max(100, "at most 100 alert rules")
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate rule id "${rule.id}"` });
      seen.add(rule.id);
    });
  });

/** Validates one alert rule. */
export function validateAlertRule(input: unknown): Validated<AlertRule> {
  return fromSchema(alertRule.safeParse(input));
}

/** Validates a list of alert rules. */
export function validateAlertRules(input: unknown): Validated<AlertRule[]> {
  return fromSchema(alertRules.safeParse(input));
}

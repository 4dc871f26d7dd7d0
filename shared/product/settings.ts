/**
 * The Product view's config keys (shared/config.ts registers them):
 * `experiments`, per experiment its goal and control, and `funnels`, the
 * ordered steps a user completes within a window. The shapes are the ones
 * of types.ts; the checks below keep them in sync at compile time.
 */
import { z } from "zod";
import { LIMITS } from "../event.ts";
import type { ExperimentSetting, FunnelDefinition } from "./types.ts";

/** Most experiments a workspace configures. */
export const MAX_EXPERIMENTS = 200;
/** Most funnels a workspace configures. */
export const MAX_FUNNELS = 50;
/** Longest funnel window: 90 days. */
export const MAX_WINDOW_HOURS = 2160;

const required = (what: string) => (i: { input: unknown }) => (i.input === undefined ? "required" : `must be ${what}`);

// not trimmed: an event name or prop value is matched exactly as it was sent
const eventName = z
  .string({ error: required("a string") })
  .min(1, "must not be empty")
  .max(LIMITS.nameChars, `names are limited to ${LIMITS.nameChars} characters`);

const propValue = z.union([z.string(), z.number().refine(Number.isFinite, "must be finite"), z.boolean()], {
  error: "must be a string, number or boolean",
});

const eventMatch = z.strictObject(
  {
    name: eventName,
    props: z
      .record(z.string().min(1).max(LIMITS.propKeyChars), propValue, {
        error: (i) => (i.code === "invalid_key" ? `prop names are 1 to ${LIMITS.propKeyChars} characters` : "must be an object of prop name to value"),
      })
      .refine((p) => Object.keys(p).length <= 20, "at most 20 props")
      .optional(),
  },
  { error: 'must be { "name": "<event>", "props"?: { ... } }' },
);

const label = z
  .string({ error: required("a string") })
  .min(1, "must not be empty")
  .max(200, "names are limited to 200 characters");

const experimentSetting = z.strictObject(
  {
    /** Matched against the `experiment` prop as sent, so never trimmed. */
    experiment: label,
    goal: eventMatch.optional(),
    control: label.optional(),
  },
  { error: "must be an object" },
);

/** Reports the index of each item whose `key` repeats an earlier one. */
function uniqueBy<T>(key: (item: T) => string, what: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [i, what], message: `"${k}" is listed twice` });
      seen.add(k);
    });
  };
}

/** Config key `experiments`: one setting per experiment, each experiment once. */
export const experimentSettings = z
  .array(experimentSetting, { error: "must be an array of experiment settings" })
  .max(MAX_EXPERIMENTS, `at most ${MAX_EXPERIMENTS} experiments`)
  .superRefine(uniqueBy((e) => e.experiment, "experiment"));

const funnelDefinition = z.strictObject(
  {
    // a display name, so trimmed before it is checked
    name: z.string({ error: required("a string") }).trim().min(1, "must not be empty").max(200, "names are limited to 200 characters"),
    steps: z
      .array(eventMatch, { error: "must be an array of steps" })
      .min(2, "a funnel has at least 2 steps")
      .max(10, "a funnel has at most 10 steps"),
    window_hours: z
      .number({ error: required("a number of hours") })
      .refine(Number.isFinite, "must be finite")
      .refine((h) => h > 0 && h <= MAX_WINDOW_HOURS, `must be more than 0 and at most ${MAX_WINDOW_HOURS} hours`),
  },
  { error: "must be an object" },
);

/** Config key `funnels`: each funnel name once. */
export const funnelDefinitions = z
  .array(funnelDefinition, { error: "must be an array of funnels" })
  .max(MAX_FUNNELS, `at most ${MAX_FUNNELS} funnels`)
  .superRefine(uniqueBy((f) => f.name, "name"));

// the contract's types and the schemas' outputs must stay interchangeable
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameExperiments: Same<z.output<typeof experimentSettings>, ExperimentSetting[]> = true;
const sameFunnels: Same<z.output<typeof funnelDefinitions>, FunnelDefinition[]> = true;
void sameExperiments;
void sameFunnels;

/**
 * The coverage settings form's model, apart from its markup so it is tested
 * in Node: declared personas and scenarios (one per line, or comma
 * separated) and the four coverage thresholds as typed, checked field by
 * field (the config schema, then what each threshold can mean), and the
 * `thresholds` value to store, which keeps any other thresholds the
 * workspace holds.
 */
import { CONFIG_SCHEMAS } from "../../../shared/config.ts";
import { DEFAULT_THRESHOLDS } from "../../../shared/coverage/index.ts";
import type { CoverageConfig } from "./coverage-edge.ts";

/** The thresholds the form edits: config key, label, and what a value may be. */
export const THRESHOLD_FIELDS = [
  { key: "coverage_min", label: "Minimum endpoint coverage (%)", min: 0, max: 100, whole: false, fallback: DEFAULT_THRESHOLDS.coverageMin },
  { key: "stale_days", label: "Stale after (days)", min: 0, max: 36_500, whole: true, fallback: DEFAULT_THRESHOLDS.staleDays },
  { key: "drift_max", label: "Maximum drifting mocks (%)", min: 0, max: 100, whole: false, fallback: DEFAULT_THRESHOLDS.driftMax },
  { key: "high_drift", label: "High drift at (0-1)", min: 0, max: 1, whole: false, fallback: DEFAULT_THRESHOLDS.highDrift },
] as const;

export type ThresholdKey = (typeof THRESHOLD_FIELDS)[number]["key"];

/** The form as typed: names as text, thresholds as text ("" for the default). */
export interface SettingsDraft {
  personas: string;
  scenarios: string;
  thresholds: Record<ThresholdKey, string>;
}

/** What a save writes. */
export interface CoverageSettings {
  personas: string[];
  scenarios: string[];
  /** The whole `thresholds` value: the form's, and the workspace's other thresholds as they were. */
  thresholds: Record<string, number>;
}

export type SettingsField = "personas" | "scenarios" | ThresholdKey;

/** The draft of what the config holds; a threshold left at its default shows empty. */
export function draftFromConfig(config: Pick<CoverageConfig, "personas" | "scenarios" | "thresholds">): SettingsDraft {
  const thresholds = {} as Record<ThresholdKey, string>;
  for (const f of THRESHOLD_FIELDS) {
    const v = config.thresholds[f.key];
    thresholds[f.key] = v === undefined ? "" : String(v);
  }
  return { personas: config.personas.join("\n"), scenarios: config.scenarios.join("\n"), thresholds };
}

/** Names one per line or separated by commas, trimmed, blanks dropped. */
export function splitNames(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((n) => n.trim())
    .filter((n) => n !== "");
}

function namesProblem(key: "personas" | "scenarios", names: string[]): string | null {
  const parsed = CONFIG_SCHEMAS[key].safeParse(names);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  const at = issue.path[0];
  return typeof at === "number" ? `"${names[at]!.slice(0, 40)}": ${issue.message}` : issue.message;
}

/**
 * The settings a draft says, or each field's problem. `stored` is the
 * workspace's `thresholds` as read: keys the form does not edit are kept, and
 * a threshold left empty is removed (back to its default).
 */
export function readDraft(draft: SettingsDraft, stored: Readonly<Record<string, number>>): { ok: true; value: CoverageSettings } | { ok: false; errors: Partial<Record<SettingsField, string>> } {
  const errors: Partial<Record<SettingsField, string>> = {};
  const personas = splitNames(draft.personas);
  const scenarios = splitNames(draft.scenarios);
  const p = namesProblem("personas", personas);
  if (p) errors.personas = p;
  const s = namesProblem("scenarios", scenarios);
  if (s) errors.scenarios = s;
  const thresholds: Record<string, number> = { ...stored };
  for (const f of THRESHOLD_FIELDS) {
    const text = draft.thresholds[f.key].trim();
    delete thresholds[f.key];
    if (text === "") continue;
    const value = Number(text);
    if (!Number.isFinite(value)) errors[f.key] = `must be a number (empty for the default, ${f.fallback})`;
    else if (value < f.min || value > f.max) errors[f.key] = `must be from ${f.min} to ${f.max}`;
    else if (f.whole && !Number.isInteger(value)) errors[f.key] = "must be a whole number of days";
    else thresholds[f.key] = value;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { personas, scenarios, thresholds } };
}

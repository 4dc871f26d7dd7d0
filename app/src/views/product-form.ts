/**
 * The funnel and experiment forms' model, apart from their markup so it is
 * tested in Node: each setting as the form edits it (every input as text),
 * back to the config value, checked with the shared schemas
 * (shared/product/settings.ts through CONFIG_SCHEMAS). The schemas' issues,
 * and the edge's 400 issues alike, land on the field they name, worded with
 * that field's label so the message reads on its own too.
 */
import { CONFIG_SCHEMAS } from "../../../shared/config.ts";
import type { PropValue } from "../../../shared/event.ts";
import type { EventMatch, ExperimentSetting, FunnelDefinition } from "../../../shared/product/types.ts";

let nextKey = 1;

/** One "event name, and optionally one prop equal to a value" as typed; `extra` keeps further props a stored match has. */
export interface MatchDraft {
  name: string;
  prop: string;
  value: string;
  extra: Record<string, PropValue>;
}

export interface StepDraft extends MatchDraft {
  /** Stable across edits, so a field keeps focus and its message. */
  key: number;
}

export interface FunnelDraft {
  key: number;
  name: string;
  window_hours: string;
  steps: StepDraft[];
}

export interface ExperimentDraft {
  key: number;
  experiment: string;
  /** "" for the default (control, else the first variant seen). */
  control: string;
  /** An empty goal name means the default goal. */
  goal: MatchDraft;
}

/** A stored value as the form shows it: matches compare as text (shared/product/matchers.ts), so 200 and "200" are one. */
export function valueText(v: PropValue): string {
  return String(v);
}

function matchDraft(m: EventMatch | undefined): MatchDraft {
  const [first, ...rest] = Object.entries(m?.props ?? {});
  return { name: m?.name ?? "", prop: first?.[0] ?? "", value: first ? valueText(first[1]) : "", extra: Object.fromEntries(rest) };
}

export function stepDraft(step?: EventMatch): StepDraft {
  return { key: nextKey++, ...matchDraft(step) };
}

export function funnelDraft(f: FunnelDefinition): FunnelDraft {
  return { key: nextKey++, name: f.name, window_hours: String(f.window_hours), steps: f.steps.map(stepDraft) };
}

/** A new funnel: two empty steps (the least a funnel has) and a day's window. */
export function newFunnelDraft(): FunnelDraft {
  return { key: nextKey++, name: "", window_hours: "24", steps: [stepDraft(), stepDraft()] };
}

export function experimentDraft(e: ExperimentSetting): ExperimentDraft {
  return { key: nextKey++, experiment: e.experiment, control: e.control ?? "", goal: matchDraft(e.goal) };
}

export function newExperimentDraft(experiment = ""): ExperimentDraft {
  return { key: nextKey++, experiment, control: "", goal: matchDraft(undefined) };
}

/** Messages by field id: `<draft key>:<field>`, steps as `<draft key>:step-<step key>-<name|prop>`; "list" for the list as a whole. */
export type FormErrors = Map<string, string>;

function matchInput(m: MatchDraft): { value: Record<string, unknown>; problem: string | null } {
  const props: Record<string, unknown> = { ...m.extra };
  const prop = m.prop.trim();
  let problem: string | null = null;
  if (prop !== "" && m.value.trim() === "") problem = `give the value "${prop}" must equal, or clear the prop`;
  else if (prop === "" && m.value.trim() !== "") problem = "name the prop this value is for";
  else if (prop !== "") props[prop] = m.value;
  const value: Record<string, unknown> = { name: m.name };
  if (Object.keys(props).length > 0) value["props"] = props;
  return { value, problem };
}

/** Hours as the schema sees them: "" stays absent (→ "required"), text that is no number stays text (→ "must be a number"). */
function hours(text: string): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isNaN(n) ? t : n;
}

/** A path of an issue from the schema (`[0, "steps", 1]`) or the edge (`set.funnels[0].steps[1]`), as the part after the key. */
export function issuePath(path: ReadonlyArray<PropertyKey> | string, key: "funnels" | "experiments"): Array<string | number> {
  if (typeof path !== "string") return path.map((p) => (typeof p === "number" ? p : String(p)));
  const parts = [...path.matchAll(/\[(\d+)\]|\.?([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
  const at = parts.indexOf(key);
  return at === -1 ? parts : parts.slice(at + 1);
}

function place(errors: FormErrors, id: string, message: string): void {
  if (!errors.has(id)) errors.set(id, message);
}

/** Puts funnel issues on their fields: "Funnel 2, step 3 event name: must not be empty". */
export function funnelErrors(drafts: readonly FunnelDraft[], issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> | string; message: string }>): FormErrors {
  const errors: FormErrors = new Map();
  for (const issue of issues) {
    const [i, field, j, sub] = issuePath(issue.path, "funnels");
    const d = typeof i === "number" ? drafts[i] : undefined;
    if (!d) {
      place(errors, "list", `Funnels: ${issue.message}`);
      continue;
    }
    const funnel = `Funnel ${(i as number) + 1}${d.name.trim() ? ` "${d.name.trim()}"` : ""}`;
    const step = typeof j === "number" ? d.steps[j] : undefined;
    if (field === "steps" && step) {
      const what = sub === "props" ? "prop" : "name";
      place(errors, `${d.key}:step-${step.key}-${what}`, `${funnel}, step ${(j as number) + 1} ${what === "name" ? "event name" : "prop"}: ${issue.message}`);
    } else if (field === "name" || field === "window_hours" || field === "steps") {
      const label = field === "name" ? "name" : field === "steps" ? "steps" : "window (hours)";
      place(errors, `${d.key}:${field}`, `${funnel} ${label}: ${issue.message}`);
    } else place(errors, `${d.key}:name`, `${funnel}: ${issue.message}`);
  }
  return errors;
}

/** Puts experiment issues on their fields: "Experiment 1 goal event: must not be empty". */
export function experimentErrors(drafts: readonly ExperimentDraft[], issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> | string; message: string }>): FormErrors {
  const errors: FormErrors = new Map();
  for (const issue of issues) {
    const [i, field, sub] = issuePath(issue.path, "experiments");
    const d = typeof i === "number" ? drafts[i] : undefined;
    if (!d) {
      place(errors, "list", `Experiments: ${issue.message}`);
      continue;
    }
    const name = `Experiment ${(i as number) + 1}${d.experiment.trim() ? ` "${d.experiment}"` : ""}`;
    if (field === "goal") {
      const prop = sub === "props";
      place(errors, `${d.key}:${prop ? "goal-prop" : "goal-name"}`, `${name} goal ${prop ? "prop" : "event"}: ${issue.message}`);
    } else if (field === "control") place(errors, `${d.key}:control`, `${name} control variant: ${issue.message}`);
    else place(errors, `${d.key}:experiment`, `${name}${field === "experiment" ? " name" : ""}: ${issue.message}`);
  }
  return errors;
}

/** Validates the funnels with the shared schema: the value to store, or messages by field. */
export function validateFunnels(drafts: readonly FunnelDraft[]): { ok: true; value: FunnelDefinition[] } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = new Map();
  const input = drafts.map((d) => ({
    name: d.name,
    window_hours: hours(d.window_hours),
    steps: d.steps.map((s, j) => {
      const m = matchInput(s);
      if (m.problem) place(errors, `${d.key}:step-${s.key}-prop`, `Funnel ${drafts.indexOf(d) + 1}, step ${j + 1} prop: ${m.problem}`);
      return m.value;
    }),
  }));
  const parsed = CONFIG_SCHEMAS.funnels.safeParse(input);
  if (!parsed.success) for (const [id, message] of funnelErrors(drafts, parsed.error.issues)) place(errors, id, message);
  if (errors.size > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

/** Validates the experiment settings with the shared schema; an empty goal or control is the default and left out. */
export function validateExperiments(drafts: readonly ExperimentDraft[]): { ok: true; value: ExperimentSetting[] } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = new Map();
  const input = drafts.map((d, i) => {
    const out: Record<string, unknown> = { experiment: d.experiment };
    if (d.control !== "") out["control"] = d.control;
    const hasGoal = d.goal.name !== "" || d.goal.prop.trim() !== "" || d.goal.value.trim() !== "";
    if (hasGoal) {
      const m = matchInput(d.goal);
      if (m.problem) place(errors, `${d.key}:goal-prop`, `Experiment ${i + 1} goal prop: ${m.problem}`);
      out["goal"] = m.value;
    }
    return out;
  });
  const parsed = CONFIG_SCHEMAS.experiments.safeParse(input);
  if (!parsed.success) for (const [id, message] of experimentErrors(drafts, parsed.error.issues)) place(errors, id, message);
  if (errors.size > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

/** The issues of an edge 400 (`details.issues`), or none when it carries no such list. */
export function edgeIssues(details: unknown): Array<{ path: string; message: string }> {
  const issues = (details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter((i): i is { path: string; message: string } => typeof i?.path === "string" && typeof i?.message === "string");
}

/** Props as people read them: `plan = "pro" and seats = 5`. */
export function propsText(props: Readonly<Record<string, PropValue>>): string {
  return Object.entries(props)
    .map(([k, v]) => `${k} = ${typeof v === "string" ? `"${v}"` : String(v)}`)
    .join(" and ");
}

/** An event match as people read it: `signup with plan = "pro"`. */
export function matchText(m: EventMatch): string {
  const props = propsText(m.props ?? {});
  return props === "" ? m.name : `${m.name} with ${props}`;
}

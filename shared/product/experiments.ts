/**
 * Experiments: who saw which variant, who converted, and whether a variant
 * differs from the control. Over `track` events in the range, filters
 * applied; props compare as text.
 *
 * - Exposure: an event with both `experiment` and `variant` exposes its user
 *   to that experiment. The user's variant is the one of their earliest such
 *   event (ts, then stored order); its ts is the exposure time. Experiments
 *   listed are those with an exposure in the range, sorted by name.
 * - Conversion: the user has a goal event in the range with ts ≥ the
 *   exposure time (an equal ts counts, whatever the stored order). The goal
 *   is the experiment's setting's `goal` (event name equal and each listed
 *   prop equal) or by default an event whose `experiment` is the experiment
 *   and whose `converted` is true (boolean, or the text "true").
 * - Control: the setting's `control` when that variant has users, else the
 *   variant named "control", else the variant of the earliest exposure.
 *   Variants are listed control first, then by name.
 * - Per variant: rate = conversions ÷ users; lift = (rate − rc) ÷ rc (NaN
 *   for the control, or when rc = 0); pValue: two-sided, pooled
 *   two-proportion z-test against the control (1 when the pooled rate is 0
 *   or 1); ci95: unpooled Wald interval of rate − rc (stats.ts).
 * - Verdict: "too-small" when any variant has n < 30, n·p̄ < 5 or
 *   n·(1 − p̄) < 5, with p̄ the pooled rate over all the experiment's
 *   variants (the normal approximation does not hold, verdict.ts); its
 *   variant is the short one with the fewest users (the one needing the
 *   most more at p̄; first listed on a tie). Otherwise the
 *   non-control variant with the smallest p below 0.05 (first listed on a
 *   tie) is "better" or "worse" by the sign of rate − rc; none: "no-difference".
 *
 * Names sort by UTF-16 code units (plain `<`), not by locale.
 */
import { propText } from "../columns.ts";
import type { Matchers } from "./matchers.ts";
import { twoProportionZTest, waldInterval } from "./stats.ts";
import type { EventMatch, ExperimentResult, ExperimentSetting, VariantResult } from "./types.ts";
import { CONVERTED, EXPOSURE, IN_RANGE, type UserEvents } from "./user-events.ts";
import { tooSmall, verdictOf } from "./verdict.ts";

/** A variant's tallies while the users are read. */
interface Arm {
  experiment: number;
  variant: number;
  users: number;
  conversions: number;
  /** The earliest exposure to it: (ts, stored position). */
  firstTs: number;
  firstPos: number;
}

/** The experiments seen in the range, with their variants and verdicts. */
export function experimentResults(ue: UserEvents, matchers: Matchers, settings: readonly ExperimentSetting[]): ExperimentResult[] {
  const nExp = ue.experiments.size;
  const settingOf = new Map<number, ExperimentSetting>();
  for (const s of settings) {
    const x = ue.experiments.find(s.experiment);
    if (x >= 0) settingOf.set(x, s);
  }
  const defaultGoal = new Uint8Array(nExp).fill(1);
  const custom: [experiment: number, hits: Uint8Array][] = [];
  for (const [x, s] of settingOf) {
    if (s.goal === undefined) continue;
    defaultGoal[x] = 0;
    custom.push([x, matchers.hits(matchers.indexOf(s.goal))]);
  }
  const arms = tally(ue, defaultGoal, goalsByCombo(matchers.combos.length, custom));
  const byExperiment = new Map<number, Arm[]>();
  for (const arm of arms) {
    const list = byExperiment.get(arm.experiment);
    if (list === undefined) byExperiment.set(arm.experiment, [arm]);
    else list.push(arm);
  }
  return [...byExperiment]
    .map(([x, list]) => experimentResult(ue, ue.experiments.text(x), list, settingOf.get(x)))
    .sort((a, b) => compareText(a.experiment, b.experiment));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Per combo, the experiments whose custom goal it satisfies: a flat list with offsets. */
function goalsByCombo(combos: number, custom: readonly [number, Uint8Array][]): { at: Int32Array; list: Int32Array } {
  const at = new Int32Array(combos + 1);
  for (const [, hits] of custom) for (let c = 0; c < combos; c++) at[c + 1]! += hits[c]!;
  for (let c = 0; c < combos; c++) at[c + 1]! += at[c]!;
  const list = new Int32Array(at[combos]!);
  const fill = at.slice(0, combos);
  for (const [x, hits] of custom) for (let c = 0; c < combos; c++) if (hits[c] === 1) list[fill[c]!++] = x;
  return { at, list };
}

/** One pass over the users: each user's first exposure per experiment, and whether a goal came at or after it. */
function tally(ue: UserEvents, defaultGoal: Uint8Array, goals: { at: Int32Array; list: Int32Array }): Arm[] {
  const { start, ts, pos, combo, experiment, variant, flags } = ue;
  // imported bindings may be getter calls per read when bundled as CommonJS: read them once
  const inRange = IN_RANGE;
  const exposure = EXPOSURE;
  const converted = CONVERTED;
  const nExp = ue.experiments.size;
  const nVar = ue.variants.size;
  // per experiment, for the current user: stamps say whether the slot is this user's
  const exposedBy = new Int32Array(nExp).fill(-1);
  const exposedAt = new Float64Array(nExp);
  const exposedVariant = new Int32Array(nExp);
  const exposedPos = new Int32Array(nExp);
  const goalBy = new Int32Array(nExp).fill(-1);
  const goalAt = new Float64Array(nExp);
  const touched = new Int32Array(nExp);
  // arm of (experiment, variant): a table while it is small, else a map
  const dense = nExp * nVar <= 1 << 22 ? new Int32Array(nExp * nVar).fill(-1) : null;
  const sparse = new Map<number, number>();
  const arms: Arm[] = [];
  for (let u = 0; u < ue.users; u++) {
    let nTouched = 0;
    const e = start[u + 1]!;
    for (let i = start[u]!; i < e; i++) {
      const f = flags[i]!;
      if ((f & inRange) === 0) continue;
      const x = experiment[i]!;
      const t = ts[i]!;
      if ((f & exposure) !== 0 && exposedBy[x] !== u) {
        // in (ts, stored order): the first exposure met is the user's
        exposedBy[x] = u;
        exposedAt[x] = t;
        exposedVariant[x] = variant[i]!;
        exposedPos[x] = pos[i]!;
        touched[nTouched++] = x;
      }
      if ((f & converted) !== 0 && x >= 0 && defaultGoal[x] === 1) {
        goalBy[x] = u;
        goalAt[x] = t; // in time order, so the latest goal
      }
      const c = combo[i]!;
      for (let g = goals.at[c]!; g < goals.at[c + 1]!; g++) {
        const gx = goals.list[g]!;
        goalBy[gx] = u;
        goalAt[gx] = t;
      }
    }
    for (let k = 0; k < nTouched; k++) {
      const x = touched[k]!;
      const v = exposedVariant[x]!;
      const key = x * nVar + v;
      let a = dense !== null ? dense[key]! : (sparse.get(key) ?? -1);
      if (a < 0) {
        a = arms.length;
        arms.push({ experiment: x, variant: v, users: 0, conversions: 0, firstTs: Infinity, firstPos: 0 });
        if (dense !== null) dense[key] = a;
        else sparse.set(key, a);
      }
      const arm = arms[a]!;
      arm.users++;
      // the latest goal at or after the exposure means some goal is
      if (goalBy[x] === u && goalAt[x]! >= exposedAt[x]!) arm.conversions++;
      const t = exposedAt[x]!;
      if (t < arm.firstTs || (t === arm.firstTs && exposedPos[x]! < arm.firstPos)) {
        arm.firstTs = t;
        arm.firstPos = exposedPos[x]!;
      }
    }
  }
  return arms;
}

function experimentResult(ue: UserEvents, name: string, arms: Arm[], setting: ExperimentSetting | undefined): ExperimentResult {
  const named = arms.map((a) => ({ arm: a, variant: ue.variants.text(a.variant) }));
  let control = named.find((a) => setting?.control !== undefined && a.variant === setting.control) ?? named.find((a) => a.variant === "control");
  if (control === undefined) {
    control = named[0]!;
    for (const a of named) {
      if (a.arm.firstTs < control.arm.firstTs || (a.arm.firstTs === control.arm.firstTs && a.arm.firstPos < control.arm.firstPos)) control = a;
    }
  }
  const c = control.arm;
  const rc = c.conversions / c.users;
  const ordered = [control, ...named.filter((a) => a !== control).sort((a, b) => compareText(a.variant, b.variant))];
  const variants: VariantResult[] = ordered.map(({ arm, variant }) => {
    const rate = arm.conversions / arm.users;
    if (arm === c) return { variant, control: true, users: arm.users, conversions: arm.conversions, rate, lift: NaN, pValue: NaN, ci95: [NaN, NaN] };
    return {
      variant,
      control: false,
      users: arm.users,
      conversions: arm.conversions,
      rate,
      lift: rc > 0 ? (rate - rc) / rc : NaN,
      pValue: twoProportionZTest(arm.conversions, arm.users, c.conversions, c.users).p,
      ci95: waldInterval(arm.conversions, arm.users, c.conversions, c.users),
    };
  });
  return {
    experiment: name,
    goal: goalText(name, setting?.goal),
    variants,
    verdict: tooSmall(variants) ?? verdictOf(variants),
  };
}

/** How the goal reads: `"signup" with plan = pro and seats = 3`, or `converted = true on "checkout-button"`. */
export function goalText(experiment: string, goal: EventMatch | undefined): string {
  if (goal === undefined) return `converted = true on "${experiment}"`;
  const props = Object.entries(goal.props ?? {});
  return props.length === 0 ? `"${goal.name}"` : `"${goal.name}" with ${props.map(([k, v]) => `${k} = ${propText(v)}`).join(" and ")}`;
}

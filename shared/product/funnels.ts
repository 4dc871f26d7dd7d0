/**
 * Funnels: per funnel, how many users got how far. A user reaches step k
 * when there are events e1..ek in the range (filters applied) matching steps
 * 1..k in order, each strictly after the previous by (ts, stored order),
 * with ek.ts − e1.ts ≤ window_hours · 3.6e6 (exactly at the edge counts). A
 * user counts once, at the deepest step reached over every choice of e1.
 *
 * One pass over a user's events in order finds that depth. For each step it
 * keeps the latest e1 of a chain that has reached the step so far: a later
 * start leaves more of the window for the steps to come, so no other chain
 * needs keeping. An event matching step k extends the chain of step k − 1
 * when that chain's start is within the window; steps are tried from last
 * to first so that one event never advances two steps (an event matching
 * steps 1 and 2 cannot be both).
 *
 * Per step: users reaching at least that step; fromPrevious = users ÷ the
 * previous step's users (for the first: 1, or NaN when nobody reached it;
 * NaN when the previous had none);
 * fromFirst = users ÷ the first step's users (NaN when it had none);
 * dropOff = the previous step's users − users (0 for the first). Labels are
 * the step's name and props: `signup (plan = pro)`.
 */
import { matchLabel, type Matchers } from "./matchers.ts";
import type { FunnelDefinition, FunnelResult } from "./types.ts";
import { IN_RANGE, type UserEvents } from "./user-events.ts";

const HOUR_MS = 3_600_000;
const MAX_STEPS = 31;

/** Each funnel's steps and users per step, in the order given. */
export function funnelResults(ue: UserEvents, matchers: Matchers, funnels: readonly FunnelDefinition[]): FunnelResult[] {
  return funnels.map((f) => {
    // a bit per step (settings.ts allows 10)
    if (f.steps.length > MAX_STEPS) throw new RangeError(`funnel "${f.name}" has ${f.steps.length} steps; at most ${MAX_STEPS} are counted`);
    const reached = deepest(ue, stepMasks(matchers, f), f.steps.length, f.window_hours * HOUR_MS);
    // users reaching at least step k: sum the deepest-step tallies from the end
    const atLeast = new Float64Array(f.steps.length);
    let sum = 0;
    for (let k = f.steps.length - 1; k >= 0; k--) atLeast[k] = sum += reached[k + 1]!;
    return {
      name: f.name,
      windowHours: f.window_hours,
      steps: f.steps.map((step, k) => {
        const users = atLeast[k]!;
        const prev = k === 0 ? users : atLeast[k - 1]!;
        return {
          label: matchLabel(step),
          users,
          fromPrevious: prev > 0 ? users / prev : NaN,
          fromFirst: atLeast[0]! > 0 ? users / atLeast[0]! : NaN,
          dropOff: prev - users,
        };
      }),
    };
  });
}

/** Per combo, bit k set when it satisfies step k. */
function stepMasks(matchers: Matchers, f: FunnelDefinition): Int32Array {
  const masks = new Int32Array(matchers.combos.length);
  f.steps.forEach((step, k) => {
    const hits = matchers.hits(matchers.indexOf(step));
    for (let c = 0; c < masks.length; c++) if (hits[c] === 1) masks[c]! |= 1 << k;
  });
  return masks;
}

/** How many users stopped at each depth: slot d counts users whose deepest step is d (0: none reached). */
function deepest(ue: UserEvents, masks: Int32Array, steps: number, windowMs: number): Float64Array {
  const { start, ts, combo, flags } = ue;
  const tally = new Float64Array(steps + 1);
  const inRange = IN_RANGE; // read once: an imported binding may be a getter when bundled as CommonJS
  // latest start (e1.ts) of a chain at each step; -Infinity: none yet
  const startOf = new Float64Array(steps);
  for (let u = 0; u < ue.users; u++) {
    let depth = 0;
    let fresh = true;
    const e = start[u + 1]!;
    for (let i = start[u]!; i < e && depth < steps; i++) {
      const m = masks[combo[i]!]!;
      if (m === 0 || (flags[i]! & inRange) === 0) continue;
      if (fresh) {
        // cleared only for users with a step event: most events and many users match none
        for (let k = 0; k < steps; k++) startOf[k] = -Infinity;
        fresh = false;
      }
      const t = ts[i]!;
      // the steps this event matches past the first, last to first
      let later = m & ~1;
      while (later !== 0) {
        const k = 31 - Math.clz32(later);
        later ^= 1 << k;
        const s = startOf[k - 1]!;
        if (t - s <= windowMs) {
          // starts only grow, so the previous step's start is the latest for this one too
          startOf[k] = s;
          if (k + 1 > depth) depth = k + 1;
        }
      }
      if ((m & 1) !== 0) {
        startOf[0] = t;
        if (depth === 0) depth = 1;
      }
    }
    tally[depth]!++;
  }
  return tally;
}

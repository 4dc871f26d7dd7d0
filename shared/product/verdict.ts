/**
 * An experiment's verdict from its variants (control first, see
 * experiments.ts). The z-test leans on the normal approximation of a
 * binomial, which holds when every variant has n ≥ 30, n·p̄ ≥ 5 and
 * n·(1 − p̄) ≥ 5, with p̄ the pooled rate over all the experiment's variants
 * (all conversions ÷ all users: one rate for the whole experiment, the
 * rate the pooled test assumes under "no difference"). A variant short of
 * that makes the verdict "too-small", and the text says which variants are
 * short and roughly how many more users each needs at the pooled rate. So a
 * variant with no conversions next to a control that converts is judged
 * once it has enough users, instead of waiting for conversions that may
 * never come. Otherwise the non-control variant with the smallest p-value
 * below 0.05 decides "better" or "worse"; none: "no-difference".
 */
import type { ExperimentResult, VariantResult } from "./types.ts";

export const MIN_USERS = 30;
export const MIN_CONVERSIONS = 5;
export const MIN_NON_CONVERSIONS = 5;
/** Significance level of the verdict. */
export const ALPHA = 0.05;

type Verdict = ExperimentResult["verdict"];

/**
 * Users a variant needs for the approximation at pooled rate `pooled`:
 * max(30, ⌈5/p̄⌉, ⌈5/(1 − p̄)⌉); Infinity when p̄ is 0 or 1 (no variant has
 * a conversion, or a non-conversion, yet: the rate says nothing of how many
 * more are needed).
 */
export function usersNeeded(pooled: number): number {
  if (!(pooled > 0 && pooled < 1)) return Infinity;
  // the tiny slack keeps ⌈5/0.25⌉ at 20 when 5/0.25 comes out a hair above
  const need = (k: number, p: number) => Math.ceil(k / p - 1e-9);
  return Math.max(MIN_USERS, need(MIN_CONVERSIONS, pooled), need(MIN_NON_CONVERSIONS, 1 - pooled));
}

/** All conversions ÷ all users of the variants (NaN with no users). */
export function pooledRate(variants: readonly VariantResult[]): number {
  let users = 0;
  let conversions = 0;
  for (const v of variants) {
    users += v.users;
    conversions += v.conversions;
  }
  return conversions / users;
}

function isShort(v: VariantResult, pooled: number): boolean {
  return v.users < MIN_USERS || v.users * pooled < MIN_CONVERSIONS || v.users * (1 - pooled) < MIN_NON_CONVERSIONS;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The "too-small" verdict when some variant is short, else null. */
export function tooSmall(variants: readonly VariantResult[]): Verdict | null {
  const pooled = pooledRate(variants);
  const short = variants.filter((v) => isShort(v, pooled));
  if (short.length === 0) return null;
  const needed = usersNeeded(pooled);
  let worst = short[0]!;
  for (const v of short) if (v.users < worst.users) worst = v;
  const parts = short.map((v) => {
    const has = `"${v.variant}" (${plural(v.users, "user", "users")}, ${plural(v.conversions, "conversion", "conversions")})`;
    if (pooled === 0) return `${has}: more users until some convert`;
    if (pooled === 1) return `${has}: more users until some do not convert`;
    return `${has}: about ${plural(needed - v.users, "more user", "more users")}`;
  });
  return {
    kind: "too-small",
    variant: worst.variant,
    text:
      `Too small to judge: at the pooled rate of ${percent(pooled)}, every variant needs at least ${MIN_USERS} users, ` +
      `${MIN_CONVERSIONS} expected conversions and ${MIN_NON_CONVERSIONS} expected non-conversions for the test to hold. ` +
      `Short: ${parts.join("; ")}.`,
  };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function pText(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

/** The verdict of variants that are all large enough. */
export function verdictOf(variants: readonly VariantResult[]): Verdict {
  const control = variants[0]!;
  const others = variants.slice(1);
  if (others.length === 0) return { kind: "no-difference", variant: null, text: `Only "${control.variant}" has users: nothing to compare.` };
  let best: VariantResult | null = null;
  for (const v of others) if (v.pValue < ALPHA && (best === null || v.pValue < best.pValue)) best = v;
  if (best === null) {
    const smallest = Math.min(...others.map((v) => v.pValue));
    return { kind: "no-difference", variant: null, text: `No variant differs from "${control.variant}" at p < ${ALPHA} (smallest ${pText(smallest)}).` };
  }
  const better = best.rate > control.rate;
  const lift = Number.isNaN(best.lift) ? "" : `lift ${best.lift > 0 ? "+" : ""}${percent(best.lift)}, `;
  return {
    kind: better ? "better" : "worse",
    variant: best.variant,
    text: `"${best.variant}" converts ${better ? "better" : "worse"} than "${control.variant}": ${percent(best.rate)} vs ${percent(control.rate)} (${lift}${pText(best.pValue)}).`,
  };
}

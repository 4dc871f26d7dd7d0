/**
 * An experiment's verdict from its variants (control first, see
 * experiments.ts). The z-test leans on the normal approximation of a
 * binomial, which holds only with enough users and enough of each outcome:
 * below 30 users, 5 conversions or 5 non-conversions in any variant the
 * verdict is "too-small", and the text says which variants are short and
 * roughly how many more users each needs at its current rate. Otherwise the
 * non-control variant with the smallest p-value below 0.05 decides "better"
 * or "worse"; none: "no-difference".
 */
import type { ExperimentResult, VariantResult } from "./types.ts";

export const MIN_USERS = 30;
export const MIN_CONVERSIONS = 5;
export const MIN_NON_CONVERSIONS = 5;
/** Significance level of the verdict. */
export const ALPHA = 0.05;

type Verdict = ExperimentResult["verdict"];

/**
 * Users a variant needs for the approximation at its current rate:
 * max(30, ⌈5n/x⌉, ⌈5n/(n − x)⌉); Infinity when it has no conversions or no
 * non-conversions yet (its rate says nothing of how many more it needs).
 */
export function usersNeeded(users: number, conversions: number): number {
  const non = users - conversions;
  if (conversions === 0 || non === 0) return Infinity;
  return Math.max(MIN_USERS, Math.ceil((MIN_CONVERSIONS * users) / conversions), Math.ceil((MIN_NON_CONVERSIONS * users) / non));
}

function isShort(v: VariantResult): boolean {
  return v.users < MIN_USERS || v.conversions < MIN_CONVERSIONS || v.users - v.conversions < MIN_NON_CONVERSIONS;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The "too-small" verdict when some variant is short, else null. */
export function tooSmall(variants: readonly VariantResult[]): Verdict | null {
  const short = variants.filter(isShort);
  if (short.length === 0) return null;
  let worst = short[0]!;
  let worstMore = -1;
  const parts = short.map((v) => {
    const more = usersNeeded(v.users, v.conversions) - v.users;
    if (more > worstMore) {
      worst = v;
      worstMore = more;
    }
    const has = `"${v.variant}" (${plural(v.users, "user", "users")}, ${plural(v.conversions, "conversion", "conversions")})`;
    if (v.conversions === 0) return `${has}: more users until some convert`;
    if (v.conversions === v.users) return `${has}: more users until some do not convert`;
    return `${has}: about ${plural(more, "more user", "more users")}`;
  });
  return {
    kind: "too-small",
    variant: worst.variant,
    text:
      `Too small to judge: every variant needs at least ${MIN_USERS} users, ${MIN_CONVERSIONS} conversions and ` +
      `${MIN_NON_CONVERSIONS} non-conversions for the test to hold. Short: ${parts.join("; ")}.`,
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

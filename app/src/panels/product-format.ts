/**
 * How the Product view's statistics read: lift as a signed share, p-values
 * to three places, the 95% interval of a rate difference in percentage
 * points. An undefined figure (NaN: the control's own lift) reads as a dash.
 */
import { formatPercent } from "../components/format.ts";

const DASH = "—";

/** A signed share: "+12%", "−3.4%". */
export function formatSignedPercent(share: number): string {
  if (!Number.isFinite(share)) return DASH;
  const text = formatPercent(Math.abs(share));
  return share > 0 ? `+${text}` : share < 0 ? `−${text}` : text;
}

/** A p-value to three places, and "< 0.001" below that. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return DASH;
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

/** The interval of a rate difference, in percentage points: "−1.2 to +4.5 pts". */
export function formatInterval(ci: readonly [number, number]): string {
  if (!Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return DASH;
  const pts = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v * 100).toFixed(1)}`;
  return `${pts(ci[0])} to ${pts(ci[1])} pts`;
}

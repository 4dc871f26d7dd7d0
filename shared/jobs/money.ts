/**
 * Money. The engine sums `cost_usd` as float64, in the order it meets the
 * events; amounts are kept as those sums and rounded to whole cents only
 * where they are shown or compared. Costs are sent in cents precision, so
 * every sum lies within far less than half a cent of its exact total (float
 * error grows about 1e-16 per addition: a billion additions stay under
 * 1e-5 of a cent), and rounding gives the exact number of cents.
 */

/** `usd` as whole cents, halves away from zero; NaN stays NaN. */
export function centsOf(usd: number): number {
  if (!Number.isFinite(usd)) return NaN;
  return Math.sign(usd) * Math.round(Math.abs(usd) * 100) + 0;
}

/** `usd` rounded to cents, still in dollars: what a view shows with two decimals. */
export function roundedUsd(usd: number): number {
  return centsOf(usd) / 100;
}

/**
 * How the Jobs & cost view says its numbers: money in US dollars with two
 * decimals, from whole cents (shared/jobs/money.ts), so every amount shown is
 * the engine's sum rounded once; durations in seconds; QC scores as sent.
 */
import { centsOf } from "../../../shared/jobs/money.ts";

const DASH = "—";
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const decimal1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "$1,234.57"; an undefined amount (NaN) as a dash. */
export function formatUsd(amount: number): string {
  const cents = centsOf(amount);
  // from whole cents: Intl then has nothing left to round
  return Number.isFinite(cents) ? usd.format(cents / 100) : DASH;
}

/** "41.2 s", "3 min 20 s", "1 h 5 min". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return DASH;
  if (s < 60) return `${decimal1.format(s)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.round((whole % 3600) / 60)} min`;
}

/** A mean QC score with one decimal, on the scale it was sent on. */
export function formatQc(score: number): string {
  return Number.isFinite(score) ? decimal1.format(score) : DASH;
}

/** A missing provider, strategy or status, as its row says it. */
export function orNone(label: string | null): string {
  return label ?? "(none)";
}

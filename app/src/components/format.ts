/**
 * How numbers and times read in the UI: one place, so every card and table
 * says "1.2k", "3.4%", "41 ms" the same way. An undefined measure (NaN) reads
 * as an em dash.
 */
import type { Bucket } from "../../../shared/query.ts";

const DASH = "—";
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const twoDigits = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return DASH;
  return Math.abs(n) < 10_000 ? integer.format(n) : compact.format(n);
}

/** Exact count, for tables and labels where a person may compare digits. */
export function formatInteger(n: number): string {
  return Number.isFinite(n) ? integer.format(n) : DASH;
}

/** A 0..1 share as a percentage with sensible precision. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return DASH;
  const pct = share * 100;
  if (pct === 0) return "0%";
  if (pct < 0.1) return "<0.1%";
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return DASH;
  if (ms >= 10_000) return `${twoDigits.format(ms / 1000)} s`;
  return `${ms < 10 && !Number.isInteger(ms) ? ms.toFixed(1) : integer.format(ms)} ms`;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return DASH;
  if (perSecond === 0) return "0/s";
  // below one every ten seconds, a per-minute rate reads better than "0.0258/s"
  if (perSecond < 0.1) return `${twoDigits.format(perSecond * 60)}/min`;
  return `${twoDigits.format(perSecond)}/s`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday" … relative to `now`. */
export function formatAgo(t: number | null, now: number): string {
  if (t === null || !Number.isFinite(t)) return "never";
  const s = Math.round((t - now) / 1000);
  if (Math.abs(s) < 45) return "just now";
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["minute", 60],
    ["hour", 3600],
    ["day", 86_400],
    ["month", 2_592_000],
    ["year", 31_536_000],
  ];
  let chosen: [Intl.RelativeTimeFormatUnit, number] = units[0]!;
  for (const u of units) if (Math.abs(s) >= u[1]) chosen = u;
  return relative.format(Math.round(s / chosen[1]), chosen[0]);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(t: number): string {
  return Number.isFinite(t) ? dateTime.format(t) : DASH;
}

/** A time bucket as a chart says it: "per hour", "per 5 minutes". */
export const PER_BUCKET: Record<Bucket, string> = {
  minute: "per minute",
  "5m": "per 5 minutes",
  hour: "per hour",
  day: "per day",
  week: "per week",
  month: "per month",
  "hour-of-week": "per hour of week",
};

/**
 * `timestamp` attributes of JUnit reports: ISO-8601 date-times, often without
 * a zone (ant, Gradle and JUnit 5's legacy reporter write local-looking
 * `2026-11-20T10:00:00`, which they mean as UTC), sometimes with one (pytest,
 * jest-junit).
 */
import { EARLIEST_TS } from "../event.ts";

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of a report timestamp, or undefined when it is absent, unreadable or before 2000. */
export function reportTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = "", zone = "Z"] = m;
  const ms = frac === "" ? 0 : Math.floor(Number(`0${frac}`) * 1000);
  let at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  // Date.UTC rolls 2026-02-31 over into March; a date that does not exist is unreadable
  const check = new Date(at);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCHours() !== Number(h)) return undefined;
  if (zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    at -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isFinite(at) && at >= EARLIEST_TS ? at : undefined;
}

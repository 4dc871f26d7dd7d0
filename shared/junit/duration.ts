/**
 * Test durations as runners write them: seconds, with a decimal point, and
 * in some locales (Surefire on a machine set to en_US formats with grouping)
 * commas between thousands: `1,234.5`.
 */

const PLAIN = /^\d+(?:\.\d*)?(?:[eE][-+]?\d+)?$/;
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/**
 * Milliseconds of a `time` attribute, or undefined when it is absent or not a
 * non-negative number of seconds. Kept to a microsecond, which is finer than
 * any runner measures.
 */
export function durationMs(time: string | undefined): number | undefined {
  if (time === undefined) return undefined;
  const text = time.trim();
  let seconds: number;
  if (PLAIN.test(text)) seconds = Number(text);
  else if (GROUPED.test(text)) seconds = Number(text.replaceAll(",", ""));
  else return undefined;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.round(seconds * 1_000_000) / 1000;
}

/**
 * How a job's `status` counts towards the success rate. Senders write status
 * in their own words, so the lists take the usual spellings; a status none of
 * them names (failed, error, blocked, timeout, anything else) is a finished
 * job that did not succeed.
 *
 * - Succeeded: succeeded, success, completed, passed.
 * - Not finished: queued, pending, running, processing, started. A job event
 *   is normally sent when a job ends; these are jobs reported mid-way, and
 *   they have no outcome yet to count.
 * - Cancelled: cancelled, canceled. Someone stopped the job; that says
 *   nothing about whether jobs work, so cancelled jobs count as jobs (and
 *   cost) but not in the success rate, as in-progress ones do not.
 * - No status at all: no outcome to judge, so not in the rate either.
 *
 * Statuses compare as written, in lower case, UPPER case or Capitalized.
 */

/** Statuses of a job that succeeded. */
export const SUCCESS_STATUSES = ["succeeded", "success", "completed", "passed"] as const;
/** Statuses of a job that has not finished yet. */
export const IN_PROGRESS_STATUSES = ["queued", "pending", "running", "processing", "started"] as const;
/** Statuses of a job someone stopped. */
export const CANCELLED_STATUSES = ["cancelled", "canceled"] as const;

/** What a status means for the success rate. */
export type JobOutcome = "succeeded" | "failed" | "cancelled" | "in-progress" | "unknown";

/** Each word as senders spell it: lower, UPPER, Capitalized. */
export function spellings(words: readonly string[]): string[] {
  return words.flatMap((w) => [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)]);
}

/** The outcome of a job with `status` (null: the job has none). */
export function outcomeOf(status: string | null): JobOutcome {
  if (status === null) return "unknown";
  const s = status.toLowerCase();
  // only the spellings the queries match count, so the table and the rate agree
  const spelled = (words: readonly string[]) => words.includes(s) && spellings(words).includes(status);
  if (spelled(SUCCESS_STATUSES)) return "succeeded";
  if (spelled(IN_PROGRESS_STATUSES)) return "in-progress";
  if (spelled(CANCELLED_STATUSES)) return "cancelled";
  return "failed";
}

/**
 * Reality-level staleness (DESIGN.md, Views 3): per mock, its current reality
 * level, when that level last changed, how many whole days ago, and what to
 * do about it. The first rule that holds gives the recommendation:
 *
 * 1. breaking_changes > 0: "review breaking changes" — the live API broke the
 *    mock's contract; nothing else matters until that is looked at.
 * 2. drift ≥ high_drift: "re-record: responses drift from the live API".
 * 3. days stale ≥ stale_days: "re-record or re-verify against the live API" —
 *    the level has not moved in that long, so nobody has checked it.
 * 4. reality level ≤ 2: "raise realism: record real responses" — levels 1-2
 *    are hand-written stubs.
 * 5. otherwise "up to date".
 *
 * "Last changed" is the first state of the latest run of equal levels (the
 * first state when the level never changed); days stale count from it to now.
 */
import { wholeDays } from "./days.ts";
import { latest, type MockHistory } from "./mock-states.ts";
import type { CoverageThresholds } from "./thresholds.ts";

/** Why a mock is recommended what it is; "ok" when up to date. */
export type StalenessAdvice = "breaking" | "drift" | "stale" | "low-realism" | "ok";

/** What the report says for each advice. */
export const RECOMMENDATIONS: Readonly<Record<StalenessAdvice, string>> = {
  breaking: "review breaking changes",
  drift: "re-record: responses drift from the live API",
  stale: "re-record or re-verify against the live API",
  "low-realism": "raise realism: record real responses",
  ok: "up to date",
};

/** One mock's staleness. */
export interface MockStaleness {
  mock: string;
  method: string | null;
  endpoint: string | null;
  /** Current reality level (1-5); null when no state carried one. */
  level: number | null;
  /** When the level last changed (epoch ms, minute precision); null without a level. */
  lastChanged: number | null;
  /** Whole days from last changed to now; null without a level. */
  daysStale: number | null;
  /** Days stale at or above `stale_days`. */
  stale: boolean;
  drift: number | null;
  breakingChanges: number | null;
  /** Latest state reported (epoch ms). */
  lastSeen: number;
  advice: StalenessAdvice;
  recommendation: string;
}

/** When the latest level took hold: the first state of the last run of equal levels. */
function levelSince(history: MockHistory, level: number): number {
  let since = NaN;
  for (let i = history.states.length - 1; i >= 0; i--) {
    const s = history.states[i]!;
    if (Number.isNaN(s.level)) continue;
    if (s.level !== level) break;
    since = s.t;
  }
  return since;
}

function advise(level: number | null, drift: number | null, breaking: number | null, stale: boolean, t: CoverageThresholds): StalenessAdvice {
  if (breaking !== null && breaking > 0) return "breaking";
  if (drift !== null && drift >= t.highDrift) return "drift";
  if (stale) return "stale";
  if (level !== null && level <= 2) return "low-realism";
  return "ok";
}

const nullable = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** Staleness of every mock, the most stale first. */
export function mockStaleness(histories: readonly MockHistory[], now: number, thresholds: CoverageThresholds): MockStaleness[] {
  return histories
    .filter((h) => h.states.length > 0)
    .map((h): MockStaleness => {
      const level = nullable(latest(h.states, "level"));
      const lastChanged = level === null ? null : levelSince(h, level);
      const daysStale = lastChanged === null ? null : wholeDays(lastChanged, now);
      const stale = daysStale !== null && daysStale >= thresholds.staleDays;
      const drift = nullable(latest(h.states, "drift"));
      const breakingChanges = nullable(latest(h.states, "breaking"));
      const advice = advise(level, drift, breakingChanges, stale, thresholds);
      return {
        mock: h.mock,
        method: h.method,
        endpoint: h.endpoint,
        level,
        lastChanged,
        daysStale,
        stale,
        drift,
        breakingChanges,
        lastSeen: h.states[h.states.length - 1]!.t,
        advice,
        recommendation: RECOMMENDATIONS[advice],
      };
    })
    .sort((a, b) => (b.daysStale ?? -1) - (a.daysStale ?? -1) || a.mock.localeCompare(b.mock));
}

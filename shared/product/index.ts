/**
 * The Product view's computation (DESIGN.md, Views 4): blocks in, every
 * figure of the view out. Pure: the same blocks, dictionary and spec give
 * the same report.
 *
 * All figures are over `track` events with ts in spec.range ([from, to);
 * absent: all time) that pass spec.filters. A user is the `user` prop as
 * text; events without one count in `events` only. end = min(spec.now,
 * range.to), or spec.now with no range; the headline active-user counts and
 * the segments count back from it. Each part's rules are in its file:
 * active.ts, adoption.ts, experiments.ts (and verdict.ts, stats.ts),
 * segments.ts, funnels.ts.
 *
 * One pass over the columns (user-events.ts) selects the events with the
 * engine's own selection, so filters mean what they mean in every chart, and
 * lays each user's events out in time order; every figure is then a loop
 * over users. Distinct users per bucket and per feature come from it too,
 * not from engine queries (see active.ts for why).
 */
import type { ColumnBlock, Dictionary } from "../columns.ts";
import { activeSeries, recentUsers } from "./active.ts";
import { featureAdoption } from "./adoption.ts";
import { experimentResults } from "./experiments.ts";
import { funnelResults } from "./funnels.ts";
import { Matchers } from "./matchers.ts";
import { userSegments } from "./segments.ts";
import type { EventMatch, ProductReport, ProductSpec } from "./types.ts";
import { gatherUserEvents, IN_RANGE } from "./user-events.ts";

export type * from "./types.ts";
// the config schemas (settings.ts) are not re-exported: they bring zod, which the aggregation worker does without

/** The moment the headline counts and segments count back from: min(now, range.to), or now. */
export function reportEnd(spec: Pick<ProductSpec, "range" | "now">): number {
  return spec.range === undefined ? spec.now : Math.min(spec.now, spec.range.to);
}

/**
 * Every figure of the Product view over `blocks` (encoded against `dict`);
 * see the file comment and each part's file for the exact rules.
 */
export function productReport(blocks: readonly ColumnBlock[], dict: Dictionary, spec: ProductSpec): ProductReport {
  const end = reportEnd(spec);
  const matches: EventMatch[] = [...spec.funnels.flatMap((f) => f.steps), ...spec.experiments.flatMap((e) => (e.goal ? [e.goal] : []))];
  const matchers = new Matchers(matches, dict);
  const ue = gatherUserEvents(blocks, dict, { range: spec.range, filters: spec.filters }, matchers);
  const users = usersInRange(ue.start, ue.flags, ue.users);
  return {
    events: ue.events,
    users,
    active: { ...activeSeries(ue, spec.utcOffsetMinutes), ...recentUsers(ue, end) },
    adoption: featureAdoption(ue, users, spec.range !== undefined),
    experiments: experimentResults(ue, matchers, spec.experiments),
    segments: userSegments(ue, end, spec.utcOffsetMinutes),
    funnels: funnelResults(ue, matchers, spec.funnels),
  };
}

function usersInRange(start: Int32Array, flags: Uint8Array, n: number): number {
  let users = 0;
  const inRange = IN_RANGE; // read once: an imported binding may be a getter when bundled as CommonJS
  for (let u = 0; u < n; u++) {
    const e = start[u + 1]!;
    for (let i = start[u]!; i < e; i++) {
      if ((flags[i]! & inRange) !== 0) {
        users++;
        break;
      }
    }
  }
  return users;
}

/**
 * What the workspace page hands each view, and the time context every view
 * derives its queries from: the selection at "now", the concrete range and
 * the chart bucket.
 */
import type { EventType } from "../../../shared/event.ts";
import type { Bucket } from "../../../shared/query.ts";
import type { KnownWorkspace, Selection } from "../data/api.ts";
import { toSelection, type FilterState } from "../routing/filter-state.ts";
import { chooseBucket, DAY, localOffsetMinutes, resolveRange } from "../routing/time-range.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface ViewProps {
  workspace: KnownWorkspace;
  session: WorkspaceSession;
  filters: FilterState;
  setFilters(state: FilterState): void;
}

export interface TimeContext {
  selection: Selection;
  /** The concrete range (all time: the stored events' span); null when nothing is stored. */
  range: { from: number; to: number } | null;
  bucket: Bucket;
  offsetMinutes: number;
}

/** The time context of `filters` at the session's now, for events of `types` (or the filters' type). */
export function timeContext(session: WorkspaceSession, filters: FilterState, types?: EventType[]): TimeContext {
  const now = session.now();
  const ds = session.dataset();
  const bounds = ds && ds.events > 0 ? { minTs: ds.minTs, maxTs: ds.maxTs } : null;
  const range = resolveRange(filters.range, now, bounds);
  return {
    selection: toSelection(filters, now, bounds, types),
    range,
    bucket: chooseBucket(range ? range.to - range.from : DAY),
    offsetMinutes: localOffsetMinutes(now),
  };
}

/**
 * What a view shows when its selection matched nothing: the reason in words,
 * and one-click ways out (all time, no filters) that go through the URL like
 * any other filter change.
 */
import { Show, type JSX } from "solid-js";
import { EmptyState } from "../components/empty-state.tsx";
import { hasFilters, type FilterState } from "../routing/filter-state.ts";
import { PRESET_LABELS } from "../routing/time-range.ts";

export interface NoDataProps {
  filters: FilterState;
  setFilters(state: FilterState): void;
  /** "requests", "events" */
  noun: string;
}

export function NoData(props: NoDataProps): JSX.Element {
  const range = () => ("preset" in props.filters.range ? PRESET_LABELS[props.filters.range.preset].toLowerCase() : "the chosen range");
  const allTime = () => "preset" in props.filters.range && props.filters.range.preset === "all";
  return (
    <EmptyState
      title={`No ${props.noun} in this range`}
      hint={`Nothing matched in ${range()}${hasFilters(props.filters) ? " with these filters" : ""}. Try a longer range${hasFilters(props.filters) ? " or fewer filters" : ""}.`}
    >
      <Show when={!allTime()}>
        <button type="button" class="button" onClick={() => props.setFilters({ ...props.filters, range: { preset: "all" } })} data-testid="empty-all-time">
          Show all time
        </button>
      </Show>
      <Show when={hasFilters(props.filters)}>
        <button type="button" class="button" onClick={() => props.setFilters({ range: props.filters.range, type: null, fields: {}, custom: [] })} data-testid="empty-clear">
          Clear filters
        </button>
      </Show>
    </EmptyState>
  );
}

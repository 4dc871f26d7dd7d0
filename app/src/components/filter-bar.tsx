/**
 * The filter bar every view has: time range, event type, the well-known props
 * (env, protocol, endpoint, method, status) as selects whose options come
 * from group-by queries, and any other prop. It holds no state: it shows the
 * state from the URL and hands changes back, so the URL stays the truth.
 */
import { For, Index, Show, type JSX } from "solid-js";
import { EVENT_TYPES, type EventType } from "../../../shared/event.ts";
import type { FilterOption, FilterOptions } from "../panels/filter-options.ts";
import { FIELD_PROPS, hasFilters, withField, type FieldProp, type FilterState } from "../routing/filter-state.ts";
import { DEFAULT_PRESET, DEFAULT_RANGE } from "../routing/time-range.ts";
import { formatCount } from "./format.ts";
import { PropFilters } from "./prop-filters.tsx";
import { RangePicker } from "./range-picker.tsx";

export interface FilterBarProps {
  state: FilterState;
  options: FilterOptions | undefined;
  onChange: (state: FilterState) => void;
  /** Set when the view reads only one type (Traffic: requests); the type select is then not offered. */
  fixedType?: EventType;
  /** Extra controls at the end of the bar (the view's export menu). */
  children?: JSX.Element;
}

const LABELS: Record<FieldProp, string> = { env: "Env", protocol: "Protocol", endpoint: "Endpoint", method: "Method", status: "Status" };

interface SelectProps {
  id: string;
  label: string;
  value: string | undefined;
  options: FilterOption[] | undefined;
  onChange: (value: string | undefined) => void;
}

function FilterSelect(props: SelectProps): JSX.Element {
  // a value from the URL that is not among the options (another range, a long tail) stays selectable
  const options = () => {
    const list = props.options ?? [];
    const v = props.value;
    return v !== undefined && !list.some((o) => o.value === v) ? [{ value: v, count: NaN }, ...list] : list;
  };
  return (
    <label class="filter-select">
      <span class="filter-label">{props.label}</span>
      <select
        id={props.id}
        data-testid={props.id}
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
      >
        <option value="">All</option>
        {/* by position: a live update brings new option objects with mostly the same values and
            counts, and rewriting a few texts is far cheaper than rebuilding every option */}
        <Index each={options()}>
          {(o) => (
            <option value={o().value} selected={o().value === props.value}>
              {Number.isNaN(o().count) ? o().value : `${o().value} (${formatCount(o().count)})`}
            </option>
          )}
        </Index>
      </select>
    </label>
  );
}

export function FilterBar(props: FilterBarProps): JSX.Element {
  const typeOptions = () => {
    const counted = props.options?.type ?? [];
    // every type is offered, counted or not, so the list does not jump around
    return EVENT_TYPES.map((t) => counted.find((o) => o.value === t) ?? { value: t, count: 0 });
  };
  return (
    <div class="filter-bar" role="search" aria-label="Filters" data-testid="filter-bar">
      <div class="filter-row">
        <RangePicker range={props.state.range} onChange={(range) => props.onChange({ ...props.state, range })} />
        <Show when={props.children}>
          <div class="filter-actions">{props.children}</div>
        </Show>
      </div>
      <div class="filter-row filter-selects">
        <Show
          when={props.fixedType === undefined}
          fallback={
            <span class="filter-fixed" title="This view reads only events of this type">
              <span class="filter-label">Type</span> {props.fixedType}
            </span>
          }
        >
          <FilterSelect
            id="filter-type"
            label="Type"
            value={props.state.type ?? undefined}
            options={typeOptions()}
            onChange={(v) => props.onChange({ ...props.state, type: (v as EventType | undefined) ?? null })}
          />
        </Show>
        <For each={FIELD_PROPS}>
          {(name) => (
            <FilterSelect
              id={`filter-${name}`}
              label={LABELS[name]}
              value={props.state.fields[name]}
              options={props.options?.[name]}
              onChange={(v) => props.onChange(withField(props.state, name, v))}
            />
          )}
        </For>
        <PropFilters filters={props.state.custom} onChange={(custom) => props.onChange({ ...props.state, custom })} />
        <Show when={hasFilters(props.state) || !("preset" in props.state.range && props.state.range.preset === DEFAULT_PRESET)}>
          <button
            type="button"
            class="link-button"
            onClick={() => props.onChange({ range: DEFAULT_RANGE, type: null, fields: {}, custom: [] })}
            data-testid="clear-filters"
          >
            Reset filters
          </button>
        </Show>
      </div>
    </div>
  );
}

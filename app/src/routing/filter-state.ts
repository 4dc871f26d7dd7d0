/**
 * Filter state ↔ URL query string ↔ query filters. The URL is the only store
 * of filter state, so a copied link reproduces the view:
 *
 *   range=1h|24h|7d|30d|all   or   from=<ISO or epoch ms>&to=<…>
 *   type=<event type>
 *   env= protocol= endpoint= method= status=   (well-known props)
 *   prop.<name>=<value>                        (any other prop)
 *
 * Every filter is "prop equals value"; values compare as text, so
 * status=500 matches the number 500.
 */
import { EVENT_TYPES, type EventType } from "../../../shared/event.ts";
import type { Filter } from "../../../shared/query.ts";
import type { Selection } from "../data/api.ts";
import { DEFAULT_RANGE, isPreset, resolveRange, type DataBounds, type RangeState } from "./time-range.ts";

/** Props with a select of their own in the filter bar, in display order. */
export const FIELD_PROPS = ["env", "protocol", "endpoint", "method", "status"] as const;
export type FieldProp = (typeof FIELD_PROPS)[number];

export interface FilterState {
  range: RangeState;
  type: EventType | null;
  fields: Partial<Record<FieldProp, string>>;
  /** Other props, `prop.<name>=<value>` in the URL, in URL order. */
  custom: Array<[name: string, value: string]>;
}

const PROP_PREFIX = "prop.";

function parseTime(text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const t = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(t) ? t : null;
}

function isType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** Reads filter state from a view's query string; anything unreadable falls back to the default. */
export function parseFilters(params: URLSearchParams): FilterState {
  const from = parseTime(params.get("from"));
  const to = parseTime(params.get("to"));
  const preset = params.get("range") ?? "";
  const range: RangeState = from !== null && to !== null && from < to ? { from, to } : isPreset(preset) ? { preset } : DEFAULT_RANGE;
  const type = params.get("type");
  const fields: FilterState["fields"] = {};
  for (const name of FIELD_PROPS) {
    const value = params.get(name);
    if (value !== null && value !== "") fields[name] = value;
  }
  const custom: FilterState["custom"] = [];
  for (const [key, value] of params) {
    const name = key.startsWith(PROP_PREFIX) ? key.slice(PROP_PREFIX.length) : "";
    if (name !== "" && value !== "") custom.push([name, value]);
  }
  return { range, type: type !== null && isType(type) ? type : null, fields, custom };
}

function formatTime(t: number): string {
  return new Date(t).toISOString().replace(/\.000Z$/, "Z");
}

/** Writes filter state as a view's query string, in a fixed order so equal states give equal links. */
export function filtersToParams(state: FilterState): URLSearchParams {
  const params = new URLSearchParams();
  if ("preset" in state.range) params.set("range", state.range.preset);
  else {
    params.set("from", formatTime(state.range.from));
    params.set("to", formatTime(state.range.to));
  }
  if (state.type !== null) params.set("type", state.type);
  for (const name of FIELD_PROPS) {
    const value = state.fields[name];
    if (value !== undefined) params.set(name, value);
  }
  for (const [name, value] of state.custom) params.append(PROP_PREFIX + name, value);
  return params;
}

/** The prop filters of a state (all of them but range and type). */
export function propFilters(state: FilterState): Filter[] {
  const filters: Filter[] = [];
  for (const name of FIELD_PROPS) {
    const value = state.fields[name];
    if (value !== undefined) filters.push({ dim: { prop: name }, in: [value] });
  }
  for (const [name, value] of state.custom) filters.push({ dim: { prop: name }, in: [value] });
  return filters;
}

/**
 * The events a state selects at time `now`. `types` overrides the state's
 * type (Traffic always reads request events).
 */
export function toSelection(state: FilterState, now: number, bounds: DataBounds | null, types?: EventType[]): Selection {
  const selection: Selection = { filters: propFilters(state) };
  // "all time" means no range at all, so events outside the loaded bounds are never cut off
  if (!("preset" in state.range && state.range.preset === "all")) {
    const range = resolveRange(state.range, now, bounds);
    if (range !== null) selection.range = range;
  }
  const chosen = types ?? (state.type !== null ? [state.type] : undefined);
  if (chosen !== undefined) selection.types = chosen;
  return selection;
}

/** A copy of `state` with one change applied; `undefined`/`""` clears a field. */
export function withField(state: FilterState, name: FieldProp, value: string | undefined): FilterState {
  const fields = { ...state.fields };
  if (value === undefined || value === "") delete fields[name];
  else fields[name] = value;
  return { ...state, fields };
}

/** Whether any filter other than the range is set. */
export function hasFilters(state: FilterState): boolean {
  return state.type !== null || Object.keys(state.fields).length > 0 || state.custom.length > 0;
}

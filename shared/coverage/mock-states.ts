/**
 * Mock states over time, read from the `mockStates` query: one state per mock
 * per minute. A mock is named by its method and endpoint, or by its event
 * name when it has no endpoint. States reported within the same minute are
 * one state, the least realistic and most drifting of them.
 */
import type { CoverageResults } from "./results.ts";
import { amount, endpointKey, label, rowsOf, time } from "./rows.ts";

/** One reported state; NaN where the state did not carry the value. */
export interface MockState {
  t: number;
  level: number;
  drift: number;
  breaking: number;
}

/** A mock and its states in time order. */
export interface MockHistory {
  /** What the report shows: "GET /users/{id}", or the event name. */
  mock: string;
  method: string | null;
  endpoint: string | null;
  states: MockState[];
}

function worst(a: number, b: number, pick: (x: number, y: number) => number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return pick(a, b);
}

/** Every mock's history, ordered by mock. */
export function mockHistories(results: Pick<CoverageResults, "mockStates">): MockHistory[] {
  const mocks = new Map<string, MockHistory & { byTime: Map<number, MockState> }>();
  for (const row of rowsOf(results.mockStates)) {
    if (amount(row, 0) === 0) continue;
    const method = label(row, 0);
    const endpoint = label(row, 1);
    const name = label(row, 2) ?? "";
    const mock = endpoint === null ? name : method === null ? endpoint : endpointKey(method, endpoint);
    let h = mocks.get(mock);
    if (h === undefined) {
      mocks.set(mock, (h = { mock, method: endpoint === null ? null : method?.toUpperCase() ?? null, endpoint, states: [], byTime: new Map() }));
    }
    const t = time(row, 3);
    const state = { t, level: row.values[1] ?? NaN, drift: row.values[2] ?? NaN, breaking: row.values[3] ?? NaN };
    const same = h.byTime.get(t);
    if (same === undefined) h.byTime.set(t, state);
    else {
      same.level = worst(same.level, state.level, Math.min);
      same.drift = worst(same.drift, state.drift, Math.max);
      same.breaking = worst(same.breaking, state.breaking, Math.max);
    }
  }
  return [...mocks.values()]
    .map(({ mock, method, endpoint, byTime }) => ({ mock, method, endpoint, states: [...byTime.values()].sort((a, b) => a.t - b.t) }))
    .sort((a, b) => a.mock.localeCompare(b.mock));
}

/** The latest known value of one field at or before `until` (all states when absent); NaN if none. */
export function latest(states: readonly MockState[], field: "level" | "drift" | "breaking", until = Infinity): number {
  for (let i = states.length - 1; i >= 0; i--) {
    const s = states[i]!;
    if (s.t <= until && !Number.isNaN(s[field])) return s[field];
  }
  return NaN;
}

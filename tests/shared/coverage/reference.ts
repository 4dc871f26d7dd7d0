/**
 * The coverage figures computed the plain way, by looping over raw events,
 * for the property test to hold the engine-backed report against. Written
 * from the rules in the shared/coverage file headers, not from their code.
 */
import type { StoredEvent } from "../../../shared/event.ts";

const DAY = 86_400_000;
const day = (t: number, off: number) => Math.floor((t + off * 60_000) / DAY) * DAY - off * 60_000;
const str = (v: unknown): string | null => (v === undefined ? null : String(v));
const ran = (e: StoredEvent) => e.type === "test" && e.props.status !== "skipped";
const ciRequest = (e: StoredEvent) => e.type === "request" && (e.props.ci !== undefined || e.props.run !== undefined);

export interface RefInput {
  catalog: { method: string; endpoint: string; responses?: number[] }[];
  scenarios: string[];
  personas: string[];
  now: number;
  range?: { from: number; to: number };
  off: number;
  coverageMin: number;
  staleDays: number;
  highDrift: number;
}

function inRange(e: StoredEvent, input: RefInput): boolean {
  return input.range === undefined || (e.ts >= input.range.from && e.ts < input.range.to);
}

export function refEndpoints(events: StoredEvent[], input: RefInput) {
  const evs = events.filter((e) => inRange(e, input));
  const hits = (e: StoredEvent, method: string, endpoint: string) =>
    (ran(e) || ciRequest(e)) && e.props.endpoint === endpoint && str(e.props.method)?.toUpperCase() === method;
  return input.catalog.map((c) => {
    const mine = evs.filter((e) => hits(e, c.method, c.endpoint));
    const codes = new Set(mine.map((e) => Number(e.type === "test" ? e.props.response : e.props.status)).filter(Number.isInteger));
    const documented = c.responses ?? [];
    const exercised = documented.filter((d) => codes.has(d));
    const tests = mine.filter((e) => e.type === "test");
    return {
      method: c.method,
      endpoint: c.endpoint,
      exercised,
      coverage: documented.length === 0 ? (mine.length > 0 ? 1 : 0) : exercised.length / documented.length,
      tests: tests.length,
      ciRequests: mine.length - tests.length,
      lastTested: tests.length === 0 ? null : Math.max(...tests.map((e) => day(e.ts, input.off))),
      missingScenarios: input.scenarios.filter((s) => !mine.some((e) => e.props.scenario === s)),
    };
  });
}

export function refScenarios(events: StoredEvent[], input: RefInput) {
  const evs = events.filter((e) => inRange(e, input) && (ran(e) || e.type === "request") && e.props.scenario !== undefined);
  const names = new Set([...input.scenarios, ...evs.map((e) => String(e.props.scenario))]);
  // the trend's two weeks end with the range (or now), whatever the range's start
  const end = input.range === undefined ? input.now : Math.min(input.now, input.range.to - 1);
  const today = day(end, input.off);
  const trend = events.filter((e) => (input.range === undefined || (e.ts >= input.range.to - 15 * DAY && e.ts < input.range.to)) && (ran(e) || e.type === "request") && e.props.scenario !== undefined);
  return [...names].sort().map((s) => {
    const mine = evs.filter((e) => String(e.props.scenario) === s);
    const days = mine.map((e) => day(e.ts, input.off));
    const trendDays = trend.filter((e) => String(e.props.scenario) === s).map((e) => day(e.ts, input.off));
    return {
      scenario: s,
      count: mine.length,
      lastUsed: days.length === 0 ? null : Math.max(...days),
      thisWeek: trendDays.filter((d) => d > today - 7 * DAY && d <= today).length,
      previousWeek: trendDays.filter((d) => d > today - 14 * DAY && d <= today - 7 * DAY).length,
    };
  });
}

export function refPersonas(events: StoredEvent[], input: RefInput) {
  const evs = events.filter((e) => inRange(e, input) && (ran(e) || ciRequest(e)) && e.props.persona !== undefined);
  const names = new Set([...input.personas, ...evs.map((e) => String(e.props.persona))]);
  return [...names].sort().map((p) => {
    const mine = evs.filter((e) => String(e.props.persona) === p);
    return {
      persona: p,
      hits: mine.length,
      tests: mine.filter((e) => e.type === "test").length,
      lastHit: mine.length === 0 ? null : Math.max(...mine.map((e) => day(e.ts, input.off))),
      ciSystems: [...new Set(mine.map((e) => str(e.props.ci)).filter((c) => c !== null))].sort(),
    };
  });
}

export function refFlaky(events: StoredEvent[], input: RefInput) {
  const byTest = new Map<string, StoredEvent[]>();
  for (const e of events) {
    if (!inRange(e, input) || !ran(e)) continue;
    const key = `${str(e.props.suite)}|${e.name}`;
    byTest.set(key, [...(byTest.get(key) ?? []), e]);
  }
  return [...byTest.entries()]
    .map(([key, runs]) => {
      // a run's unit: its commit, else its CI run; runs with neither are judged on nothing
      const unit = (e: StoredEvent): string | null => (str(e.props.commit) !== null ? `c:${str(e.props.commit)}` : str(e.props.run) !== null ? `r:${str(e.props.run)}` : null);
      const commits = [...new Set(runs.map(unit).filter((c) => c !== null))];
      const flaky = commits.filter((c) => {
        const on = runs.filter((e) => unit(e) === c);
        const failed = on.some((e) => e.props.status === "failed" || e.props.status === "error");
        const passed = on.some((e) => e.props.status === "passed");
        const retry = on.some((e) => e.props.status === "passed" && Number(e.props.attempt) >= 2);
        return (failed && passed) || retry;
      });
      return { key, runs: runs.length, commits: commits.length, flakyCommits: flaky.length };
    })
    .filter((t) => t.flakyCommits > 0)
    .sort((a, b) => a.key.localeCompare(b.key));
}

interface State {
  t: number;
  level: number;
  drift: number;
  breaking: number;
}

/** Each mock's states, merged per minute (least realistic, most drifting), in time order. */
function mockStates(events: StoredEvent[], input: RefInput): Map<string, State[]> {
  const out = new Map<string, Map<number, State>>();
  const num = (v: unknown) => (typeof v === "number" ? v : NaN);
  const worst = (a: number, b: number, f: (x: number, y: number) => number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : f(a, b));
  for (const e of events) {
    if (e.type !== "mock" || (input.range !== undefined && e.ts >= input.range.to)) continue;
    const endpoint = str(e.props.endpoint);
    const method = str(e.props.method);
    const key = endpoint === null ? e.name : method === null ? endpoint : `${method.toUpperCase()} ${endpoint}`;
    const t = Math.floor(e.ts / 60_000) * 60_000;
    const states = out.get(key) ?? new Map<number, State>();
    out.set(key, states);
    const s = { t, level: num(e.props.reality_level), drift: num(e.props.drift), breaking: num(e.props.breaking_changes) };
    const was = states.get(t);
    states.set(
      t,
      was === undefined
        ? s
        : { t, level: worst(was.level, s.level, Math.min), drift: worst(was.drift, s.drift, Math.max), breaking: worst(was.breaking, s.breaking, Math.max) },
    );
  }
  return new Map([...out.entries()].map(([k, m]) => [k, [...m.values()].sort((a, b) => a.t - b.t)]));
}

const lastOf = (states: State[], f: "level" | "drift" | "breaking", until = Infinity) =>
  states.filter((s) => s.t < until && !Number.isNaN(s[f])).at(-1)?.[f] ?? null;

export function refStaleness(events: StoredEvent[], input: RefInput) {
  return [...mockStates(events, input).entries()]
    .map(([mock, states]) => {
      const level = lastOf(states, "level");
      const leveled = states.filter((s) => !Number.isNaN(s.level));
      let i = leveled.length - 1;
      while (i > 0 && leveled[i - 1]!.level === level) i--;
      const lastChanged = level === null ? null : leveled[i]!.t;
      const daysStale = lastChanged === null ? null : Math.max(0, Math.floor((input.now - lastChanged) / DAY));
      const drift = lastOf(states, "drift");
      const breaking = lastOf(states, "breaking");
      const advice =
        breaking !== null && breaking > 0
          ? "breaking"
          : drift !== null && drift >= input.highDrift
            ? "drift"
            : daysStale !== null && daysStale >= input.staleDays
              ? "stale"
              : level !== null && level <= 2
                ? "low-realism"
                : "ok";
      return { mock, level, lastChanged, daysStale, advice };
    })
    .sort((a, b) => a.mock.localeCompare(b.mock));
}

/** Mocks with a drift, drifting ones, high ones, as of `until` (exclusive; all when absent). */
export function refDrift(events: StoredEvent[], input: RefInput, until = Infinity) {
  const drifts = [...mockStates(events, input).values()].map((s) => lastOf(s, "drift", until)).filter((d) => d !== null);
  return { mocks: drifts.length, drifting: drifts.filter((d) => d > 0).length, highDrift: drifts.filter((d) => d >= input.highDrift).length };
}

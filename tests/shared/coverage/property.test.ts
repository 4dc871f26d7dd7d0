// The engine-backed report against plain loops over the raw events (reference.ts), on seeded random workspaces.
import { describe, expect, it } from "vitest";
import { coverageFromEvents, type CatalogEntry } from "../../../shared/coverage/index.ts";
import type { EventType, PropValue, Props, StoredEvent } from "../../../shared/event.ts";
import { mulberry32 } from "../../../shared/prng.ts";
import { refDrift, refEndpoints, refFlaky, refPersonas, refScenarios, refStaleness, type RefInput } from "./reference.ts";

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const NOW = Date.parse("2026-11-23T15:30:00Z");
const DAY = 86_400_000;

/** Pools small enough that values repeat; `undefined` leaves the prop out. */
const POOLS: Record<string, readonly (PropValue | undefined)[]> = {
  method: ["GET", "GET", "POST", "get", "DELETE", undefined],
  endpoint: ["/a", "/a", "/b", "/c/{id}", "/d", undefined],
  scenario: ["s1", "s2", "s3", undefined],
  persona: ["p1", "p2", "p3", undefined, undefined],
  ci: ["github", "gitlab", undefined, undefined],
  run: ["1", "2", 3, undefined, undefined],
  suite: ["A", "B", undefined],
  commit: ["c1", "c2", "c3", "c4", undefined],
  attempt: [1, 1, 1, 2, 3],
};
const TEST_STATUS = ["passed", "passed", "failed", "error", "skipped"];
const CODES = [200, 201, 400, 404, 500, "404"];

function props(rand: Rand, keys: string[]): Props {
  const out: Props = {};
  for (const k of keys) {
    const v = pick(rand, POOLS[k]!);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function randomEvents(rand: Rand, n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (let i = 0; i < n; i++) {
    // mostly the last 40 days, sometimes on the minute, so states share minutes
    const ts = Math.floor(NOW - rand() * 40 * DAY);
    const type = pick<EventType>(rand, ["test", "test", "request", "request", "mock", "job"]);
    let p: Props = {};
    let name = pick(rand, ["t1", "t2", "t3", "t4"]);
    if (type === "test") {
      p = props(rand, ["method", "endpoint", "scenario", "persona", "ci", "run", "suite", "commit", "attempt"]);
      p.status = pick(rand, TEST_STATUS);
      if (rand() < 0.8) p.response = pick(rand, CODES);
    } else if (type === "request") {
      p = props(rand, ["method", "endpoint", "scenario", "persona", "ci", "run"]);
      p.status = pick(rand, CODES);
    } else if (type === "mock") {
      p = props(rand, ["method", "endpoint"]);
      name = pick(rand, ["m1", "m2"]);
      if (rand() < 0.9) p.reality_level = pick(rand, [1, 2, 3, 4, 5]);
      if (rand() < 0.7) p.drift = pick(rand, [0, 0, 0.1, 0.5, 0.8]);
      if (rand() < 0.3) p.breaking_changes = pick(rand, [0, 0, 1]);
    } else p = props(rand, ["ci", "commit"]);
    events.push({ seq: i + 1, id: `e${i}`, ts: rand() < 0.2 ? Math.floor(ts / 60_000) * 60_000 : ts, received_at: ts, type, name, props: p });
  }
  return events;
}

const CATALOG: CatalogEntry[] = [
  { method: "GET", endpoint: "/a", responses: [200, 404] },
  { method: "POST", endpoint: "/a", responses: [201, 400, 500] },
  { method: "GET", endpoint: "/c/{id}", responses: [200] },
  { method: "DELETE", endpoint: "/c/{id}" },
  { method: "GET", endpoint: "/never", responses: [200, 404] },
];

const CASES = [
  { seed: 1, n: 300, off: 0, range: undefined },
  { seed: 2, n: 800, off: 330, range: { from: NOW - 20 * DAY, to: NOW - 2 * DAY } },
  { seed: 3, n: 1500, off: -480, range: undefined },
  { seed: 4, n: 5000, off: 60, range: { from: NOW - 30 * DAY, to: NOW } },
];

describe.each(CASES)("random workspace, seed $seed ($n events, offset $off)", ({ seed, n, off, range }) => {
  const events = randomEvents(mulberry32(seed), n);
  const input: RefInput = { catalog: CATALOG, scenarios: ["s1", "s2", "s9"], personas: ["p1", "p9"], now: NOW, range, off, coverageMin: 80, staleDays: 10, highDrift: 0.5 };
  const report = coverageFromEvents(events, {
    catalog: CATALOG,
    scenarios: input.scenarios,
    personas: input.personas,
    thresholds: { stale_days: 10 },
    now: NOW,
    range,
    utcOffsetMinutes: off,
  });

  it("agrees on endpoint coverage", () => {
    const ref = refEndpoints(events, input);
    expect(report.endpoints.map((e) => ({ method: e.method, endpoint: e.endpoint, exercised: e.exercised, coverage: e.coverage, tests: e.tests, ciRequests: e.ciRequests, lastTested: e.lastTested, missingScenarios: e.missingScenarios }))).toEqual(ref);
    const documented = CATALOG.reduce((s, c) => s + Math.max(1, c.responses?.length ?? 0), 0);
    const exercised = ref.reduce((s, e, i) => s + (CATALOG[i]!.responses ? e.exercised.length : e.coverage), 0);
    expect(report.overall).toMatchObject({ documented, exercised, coverage: exercised / documented });
  });

  it("agrees on scenario usage", () => {
    const ref = refScenarios(events, input);
    const got = [...report.scenarios].sort((a, b) => a.scenario.localeCompare(b.scenario));
    expect(got.map((s) => ({ scenario: s.scenario, count: s.count, lastUsed: s.lastUsed, thisWeek: s.thisWeek, previousWeek: s.previousWeek }))).toEqual(ref);
    // each heatmap row sums to its scenario's count when the heatmap spans every day of use
    report.heatmap.scenarios.forEach((s, i) => {
      expect(report.heatmap.counts[i]!.reduce((a, b) => a + b, 0)).toBe(ref.find((r) => r.scenario === s)!.count);
    });
  });

  it("agrees on persona hits", () => {
    const got = [...report.personas.personas].sort((a, b) => a.persona.localeCompare(b.persona));
    expect(got.map((p) => ({ persona: p.persona, hits: p.hits, tests: p.tests, lastHit: p.lastHit, ciSystems: p.ciSystems }))).toEqual(refPersonas(events, input));
  });

  it("agrees on flaky tests", () => {
    const got = report.flaky.tests.map((t) => ({ key: `${t.suite}|${t.name}`, runs: t.runs, commits: t.commits, flakyCommits: t.flakyCommits }));
    expect(got.sort((a, b) => a.key.localeCompare(b.key))).toEqual(refFlaky(events, input));
  });

  it("agrees on staleness and drift", () => {
    const got = [...report.staleness].sort((a, b) => a.mock.localeCompare(b.mock));
    expect(got.map((m) => ({ mock: m.mock, level: m.level, lastChanged: m.lastChanged, daysStale: m.daysStale, advice: m.advice }))).toEqual(refStaleness(events, input));
    expect(report.drift).toMatchObject(refDrift(events, input));
    expect(report.drift.trend.days.length).toBeGreaterThan(0);
    report.drift.trend.days.forEach((d, i) => {
      const ref = refDrift(events, input, d + DAY);
      expect([report.drift.trend.mocks[i], report.drift.trend.drifting[i]]).toEqual([ref.mocks, ref.drifting]);
    });
  });
});

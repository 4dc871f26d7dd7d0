// Percentiles per group through the engine (binned values shared by a run's queries, or the per-group path for
// very many groups) against a full sort of each group's values, on distributions chosen to stress the bins.
import { describe, expect, it } from "vitest";
import { runQueries } from "../../../shared/engine/index.ts";
import type { Query } from "../../../shared/query.ts";
import type { StoredEvent } from "../../../shared/event.ts";
import { blocksOf, ev } from "./fixtures.ts";
import { mulberry32, type Rand } from "./random.ts";
import { percentile } from "./reference.ts";

const DISTRIBUTIONS: Record<string, (rand: Rand) => number> = {
  lognormal: (r) => Math.round(Math.exp(3 + Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())) * 10) / 10,
  "few values": (r) => [1, 2, 2, 3, 1000][Math.floor(r() * 5)]!,
  "mixed signs": (r) => (r() - 0.5) * 1e6,
  "zeros of both signs": (r) => [0, -0, 1, -1, 0.5][Math.floor(r() * 5)]!,
  "tiny and huge": (r) => (r() < 0.5 ? r() * 1e-300 : r() * 1e300) * (r() < 0.3 ? -1 : 1),
  "one outlier": (r) => (r() < 0.001 ? 1e12 : 5),
  "skewed to one side": (r) => (r() < 0.99 ? 1000 + r() : r() * 1e-6),
};

const MEASURES = [{ fn: "p50" }, { fn: "p95" }, { fn: "p99" }] as const;

/** `n` events in `groups` groups of uneven sizes; about one in ten has no latency. */
function events(n: number, groups: number, draw: (r: Rand) => number, rand: Rand): StoredEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const g = Math.floor(rand() ** 2 * groups);
    return ev(1_700_000_000_000 + i, rand() < 0.1 ? { g: `g${g}` } : { g: `g${g}`, latency_ms: draw(rand) });
  });
}

function expected(evs: StoredEvent[], q: number): Map<string, number> {
  const byGroup = new Map<string, number[]>();
  for (const e of evs) {
    const list = byGroup.get(e.props.g as string) ?? [];
    byGroup.set(e.props.g as string, list);
    if (typeof e.props.latency_ms === "number") list.push(e.props.latency_ms);
  }
  return new Map([...byGroup].map(([g, xs]) => [g, percentile(xs, q)]));
}

describe("percentiles per group", () => {
  for (const [name, draw] of Object.entries(DISTRIBUTIONS)) {
    it.each([
      [300, 3],
      [5_000, 1],
      [20_000, 40],
      [20_000, 3_000],
      [30_000, 6_000],
    ])(`match a full sort per group for ${name}: %i events in up to %i groups`, (n, groups) => {
      const rand = mulberry32(n + groups + name.length);
      const evs = events(n, groups, draw, rand);
      // blocks of uneven sizes, as stored segments are
      const cut = Math.min(1000, n - 7);
      const { blocks, dict } = blocksOf(evs.slice(0, cut), evs.slice(cut, n - 7), evs.slice(n - 7));
      const grouped: Query = { groupBy: [{ prop: "g" }], measures: [...MEASURES].map((m) => ({ ...m, of: { prop: "latency_ms" } })) };
      const overall: Query = { measures: [{ fn: "p95", of: { prop: "latency_ms" } }] };
      // both in one run, so the overall percentile reads the values gathered for the grouped one
      const [byGroup, all] = runQueries(blocks, dict, [grouped, overall]);
      const labels = byGroup!.keys[0]!.values as string[];
      MEASURES.forEach((m, i) => {
        const want = expected(evs, { p50: 0.5, p95: 0.95, p99: 0.99 }[m.fn]);
        // -0 and 0 are the same value here: a sort may put either first
        labels.forEach((g, row) => expect(byGroup!.measures[i]![row]! + 0, `${m.fn} of ${g}`).toBe(want.get(g)! + 0));
      });
      const present = evs.flatMap((e) => (typeof e.props.latency_ms === "number" ? [e.props.latency_ms] : []));
      expect(all!.measures[0]![0]! + 0).toBe(percentile(present, 0.95) + 0);
    });
  }

  it("gives NaN for a group without values and for an empty selection", () => {
    const { blocks, dict } = blocksOf([ev(1, { g: "a" }), ev(2, { g: "b", latency_ms: 7 }), ev(3, { g: "a" })]);
    const [r] = runQueries(blocks, dict, [{ groupBy: [{ prop: "g" }], measures: [{ fn: "p50", of: { prop: "latency_ms" } }] }]);
    expect(r!.keys[0]!.values).toEqual(["a", "b"]);
    expect(Array.from(r!.measures[0]!)).toEqual([NaN, 7]);
    const [none] = runQueries(blocks, dict, [{ range: { from: 10, to: 20 }, measures: [{ fn: "p99", of: { prop: "latency_ms" } }] }]);
    expect(none!.measures[0]![0]).toBeNaN();
  });
});

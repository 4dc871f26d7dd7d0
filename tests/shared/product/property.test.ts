/**
 * productReport against the plain reference (reference.ts) on seeded random
 * workspaces: users as text and as numbers, events without a user, ties on
 * ts, events out of time order, props numeric in some blocks and text in
 * others, random ranges, filters, goals, controls and funnels.
 */
import { describe, expect, it } from "vitest";
import { encodeBlock, newDictionary, type ColumnBlock } from "../../../shared/columns.ts";
import type { Props, PropValue, StoredEvent } from "../../../shared/event.ts";
import { mulberry32 } from "../../../shared/prng.ts";
import { productReport } from "../../../shared/product/index.ts";
import type { EventMatch, ProductSpec } from "../../../shared/product/types.ts";
import type { Filter } from "../../../shared/query.ts";
import { DAY, HOUR, T0 } from "./fixtures.ts";
import { referenceReport } from "./reference.ts";

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const USERS: (PropValue | undefined)[] = [...Array.from({ length: 25 }, (_, i) => `u${i}`), 7, "7", 12, 3.5, undefined];
const NAMES = ["view", "signup", "checkout", "purchase", "share"];
const PROPS: Record<string, (PropValue | undefined)[]> = {
  feature: ["search", "export", "(none)", 42, "42", undefined, undefined],
  experiment: ["e1", "e2", "e3", undefined, undefined, undefined],
  variant: ["control", "A", "B", 1, undefined],
  converted: [true, "true", false, 1, undefined, undefined],
  plan: ["pro", "free", 3, true, undefined],
};

function randomEvents(rand: Rand, n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let ts = T0 - 40 * DAY;
  for (let i = 0; i < n; i++) {
    // mostly forward in time, with ties and steps back
    const r = rand();
    ts = r < 0.15 ? ts : r < 0.25 ? ts - Math.floor(rand() * 2 * DAY) : ts + Math.floor(rand() * 2 * HOUR);
    if (rand() < 0.05) ts -= ts % DAY; // on a day edge
    const props: Props = {};
    const user = pick(rand, USERS);
    if (user !== undefined) props["user"] = user;
    for (const [key, values] of Object.entries(PROPS)) {
      const v = pick(rand, values);
      if (v !== undefined) props[key] = v;
    }
    events.push({ seq: i + 1, id: `e${i}`, ts, received_at: ts, type: rand() < 0.9 ? "track" : "request", name: pick(rand, NAMES), props });
  }
  return events;
}

function randomMatch(rand: Rand): EventMatch {
  const name = pick(rand, NAMES);
  return rand() < 0.3 ? { name, props: { plan: pick(rand, ["pro", 3, true, "free"]) } } : { name };
}

function randomSpec(rand: Rand, events: readonly StoredEvent[]): ProductSpec {
  const first = Math.min(...events.map((e) => e.ts));
  const last = Math.max(...events.map((e) => e.ts));
  const from = first + Math.floor(rand() * (last - first) * 0.6);
  const to = from + Math.floor(rand() * (last - from) * 1.2) + HOUR;
  const filters: Filter[] = pick(rand, [[], [], [{ dim: { field: "name" }, notIn: ["share"] }], [{ dim: { prop: "plan" }, in: ["pro", "3"] }], [{ dim: { prop: "feature" }, present: true }]]);
  return {
    ...(rand() < 0.8 ? { range: { from, to } } : {}),
    filters,
    utcOffsetMinutes: pick(rand, [0, 60, -300, 330]),
    now: rand() < 0.5 ? to - Math.floor(rand() * 10 * DAY) : last + DAY,
    experiments: [
      ...(rand() < 0.5 ? [{ experiment: "e2", goal: randomMatch(rand), ...(rand() < 0.5 ? { control: pick(rand, ["A", "B", "zzz"]) } : {}) }] : []),
      ...(rand() < 0.5 ? [{ experiment: "e3", control: pick(rand, ["B", "1"]) }] : []),
    ],
    funnels: Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => ({
      name: `f${i}`,
      steps: Array.from({ length: 2 + Math.floor(rand() * 3) }, () => randomMatch(rand)),
      window_hours: pick(rand, [1, 6, 24, 72, 500]),
    })),
  };
}

function randomBlocks(rand: Rand, events: readonly StoredEvent[]): { blocks: ColumnBlock[]; dict: ReturnType<typeof newDictionary> } {
  const dict = newDictionary(["unrelated", "u3"]);
  const blocks: ColumnBlock[] = [];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(rand() * 120);
    blocks.push(encodeBlock(events.slice(i, i + size), dict));
    i += size;
  }
  return { blocks, dict };
}

/** Deep equality with numbers compared to 1e-9 (sums may add in another order) and NaN equal to NaN. */
function expectClose(actual: unknown, expected: unknown, path = "report"): void {
  if (typeof expected === "number") {
    expect(typeof actual, path).toBe("number");
    if (Number.isNaN(expected)) expect(actual, path).toBeNaN();
    else expect(Math.abs((actual as number) - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    return;
  }
  if (expected instanceof Float64Array) return expectClose(Array.from(actual as Float64Array), Array.from(expected), path);
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((v, i) => expectClose((actual as unknown[])[i], v, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(actual, path).toBe(expected);
}

describe("productReport against the reference", () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`agrees on seed ${seed}`, () => {
      const rand = mulberry32(seed);
      const events = randomEvents(rand, 200 + Math.floor(rand() * 900));
      const spec = randomSpec(rand, events);
      const { blocks, dict } = randomBlocks(rand, events);
      expectClose(productReport(blocks, dict, spec), referenceReport(events, spec));
    });
  }
});

/**
 * Seeded random events, blocks and queries for the property tests. Props mix
 * kinds on purpose: a prop is numeric in some events and text in others, so
 * that encodeBlock makes it a numeric column in some blocks and a string
 * column in others.
 */
import { encodeBlock, newDictionary, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";
import { EVENT_TYPES, type PropValue, type Props, type StoredEvent } from "../../../shared/event.ts";
import { BUCKETS, type Dim, type Filter, type GroupKey, type Measure, type Query } from "../../../shared/query.ts";
import { mulberry32 } from "../../../shared/prng.ts";
export { mulberry32 };


export type Rand = () => number;

export function pick<T>(rand: Rand, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function int(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

// two months around a year end, so week and month buckets cross it
export const SPAN = { from: Date.UTC(2025, 11, 1), to: Date.UTC(2026, 1, 15) };

const NAMES = ["GET /users", "POST /orders", "42", "7.5", "job.done", "(none)", "checkout"];
const PROTOCOLS = ["http", "grpc", "websocket", "500"];
/** Values for each prop; `undefined` leaves the prop out. */
const PROP_VALUES: Record<string, readonly (PropValue | undefined)[]> = {
  status: [200, 200, 201, 404, 500, 503, "500", "timeout", undefined],
  latency: [1.5, 12, 12, 40.25, 100, 250.5, 1000, -3, "12", "fast", undefined, undefined],
  protocol: [...PROTOCOLS, undefined],
  flag: [true, false, "true", undefined, undefined],
  n: [0, 1, 2, 7, 7, "7", "007", "1e3", 1000, 2.5, undefined],
  big: [2 ** 31, 2 ** 40 + 0.5, -(2 ** 35), 1e21, "1e+21", undefined, undefined, undefined],
};
export const PROPS = Object.keys(PROP_VALUES);

/** `n` events in seq order, times within SPAN (a few on bucket edges). */
export function randomEvents(rand: Rand, n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (let i = 0; i < n; i++) {
    let ts = SPAN.from + Math.floor(rand() * (SPAN.to - SPAN.from));
    if (rand() < 0.1) ts -= ts % 3_600_000; // exactly on an hour
    const props: Props = {};
    for (const key of PROPS) {
      const v = pick(rand, PROP_VALUES[key]!);
      if (v !== undefined) props[key] = v;
    }
    events.push({ seq: i + 1, id: `e${i}`, ts, received_at: ts, type: pick(rand, EVENT_TYPES), name: pick(rand, NAMES), props });
  }
  return events;
}

/** The events cut into blocks of random sizes, all encoded against one dictionary. */
export function randomBlocks(rand: Rand, events: readonly StoredEvent[]): { blocks: ColumnBlock[]; dict: Dictionary } {
  const dict = newDictionary(["unrelated", "words", "first"]);
  const blocks: ColumnBlock[] = [];
  for (let i = 0; i < events.length; ) {
    const size = rand() < 0.2 ? 1 : int(rand, 1, 60);
    blocks.push(encodeBlock(events.slice(i, i + size), dict));
    i += size;
  }
  if (rand() < 0.2) blocks.push(encodeBlock([], dict)); // an empty block changes nothing
  return { blocks, dict };
}

function randomDim(rand: Rand): Dim {
  const r = rand();
  if (r < 0.1) return { field: "name" };
  if (r < 0.2) return { field: "type" };
  if (r < 0.25) return { prop: "missing" };
  return { prop: pick(rand, PROPS) };
}

const FILTER_VALUES: PropValue[] = [200, "200", 500, "500", "500.0", 7, "7", "007", 12, "12", "http", "grpc", true, "true", false, "nope", "42", 42, ...NAMES, ...EVENT_TYPES, 1e21, "1e+21"];

function randomFilter(rand: Rand): Filter {
  const dim = randomDim(rand);
  const r = rand();
  if (r < 0.6) {
    const values = Array.from({ length: int(rand, 0, 3) }, () => pick(rand, FILTER_VALUES));
    return r < 0.4 ? { dim, in: values } : { dim, notIn: values };
  }
  if (r < 0.7) return { dim, present: rand() < 0.6 };
  const bounds = [-5, 0, 7, 12, 100, 404, 500, 1000];
  const filter: { dim: Dim; min?: number; max?: number } = { dim };
  if (rand() < 0.7) filter.min = pick(rand, bounds);
  if (rand() < 0.5) filter.max = pick(rand, bounds) + 1;
  return filter;
}

function randomKey(rand: Rand): GroupKey {
  return rand() < 0.45 ? { bucket: pick(rand, BUCKETS) } : randomDim(rand);
}

function randomMeasure(rand: Rand): Measure {
  const fn = pick(rand, ["count", "sum", "avg", "min", "max", "p50", "p95", "p99", "distinct", "rate"] as const);
  if (fn === "count") return { fn };
  if (fn === "rate") return { fn, where: Array.from({ length: int(rand, 1, 2) }, () => randomFilter(rand)) };
  return { fn, of: randomDim(rand) };
}

/** A query using any part of the model. */
export function randomQuery(rand: Rand): Query {
  const query: Query = { measures: Array.from({ length: int(rand, 1, 4) }, () => randomMeasure(rand)) };
  if (rand() < 0.5) {
    const a = SPAN.from + Math.floor(rand() * (SPAN.to - SPAN.from));
    const b = SPAN.from + Math.floor(rand() * (SPAN.to - SPAN.from));
    query.range = { from: Math.min(a, b), to: Math.max(a, b) };
  }
  if (rand() < 0.3) query.types = EVENT_TYPES.filter(() => rand() < 0.5);
  if (rand() < 0.6) query.filters = Array.from({ length: int(rand, 1, 2) }, () => randomFilter(rand));
  const keys = int(rand, 0, 2);
  if (keys > 0) query.groupBy = Array.from({ length: keys }, () => randomKey(rand));
  if (rand() < 0.6) query.utcOffsetMinutes = pick(rand, [0, 60, -300, 330, 345, -570, 840, -720]);
  if (rand() < 0.4) query.orderBy = { measure: int(rand, 0, query.measures.length - 1), asc: rand() < 0.3 };
  if (rand() < 0.3) query.limit = int(rand, 0, 8);
  return query;
}

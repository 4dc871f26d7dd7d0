// The coverage queries group by up to four keys, where the query model's views use two: the engine
// (full and incremental) against the engine tests' reference for such queries, on seeded random data.
import { describe, expect, it } from "vitest";
import { buildCoverageReport, coverageQueries } from "../../../shared/coverage/index.ts";
import { IncrementalQueries, runQueries } from "../../../shared/engine/index.ts";
import { BUCKETS, type GroupKey, type Measure, type Query, type QueryResult } from "../../../shared/query.ts";
import { mulberry32, pick, PROPS, randomBlocks, randomEvents, SPAN } from "../engine/random.ts";
import { referenceQuery } from "../engine/reference.ts";

const plain = (r: QueryResult) => ({
  rows: r.rows,
  matched: r.matched,
  keys: r.keys.map((k) => ({ kind: k.kind, values: [...k.values] })),
  measures: r.measures.map((m) => [...m]),
});

const KEYS: GroupKey[] = [...PROPS.map((prop) => ({ prop })), { field: "name" }, { field: "type" }, ...BUCKETS.map((bucket) => ({ bucket }))];
const MEASURES: Measure[] = [{ fn: "count" }, { fn: "distinct", of: { prop: "status" } }, { fn: "min", of: { prop: "n" } }, { fn: "max", of: { prop: "latency" } }];

describe("grouping by three and four keys", () => {
  for (let d = 0; d < 12; d++) {
    it(`dataset ${d}: matches the reference`, () => {
      const rand = mulberry32(500 + d);
      const events = randomEvents(rand, 50 + Math.floor(rand() * 400));
      const { blocks, dict } = randomBlocks(rand, events);
      const queries: Query[] = Array.from({ length: 8 }, () => ({
        groupBy: Array.from({ length: 3 + Math.floor(rand() * 2) }, () => pick(rand, KEYS)),
        measures: [pick(rand, MEASURES), pick(rand, MEASURES)],
        ...(rand() < 0.5 ? { utcOffsetMinutes: pick(rand, [60, -300, 330]) } : {}),
        ...(rand() < 0.4 ? { range: { from: SPAN.from + 10 * 86_400_000, to: SPAN.to - 10 * 86_400_000 } } : {}),
      }));
      const got = runQueries(blocks, dict, queries);
      queries.forEach((q, i) => expect(plain(got[i]!), JSON.stringify(q)).toEqual(plain(referenceQuery(events, q))));
    });
  }

  it("keeps the coverage queries current across appended blocks, as a full run gives them", () => {
    const rand = mulberry32(77);
    const events = randomEvents(rand, 600);
    // the random events' props stand in for coverage props: grouping and filtering work the same on any prop
    const renamed = events.map((e) => ({
      ...e,
      type: pick(rand, ["test", "request", "mock"] as const),
      props: { ...e.props, method: pick(rand, ["GET", "POST"]), endpoint: String(e.props.protocol ?? "/x"), run: String(e.props.n ?? ""), commit: String(e.props.flag ?? "c") },
    }));
    const { blocks, dict } = randomBlocks(rand, renamed);
    const queries = coverageQueries({ range: SPAN, utcOffsetMinutes: 60 });
    const live = new IncrementalQueries(queries, blocks.slice(0, 1), dict);
    for (let b = 1; b < blocks.length; b++) {
      const all = blocks.slice(0, b + 1);
      const kept = live.append([blocks[b]!], all, dict);
      const full = runQueries(all, dict, queries);
      expect(kept.map(plain)).toEqual(full.map(plain));
    }
    const input = { now: SPAN.to, range: SPAN, utcOffsetMinutes: 60 };
    expect(buildCoverageReport(live.results(blocks, dict), input)).toEqual(buildCoverageReport(runQueries(blocks, dict, queries), input));
  });
});

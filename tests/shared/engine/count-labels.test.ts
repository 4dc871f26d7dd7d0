// One-key, count-only groupings (the filter bar's options) take a path of their own that counts dictionary
// codes directly: against the reference on seeded random data, where a prop is numeric in one block and text
// in another, and absent in some events.
import { describe, expect, it } from "vitest";
import { runQueries } from "../../../shared/engine/index.ts";
import type { Dim, Query, QueryResult } from "../../../shared/query.ts";
import { ev, blocksOf } from "./fixtures.ts";
import { mulberry32, PROPS, randomBlocks, randomEvents, SPAN } from "./random.ts";
import { referenceQuery } from "./reference.ts";

const plain = (r: QueryResult) => ({ rows: r.rows, matched: r.matched, keys: r.keys.map((k) => [...k.values]), measures: r.measures.map((m) => [...m]) });

const DIMS: Dim[] = [...PROPS.map((prop) => ({ prop })), { field: "name" }, { field: "type" }];

describe("count-only groupings by one dimension", () => {
  for (let d = 0; d < 6; d++) {
    it(`dataset ${d}: match the reference for every dimension`, () => {
      const rand = mulberry32(900 + d);
      const events = randomEvents(rand, 100 + Math.floor(rand() * 500));
      const { blocks, dict } = randomBlocks(rand, events);
      const queries: Query[] = DIMS.flatMap((dim): Query[] => [
        { groupBy: [dim], measures: [{ fn: "count" }] },
        { groupBy: [dim], measures: [{ fn: "count" }, { fn: "count" }], orderBy: { measure: 0 }, limit: 3, range: { from: SPAN.from + 5 * 86_400_000, to: SPAN.to } },
        { groupBy: [dim], measures: [{ fn: "count" }], filters: [{ dim: { prop: "status" }, min: 400 }], types: ["request"] },
      ]);
      const got = runQueries(blocks, dict, queries);
      queries.forEach((q, i) => expect(plain(got[i]!), JSON.stringify(q)).toEqual(plain(referenceQuery(events, q))));
    });
  }

  it("counts a value sent as a number in one block and as text in another as one option", () => {
    const events = [ev(1, { status: 500 }), ev(2, { status: "500" }), ev(3, {}), ev(4, { status: 200 })];
    const { blocks, dict } = blocksOf(events.slice(0, 1), events.slice(1));
    const [r] = runQueries(blocks, dict, [{ groupBy: [{ prop: "status" }], measures: [{ fn: "count" }] }]);
    expect(plain(r!)).toEqual(plain(referenceQuery(events, { groupBy: [{ prop: "status" }], measures: [{ fn: "count" }] })));
    expect(r!.keys[0]!.values).toEqual(["(none)", "200", "500"]);
    expect([...r!.measures[0]!]).toEqual([1, 1, 2]);
  });
});

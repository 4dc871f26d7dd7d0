// matchingRows: the rows export takes are the events the reference counts.
import { describe, expect, it } from "vitest";
import { matchingRows } from "../../../shared/engine/index.ts";
import { mulberry32, randomBlocks, randomEvents, randomQuery } from "./random.ts";
import { referenceQuery } from "./reference.ts";

describe("matchingRows", () => {
  it("selects exactly the events the reference matches, in seq order", () => {
    const rand = mulberry32(20261123);
    for (let round = 0; round < 40; round++) {
      const events = randomEvents(rand, 50 + Math.floor(rand() * 400));
      const { blocks, dict } = randomBlocks(rand, events);
      const { range, types, filters } = randomQuery(rand);
      const selection = { ...(range ? { range } : {}), ...(types ? { types } : {}), ...(filters ? { filters } : {}) };
      const rows = matchingRows(blocks, dict, selection);
      const seqs = rows.flatMap((r, b) => Array.from(r, (i) => blocks[b]!.seq[i]!));
      const expected = referenceQuery(events, { ...selection, measures: [{ fn: "count" }] });
      expect(seqs.length).toBe(expected.matched);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      // every selected event passes: re-running the reference on just those gives them all
      const chosen = new Set(seqs);
      expect(referenceQuery(events.filter((e) => chosen.has(e.seq)), { ...selection, measures: [{ fn: "count" }] }).matched).toBe(seqs.length);
    }
  });
});

// Export's row selection through the engine's public API.
import { describe, expect, it } from "vitest";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { selectEvents } from "../../app/src/aggregate/select-events.ts";
import type { Selection } from "../../app/src/data/api.ts";
import { makeEvents } from "./helpers.ts";

function blocksOf(events: StoredEvent[], sizes: number[]) {
  const dict = newDictionary();
  const blocks = [];
  let at = 0;
  for (const n of sizes) {
    blocks.push(encodeBlock(events.slice(at, at + n), dict));
    at += n;
  }
  return { blocks, dict };
}

describe("selectEvents", () => {
  it("finds the matching rows in seq order across blocks and digit counts", () => {
    const events = makeEvents(1200);
    const { blocks, dict } = blocksOf(events, [7, 0, 93, 1000, 100]);
    const selection: Selection = { filters: [{ dim: { prop: "method" }, in: ["POST"] }] };
    const refs = selectEvents(blocks, dict, selection);
    const seqs = refs.map((r) => blocks[r.block]!.seq[r.row]);
    expect(seqs).toEqual(events.filter((e) => e.props["method"] === "POST").map((e) => e.seq));
    expect(refs[0]).toEqual({ block: 0, row: 2 });
  });

  it("applies the engine's semantics: text and numbers compare as text, ranges on numbers", () => {
    const [a, b, c] = makeEvents(3);
    const events = [
      { ...a!, props: { status: 500 } },
      { ...b!, props: { status: "500" } },
      { ...c!, props: { status: "ok" } },
    ];
    // one block where status is numeric, one where it is text
    const { blocks, dict } = blocksOf(events, [1, 2]);
    expect(selectEvents(blocks, dict, { filters: [{ dim: { prop: "status" }, in: [500] }] })).toEqual([
      { block: 0, row: 0 },
      { block: 1, row: 0 },
    ]);
    expect(selectEvents(blocks, dict, { filters: [{ dim: { prop: "status" }, min: 400 }] })).toHaveLength(2);
    expect(selectEvents(blocks, dict, { types: ["chaos"] })).toEqual([]);
  });

  it("selects everything when the selection is empty, and nothing from no blocks", () => {
    const { blocks, dict } = blocksOf(makeEvents(20), [20]);
    expect(selectEvents(blocks, dict, {})).toHaveLength(20);
    expect(selectEvents([], newDictionary(), {})).toEqual([]);
  });
});

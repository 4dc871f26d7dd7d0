// Columnar blocks give back what was sent: a number or boolean stored in a
// string column (beside text, or merged into one) reads back with its kind.
import { describe, expect, it } from "vitest";
import { concatBlocks, decodeRow, encodeBlock, newDictionary, pickTextKinds, type ColumnBlock, type Dictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";

function ev(seq: number, props: StoredEvent["props"]): StoredEvent {
  return { seq, id: `e${seq}`, ts: 1_700_000_000_000 + seq, received_at: 1_700_000_000_000 + seq, type: "track", name: "x", props };
}

const decodeAll = (block: ColumnBlock, dict: Dictionary) => Array.from({ length: block.length }, (_, i) => decodeRow(block, i, dict));

describe("value kinds in string columns", () => {
  it("reads booleans, and numbers sharing a column with text, back as sent", () => {
    const dict = newDictionary();
    const events = [ev(1, { ok: true, code: 404, plan: "pro" }), ev(2, { ok: false, code: "E_TIMEOUT" }), ev(3, { code: "404" })];
    const block = encodeBlock(events, dict);
    expect(block.props["ok"]!.kind).toBe("str");
    expect(block.props["code"]!.kind).toBe("str");
    // text columns with only text carry no kinds
    expect(Object.keys(block.textKinds ?? {}).sort()).toEqual(["code", "ok"]);
    expect(decodeAll(block, dict)).toEqual(events);
  });

  it("keeps kinds when blocks are joined, numbers of a numeric column turning text included", () => {
    const dict = newDictionary();
    const a = encodeBlock([ev(1, { code: 200, flag: true }), ev(2, { code: 201 })], dict);
    const b = encodeBlock([ev(3, { code: "E_1", flag: "yes" })], dict);
    const c = encodeBlock([ev(4, { code: 500 })], dict);
    expect(a.props["code"]!.kind).toBe("num");
    const joined = concatBlocks([a, b, c], dict);
    expect(joined.props["code"]!.kind).toBe("str");
    expect(decodeAll(joined, dict).map((e) => e.props)).toEqual([{ code: 200, flag: true }, { code: 201 }, { code: "E_1", flag: "yes" }, { code: 500 }]);
  });

  it("reads a block stored without kinds as text, as before kinds were kept", () => {
    const dict = newDictionary();
    const block = encodeBlock([ev(1, { ok: true })], dict);
    delete block.textKinds;
    expect(decodeRow(block, 0, dict).props).toEqual({ ok: "true" });
  });

  it("picks kinds with the rows a subset keeps", () => {
    const dict = newDictionary();
    const block = encodeBlock([ev(1, { v: 1 }), ev(2, { v: "a" }), ev(3, { v: true })], dict);
    const picked = pickTextKinds(block.textKinds, (k) => Uint8Array.from([2, 0], (r) => k[r]!));
    expect(picked).toEqual({ v: Uint8Array.from([2, 1]) });
    expect(pickTextKinds(undefined, (k) => k)).toBeUndefined();
  });
});

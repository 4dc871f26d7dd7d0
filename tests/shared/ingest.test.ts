// normalizeBatch: validation per event, ids, time conversion and skew.
import { describe, expect, it } from "vitest";
import { normalizeBatch, utf8Length } from "../../shared/ingest.ts";
import { LIMITS } from "../../shared/event.ts";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
let n = 0;
const ctx = (extra = {}) => ({ receivedAt: NOW, newId: () => `new-${++n}`, ...extra });
const ev = (extra: Record<string, unknown> = {}) => ({ type: "request", name: "GET /x", ...extra });

describe("normalizeBatch", () => {
  it("converts ISO and epoch timestamps to epoch ms and defaults a missing ts to receive time", () => {
    const out = normalizeBatch({ events: [ev({ ts: "2026-11-20T10:00:00Z" }), ev({ ts: NOW - 5 }), ev()] }, ctx());
    expect(out.events.map((e) => e.ts)).toEqual([Date.UTC(2026, 10, 20, 10), NOW - 5, NOW]);
    expect(out.rejections).toEqual([]);
  });

  it("shifts every ts by received_at - sent_at", () => {
    const ahead = 90_000; // sender's clock runs 90 s fast
    const out = normalizeBatch({ sent_at: NOW + ahead, events: [ev({ ts: NOW + ahead - 1000 })] }, ctx());
    expect(out.events[0]!.ts).toBe(NOW - 1000);
  });

  it("clamps timestamps more than 23 h ahead to receive time, with a warning", () => {
    const edge = NOW + LIMITS.futureToleranceMs;
    const out = normalizeBatch({ events: [ev({ ts: edge }), ev({ ts: edge + 1 })] }, ctx());
    expect(out.events.map((e) => e.ts)).toEqual([edge, NOW]);
    expect(out.warnings).toEqual([expect.objectContaining({ index: 1, code: "ts_clamped" })]);
  });

  it("keeps sender ids, derives ids from the idempotency key, else asks for fresh ones", () => {
    const batch = { events: [ev({ id: "mine" }), ev(), ev()] };
    expect(normalizeBatch(batch, ctx({ idempotencyKey: "k1" })).events.map((e) => e.id)).toEqual(["mine", "k1:1", "k1:2"]);
    const fresh = normalizeBatch(batch, ctx()).events.map((e) => e.id);
    expect(fresh[0]).toBe("mine");
    expect(fresh[1]).toMatch(/^new-\d+$/);
    expect(fresh[2]).not.toBe(fresh[1]);
  });

  it("rejects invalid events with index, path and message and keeps the valid ones", () => {
    const out = normalizeBatch(
      { events: [ev({ id: "a" }), ev({ id: "b", props: { deep: { x: 1 } } }), { id: "c", name: "x" }, ev({ id: "d" })] },
      ctx(),
    );
    expect(out.events.map((e) => e.id)).toEqual(["a", "d"]);
    expect(out.rejections).toEqual([
      { index: 1, id: "b", path: "props.deep", message: expect.stringContaining("flat") },
      { index: 2, id: "c", path: "type", message: "required" },
    ]);
  });

  it("rejects an event over 32 KB as a whole, counting UTF-8 bytes", () => {
    const big = ev({ id: "big", props: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "é".repeat(1000)])) });
    const out = normalizeBatch({ events: [big] }, ctx());
    expect(out.events).toEqual([]);
    expect(out.rejections[0]).toMatchObject({ index: 0, id: "big", path: "", message: expect.stringMatching(/^event is 4\d{4} bytes/) });
  });
});

describe("utf8Length", () => {
  it.each([
    ["abc", 3],
    ["é", 2],
    ["€", 3],
    ["😀", 4],
    ["a😀é", 7],
  ])("%s is %i bytes", (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
    expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });
});

// The largest batches the limits allow: 1,000 events, each near the per-event
// limits, and a body just under 1,000,000 bytes, stored whole in one transaction.
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/event.ts";
import { countEvents, expectError, gzip, ingest, postJson, postRaw, pullAll, workspace } from "./helpers.ts";

const LIMIT = 1_000_000;
const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

/** An event with its id at 128 characters, name at 512, a 128-character prop key and non-ASCII text. */
function nearLimits(i: number) {
  return {
    id: `${String(i).padStart(4, "0")}-${"i".repeat(123)}`,
    ts: 1_763_632_800_000 + i,
    type: "test",
    name: `${i} ${"n".repeat(511 - String(i).length)}`,
    props: { ["k".repeat(128)]: "é€😀".repeat(10), status: "passed", duration_ms: i * 1.5, retried: i % 2 === 0 },
  };
}

/** 1,000 events whose JSON array is exactly `total` bytes, padded through one string prop each. */
function batchOfBytes(total: number) {
  const events = Array.from({ length: 1000 }, (_, i) => ({ id: `pad-${i}`, type: "request", name: "GET /x", props: { pad: "" } }));
  const base = bytes(JSON.stringify(events));
  const per = Math.floor((total - base) / 1000);
  events.forEach((e, i) => (e.props.pad = "p".repeat(per + (i < total - base - per * 1000 ? 1 : 0))));
  return events;
}

const asStored = (e: { id: string; type: string; name: string; props: object }) => expect.objectContaining({ id: e.id, type: e.type, name: e.name, props: e.props });

function expectOneTransaction(events: StoredEvent[]) {
  // nothing else was written in between: the seqs are consecutive and share one receive time
  expect(events.at(-1)!.seq - events[0]!.seq).toBe(events.length - 1);
  expect(new Set(events.map((e) => e.received_at)).size).toBe(1);
}

describe("1,000 events near every per-event limit", () => {
  it("are accepted in one transaction and stored exactly, while other writers post", async () => {
    const [ws, other] = await Promise.all([workspace(), workspace()]);
    const batch = Array.from({ length: 1000 }, (_, i) => nearLimits(i));
    const body = JSON.stringify(batch);
    expect(bytes(body)).toBeGreaterThan(900_000);
    expect(bytes(body)).toBeLessThan(LIMIT);

    const noise = Array.from({ length: 10 }, (_, k) => ingest(other.id, other.write, [{ id: `o-${k}`, type: "track", name: "x" }]));
    const [r] = await Promise.all([ingest(ws.id, ws.write, body), ...noise]);
    expect(r).toEqual({ accepted: 1000, duplicates: 0, rejected: 0, rejections: [], warnings: [] });

    const stored = await pullAll(ws.id, ws.read);
    expect(stored).toEqual(batch.map((e) => ({ ...e, seq: expect.any(Number), received_at: expect.any(Number) })));
    expectOneTransaction(stored);
    expect(await countEvents(other.id)).toBe(10);
  });

  it("are all duplicates when posted again", async () => {
    const ws = await workspace();
    const body = JSON.stringify(Array.from({ length: 1000 }, (_, i) => nearLimits(i)));
    await ingest(ws.id, ws.write, body);
    expect(await ingest(ws.id, ws.write, body)).toMatchObject({ accepted: 0, duplicates: 1000 });
    expect(await countEvents(ws.id)).toBe(1000);
  });
});

describe("a body just under 1,000,000 bytes", () => {
  it("holding 1,000 events is accepted whole", async () => {
    const ws = await workspace();
    const batch = batchOfBytes(LIMIT - 1);
    const body = JSON.stringify(batch);
    expect(bytes(body)).toBe(LIMIT - 1);
    expect(await ingest(ws.id, ws.write, body)).toMatchObject({ accepted: 1000, rejected: 0 });
    const stored = await pullAll(ws.id, ws.read);
    expect(stored).toEqual(batch.map(asStored));
    expectOneTransaction(stored);
  });

  it("is accepted gzipped too, and one byte more is refused with nothing stored", async () => {
    const ws = await workspace();
    const under = JSON.stringify(batchOfBytes(LIMIT - 1));
    const r = await postRaw(ws.id, ws.write, await gzip(under), { "Content-Type": "application/json" });
    expect(r.status).toBe(200);
    expect(await countEvents(ws.id)).toBe(1000);

    const over = batchOfBytes(LIMIT + 1);
    expect(bytes(JSON.stringify(over))).toBe(LIMIT + 1);
    const fresh = await workspace();
    await expectError(await postJson(fresh.id, fresh.write, over), 413, "body_too_large");
    await expectError(await postRaw(fresh.id, fresh.write, await gzip(JSON.stringify(over)), { "Content-Type": "application/json" }), 413, "body_too_large");
    expect(await countEvents(fresh.id)).toBe(0);
  });
});

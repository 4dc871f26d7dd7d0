// Retries are safe: an event id is stored once per workspace, however often and
// however concurrently it is posted; Idempotency-Key gives id-less events stable ids.
import { describe, expect, it } from "vitest";
import type { IngestResponse } from "../../shared/wire.ts";
import { countEvents, gzip, ingest, postJson, postRaw, pullAll, requestEvent, requestEvents, storedRows, workspace } from "./helpers.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const noId = (n: number) => requestEvents(n, (i) => ({ id: undefined, name: `job ${i}` }));

describe("event ids", () => {
  it("stores an id repeated within one batch once: the first occurrence wins", async () => {
    const ws = await workspace();
    const first = requestEvent({ id: "dup", name: "first", props: { n: 1 } });
    const second = requestEvent({ id: "dup", name: "second", props: { n: 2 } });
    const r = await ingest(ws.id, ws.write, [first, requestEvent({ id: "other" }), second]);
    expect(r).toEqual({ accepted: 2, duplicates: 1, rejected: 0, rejections: [], warnings: [] });
    const events = await pullAll(ws.id, ws.read);
    expect(events.map((e) => [e.id, e.name, e.props])).toEqual([
      ["dup", "first", { n: 1 }],
      ["other", "GET /api/users/{id}", requestEvent().props],
    ]);
  });

  it("stores a batch posted twice once, and the retry changes nothing stored", async () => {
    const ws = await workspace();
    const batch = requestEvents(50);
    expect(await ingest(ws.id, ws.write, batch)).toMatchObject({ accepted: 50, duplicates: 0 });
    const before = await storedRows(ws.id);
    // the retry carries the same ids with other content: the first write stands
    const retry = batch.map((e) => ({ ...e, name: "changed", props: { changed: true } }));
    expect(await ingest(ws.id, ws.write, retry)).toEqual({ accepted: 0, duplicates: 50, rejected: 0, rejections: [], warnings: [] });
    expect(await storedRows(ws.id)).toEqual(before);
  });

  it("stores a batch posted five times at once exactly once", async () => {
    const ws = await workspace();
    const batch = requestEvents(300);
    const results = await Promise.all(Array.from({ length: 5 }, () => ingest(ws.id, ws.write, batch)));
    for (const r of results) expect(r.accepted + r.duplicates).toBe(300);
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(300);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(1200);
    const events = await pullAll(ws.id, ws.read);
    expect(events.map((e) => e.id).sort()).toEqual(batch.map((e) => e.id).sort());
  });

  it("counts overlapping concurrent batches so that accepted adds up to the distinct ids", async () => {
    const ws = await workspace();
    const all = requestEvents(1000);
    const [a, b, c] = await Promise.all([
      ingest(ws.id, ws.write, all.slice(0, 600)),
      ingest(ws.id, ws.write, all.slice(400, 1000)),
      ingest(ws.id, ws.write, all.slice(300, 700)),
    ]);
    expect(a.accepted + b.accepted + c.accepted).toBe(1000);
    expect(a.duplicates + b.duplicates + c.duplicates).toBe(600);
    expect(await countEvents(ws.id)).toBe(1000);
  });

  it("keeps ids apart between workspaces", async () => {
    const [a, b] = await Promise.all([workspace(), workspace()]);
    const e = requestEvent({ id: "shared-id" });
    expect((await ingest(a.id, a.write, [e])).accepted).toBe(1);
    expect((await ingest(b.id, b.write, [e])).accepted).toBe(1);
    expect((await pullAll(b.id, b.read)).map((x) => x.id)).toEqual(["shared-id"]);
  });

  it("counts duplicates, rejections and new events of one batch separately", async () => {
    const ws = await workspace();
    await ingest(ws.id, ws.write, [requestEvent({ id: "old" })]);
    const r = await ingest(ws.id, ws.write, [requestEvent({ id: "old" }), requestEvent({ id: "new" }), requestEvent({ id: "bad", type: "x" })]);
    expect(r).toMatchObject({ accepted: 1, duplicates: 1, rejected: 1 });
    expect(await countEvents(ws.id)).toBe(2);
  });
});

describe("Idempotency-Key", () => {
  it("derives <key>:<index> ids, so a replay is all duplicates", async () => {
    const ws = await workspace();
    const batch = [...noId(2), requestEvent({ id: "own" }), ...noId(1)];
    const headers = { "Idempotency-Key": "run-42" };
    expect(await ingest(ws.id, ws.write, batch, headers)).toMatchObject({ accepted: 4, duplicates: 0 });
    expect(await ingest(ws.id, ws.write, batch, headers)).toEqual({ accepted: 0, duplicates: 4, rejected: 0, rejections: [], warnings: [] });
    expect((await pullAll(ws.id, ws.read)).map((e) => e.id)).toEqual(["run-42:0", "run-42:1", "own", "run-42:3"]);
  });

  it("derives the same ids from NDJSON and gzip bodies, and from a key with surrounding spaces", async () => {
    const ws = await workspace();
    const batch = noId(3);
    expect(await ingest(ws.id, ws.write, batch, { "Idempotency-Key": "k7" })).toMatchObject({ accepted: 3 });
    const ndjson = batch.map((e) => JSON.stringify(e)).join("\n");
    const replays = [
      await postRaw(ws.id, ws.write, ndjson, { "Content-Type": "application/x-ndjson", "Idempotency-Key": " k7 " }),
      await postRaw(ws.id, ws.write, await gzip(JSON.stringify(batch)), { "Content-Type": "application/json", "Idempotency-Key": "k7" }),
    ];
    for (const res of replays) expect(((await res.json()) as IngestResponse)).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await countEvents(ws.id)).toBe(3);
  });

  it("gives a different key different ids", async () => {
    const ws = await workspace();
    const batch = noId(2);
    await ingest(ws.id, ws.write, batch, { "Idempotency-Key": "a" });
    expect(await ingest(ws.id, ws.write, batch, { "Idempotency-Key": "b" })).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await pullAll(ws.id, ws.read)).map((e) => e.id)).toEqual(["a:0", "a:1", "b:0", "b:1"]);
  });

  it("stores a key-replayed batch once when both copies arrive at once", async () => {
    const ws = await workspace();
    const batch = noId(200);
    const results = await Promise.all([0, 1, 2].map(() => ingest(ws.id, ws.write, batch, { "Idempotency-Key": "burst" })));
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(200);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(400);
    expect(await countEvents(ws.id)).toBe(200);
  });
});

describe("events with neither id nor key", () => {
  it("get random distinct ids, so identical events are all stored", async () => {
    const ws = await workspace();
    const batch = noId(3).map((e) => ({ ...e, name: "same" }));
    expect((await ingest(ws.id, ws.write, batch)).accepted).toBe(3);
    // an empty key is no key
    expect((await ingest(ws.id, ws.write, batch, { "Idempotency-Key": "  " })).accepted).toBe(3);
    const ids = (await pullAll(ws.id, ws.read)).map((e) => e.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    for (const id of ids) expect(id).toMatch(UUID);
  });

  it("get an id and empty props when only type and name are sent", async () => {
    const ws = await workspace();
    const res = await postJson(ws.id, ws.write, { events: [{ type: "track", name: "signup" }] });
    expect(res.status).toBe(200);
    const [e] = await pullAll(ws.id, ws.read);
    expect(e).toMatchObject({ id: expect.stringMatching(UUID), type: "track", name: "signup", props: {} });
  });
});

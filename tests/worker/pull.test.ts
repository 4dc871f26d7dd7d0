// The sync pull: events after a cursor, in seq order, in pages; every event
// exactly once, and never another workspace's.
import { beforeAll, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/event.ts";
import type { PullResponse } from "../../shared/wire.ts";
import { api, expectError, ingest, pull, pullAll, requestEvent, requestEvents, workspace, type Ws } from "./helpers.ts";

describe("one page", () => {
  it("returns the events in seq order with received_at, the next cursor and the more flag", async () => {
    const ws = await workspace();
    const batch = requestEvents(5, (i) => ({ name: `e${i}` }));
    await ingest(ws.id, ws.write, batch.slice(0, 3));
    await ingest(ws.id, ws.write, batch.slice(3));
    const page = await pull(ws.id, ws.read);
    expect(Object.keys(page).sort()).toEqual(["events", "more", "next"]);
    expect(page.events.map((e) => e.name)).toEqual(["e0", "e1", "e2", "e3", "e4"]);
    const seqs = page.events.map((e) => e.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
    for (const e of page.events) {
      expect(Object.keys(e).sort()).toEqual(["id", "name", "props", "received_at", "seq", "ts", "type"]);
      expect(Number.isInteger(e.received_at)).toBe(true);
    }
    expect(page).toMatchObject({ next: seqs[4], more: false });
  });

  it("pages with limit and after, and says when more exist", async () => {
    const ws = await workspace();
    await ingest(ws.id, ws.write, requestEvents(5, (i) => ({ name: `e${i}` })));
    const first = await pull(ws.id, ws.read, "?limit=2");
    expect(first.events.map((e) => e.name)).toEqual(["e0", "e1"]);
    expect(first).toMatchObject({ next: first.events[1]!.seq, more: true });
    const second = await pull(ws.id, ws.read, `?after=${first.next}&limit=2`);
    expect(second.events.map((e) => e.name)).toEqual(["e2", "e3"]);
    expect(second.more).toBe(true);
    // a page that ends exactly at the last event says no more
    const last = await pull(ws.id, ws.read, `?after=${second.next}&limit=1`);
    expect(last).toEqual({ events: [expect.objectContaining({ name: "e4" })], next: last.events[0]!.seq, more: false });
  });

  it("returns an empty page at the end, keeping the cursor where it was", async () => {
    const ws = await workspace();
    expect(await pull(ws.id, ws.read)).toEqual({ events: [], next: 0, more: false });
    await ingest(ws.id, ws.write, [requestEvent()]);
    const { next } = await pull(ws.id, ws.read);
    expect(await pull(ws.id, ws.read, `?after=${next}`)).toEqual({ events: [], next, more: false });
    expect(await pull(ws.id, ws.read, "?after=999999999999999")).toEqual({ events: [], next: 999999999999999, more: false });
  });

  it("lets an admin token pull as well as a read token", async () => {
    const ws = await workspace();
    await ingest(ws.id, ws.write, [requestEvent({ id: "x" })]);
    expect((await pull(ws.id, ws.admin)).events.map((e) => e.id)).toEqual(["x"]);
  });

  it.each([
    ["limit=0", /^limit must be at least 1$/],
    ["limit=-1", /^limit must be a non-negative integer, got "-1"$/],
    ["limit=abc", /^limit must be a non-negative integer, got "abc"$/],
    ["limit=1.5", /^limit must be/],
    ["limit=", /^limit must be/],
    ["limit=1e3", /^limit must be/],
    ["after=-1", /^after must be a non-negative integer, got "-1"$/],
    ["after=garbage", /^after must be/],
    ["after=0x10", /^after must be/],
    ["after=%201", /^after must be/],
    ["after=1234567890123456", /^after must be/],
  ])("refuses %s with 400 invalid_cursor", async (query, message) => {
    const ws = await workspace();
    await ingest(ws.id, ws.write, [requestEvent()]);
    const error = await expectError(await api(`/api/v1/workspaces/${ws.id}/events?${query}`, { token: ws.read }), 400, "invalid_cursor");
    expect(error.message).toMatch(message);
  });
});

describe("a workspace of 12,345 events beside another one", () => {
  let a: Ws;
  let b: Ws;
  const aIds: string[] = [];
  const bIds: string[] = [];

  beforeAll(async () => {
    [a, b] = await Promise.all([workspace("big"), workspace("other")]);
    // B's batches land between A's, so A's seqs have gaps that B fills
    for (let i = 0; i < 12_345; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, 12_345 - i) }, (_, j) => ({ id: `a-${i + j}`, type: "track", name: "n" }));
      aIds.push(...batch.map((e) => e.id));
      expect((await ingest(a.id, a.write, batch)).accepted).toBe(batch.length);
      const other = [{ id: `b-${i}`, type: "track", name: "n" }];
      bIds.push(other[0]!.id);
      await ingest(b.id, b.write, other);
    }
  });

  async function pages(ws: Ws, limit: number, after = 0): Promise<PullResponse[]> {
    const out: PullResponse[] = [];
    for (;;) {
      const page = await pull(ws.id, ws.read, `?after=${after}&limit=${limit}`);
      out.push(page);
      after = page.next;
      if (!page.more) return out;
    }
  }

  function expectExactlyOnce(events: StoredEvent[], ids: string[]) {
    expect(events.map((e) => e.id)).toEqual(ids);
    const seqs = events.map((e) => e.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
  }

  it.each([
    [1000, 13, 345],
    [5000, 3, 2345],
  ])("returns every event exactly once in pages of %i", async (limit, count, lastSize) => {
    const got = await pages(a, limit);
    expect(got.map((p) => p.events.length)).toEqual([...Array<number>(count - 1).fill(limit), lastSize]);
    expect(got.map((p) => p.more)).toEqual([...Array<boolean>(count - 1).fill(true), false]);
    got.forEach((p) => expect(p.next).toBe(p.events.at(-1)!.seq));
    expectExactlyOnce(got.flatMap((p) => p.events), aIds);
  });

  it("caps the page at 5,000, by default and when more is asked", async () => {
    for (const query of ["", "?limit=5001", "?limit=100000", "?limit=999999999999999"]) {
      const page = await pull(a.id, a.read, query);
      expect(page.events).toHaveLength(5000);
      expect(page.more).toBe(true);
      expect(page.events[0]!.id).toBe("a-0");
    }
  });

  it("resumes from any cursor in the middle", async () => {
    const cut = (await pull(a.id, a.read, "?after=0&limit=5000")).events[4321]!.seq;
    const tail = await pages(a, 2500, cut);
    expect(tail.map((p) => p.events.length)).toEqual([2500, 2500, 2500, 523]);
    expectExactlyOnce(tail.flatMap((p) => p.events), aIds.slice(4322));
  });

  it("never shows one workspace's events to the other, whose cursors interleave", async () => {
    const other = await pullAll(b.id, b.read);
    expectExactlyOnce(other, bIds);
    // B's first event sits between A's first two batches: a cursor there resumes A at its second batch
    const page = await pull(a.id, a.read, `?after=${other[0]!.seq}&limit=1`);
    expect(page.events.map((e) => e.id)).toEqual(["a-1000"]);
  });
});

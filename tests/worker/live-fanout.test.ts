// Fan-out of committed batches: every socket of the workspace gets one
// `events` message per batch, after the commit and never for a batch that
// stored nothing; prev_seq says exactly what each message follows on from.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LiveEventsMessage } from "../../shared/wire.ts";
import { eventsAfter, insertEvents } from "../../worker/db/events.ts";
import { LIVE_MESSAGE_BYTES, LiveHub } from "../../worker/live-hub.ts";
import { connectLive, countEvents, ingest, postJson, pullAll, requestEvent, requestEvents, sleep, workspace, type LiveClient } from "./helpers.ts";

const utf8 = (text: string) => new TextEncoder().encode(text).byteLength;

/** Takes the next message and checks it is an events message. */
async function nextEvents(client: LiveClient): Promise<LiveEventsMessage> {
  const m = await client.next();
  expect(m.type).toBe("events");
  return m as LiveEventsMessage;
}

/** Waits long enough for a stray publish to have arrived, then checks none did. */
async function expectQuiet(...clients: LiveClient[]): Promise<void> {
  await sleep(150);
  for (const c of clients) expect(c.pending()).toEqual([]);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("live fan-out", () => {
  it("sends every socket exactly one message per batch, with the stored events and exact seqs", async () => {
    const ws = await workspace();
    const share = (await connectLive(ws.id, ws.read)).client;
    const admin = (await connectLive(ws.id, ws.admin, "protocol")).client;
    const browser = (await connectLive(ws.id, ws.read, "protocol")).client;
    const clients = [share, admin, browser];

    await ingest(ws.id, ws.write, requestEvents(3));
    const first = await Promise.all(clients.map(nextEvents));
    const stored = await pullAll(ws.id, ws.read);
    for (const m of first) {
      expect(m).toEqual({ type: "events", workspace: ws.id, prev_seq: 0, first_seq: stored[0]!.seq, last_seq: stored[2]!.seq, events: stored });
    }

    // the second follows on from the first: prev_seq is the first's last_seq
    const old = stored[0]!;
    const r = await ingest(ws.id, ws.write, [requestEvent({ id: old.id }), ...requestEvents(2)]);
    expect(r).toMatchObject({ accepted: 2, duplicates: 1 });
    const second = await Promise.all(clients.map(nextEvents));
    const added = (await pullAll(ws.id, ws.read)).slice(3);
    for (const m of second) {
      expect(m).toEqual({ type: "events", workspace: ws.id, prev_seq: stored[2]!.seq, first_seq: added[0]!.seq, last_seq: added[1]!.seq, events: added });
    }
    await expectQuiet(...clients);
  });

  it("keeps workspaces apart, and prev_seq exact though seqs are global", async () => {
    const [a, b] = [await workspace(), await workspace()];
    const onA = (await connectLive(a.id, a.read)).client;
    const onB = (await connectLive(b.id, b.read)).client;

    await ingest(a.id, a.write, requestEvents(2));
    const a1 = await nextEvents(onA);
    await ingest(b.id, b.write, requestEvents(5));
    const b1 = await nextEvents(onB);
    await ingest(a.id, a.write, requestEvents(1));
    const a2 = await nextEvents(onA);

    expect(b1.workspace).toBe(b.id);
    expect(b1.prev_seq).toBe(0);
    expect(a2.prev_seq).toBe(a1.last_seq);
    // b's events took the seqs in between: last_seq + 1 would have looked like a gap
    expect(a2.first_seq).toBeGreaterThan(a1.last_seq + 1);
    await expectQuiet(onA, onB);
  });

  it("publishes nothing for a batch of duplicates only", async () => {
    const ws = await workspace();
    const batch = requestEvents(3);
    await ingest(ws.id, ws.write, batch);
    const { client } = await connectLive(ws.id, ws.read);
    expect(await ingest(ws.id, ws.write, batch)).toMatchObject({ accepted: 0, duplicates: 3 });
    await expectQuiet(client);
  });

  it("publishes nothing for a batch whose events were all rejected", async () => {
    const ws = await workspace();
    const { client } = await connectLive(ws.id, ws.read);
    const res = await postJson(ws.id, ws.write, [requestEvent({ type: "nope" }), requestEvent({ name: 7 })]);
    expect(res.status).toBe(400);
    await expectQuiet(client);
  });

  it("publishes nothing when the batch fails in D1, even after some of its statements ran", async () => {
    const ws = await workspace();
    const { client } = await connectLive(ws.id, ws.read);
    // a trigger fails the insert of the batch's very last event, in its last statement
    const batch = requestEvents(1000, () => ({ name: "n".repeat(400) }));
    const trigger = `fail_${ws.id}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON events WHEN NEW.workspace_id = '${ws.id}' AND NEW.id = '${batch[999]!.id}'
       BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    ).run();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await postJson(ws.id, ws.write, batch);
      expect(res.status).toBe(500);
      expect(errors).toHaveBeenCalledWith("unhandled error", expect.objectContaining({ message: expect.stringContaining("injected failure") }));
    } finally {
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
    expect(await countEvents(ws.id)).toBe(0);
    await expectQuiet(client);

    // the same batch, retried, goes out once, whole
    await ingest(ws.id, ws.write, batch);
    const messages: LiveEventsMessage[] = [];
    while (messages.reduce((n, m) => n + m.events.length, 0) < 1000) messages.push(await nextEvents(client));
    expect(messages[0]!.prev_seq).toBe(0);
    expect(messages.flatMap((m) => m.events.map((e) => e.id))).toEqual(batch.map((e) => e.id));
  });

  it("splits a batch above 256 KB of JSON into contiguous messages that chain by prev_seq", async () => {
    const ws = await workspace();
    await ingest(ws.id, ws.write, requestEvents(1));
    const before = (await pullAll(ws.id, ws.read))[0]!.seq;
    const { client } = await connectLive(ws.id, ws.read);
    // three-byte characters: a limit counted in characters would let messages grow to 3x
    const batch = requestEvents(700, (i) => ({ name: `${i} ${"€".repeat(300)}` }));
    await ingest(ws.id, ws.write, batch);
    const stored = (await pullAll(ws.id, ws.read)).slice(1);

    const messages: LiveEventsMessage[] = [];
    while (messages.reduce((n, m) => n + m.events.length, 0) < 700) messages.push(await nextEvents(client));
    expect(messages.length).toBeGreaterThanOrEqual(3);
    let prev = before;
    for (const m of messages) {
      expect(utf8(JSON.stringify(m))).toBeLessThanOrEqual(LIVE_MESSAGE_BYTES);
      expect(m.prev_seq).toBe(prev);
      expect(m.first_seq).toBe(m.events[0]!.seq);
      expect(m.last_seq).toBe(m.events.at(-1)!.seq);
      prev = m.last_seq;
    }
    // nothing lost, nothing twice, in seq order
    expect(messages.flatMap((m) => m.events)).toEqual(stored);
    // and chunks are filled: the next chunk's first event would not have fitted
    for (let i = 1; i < messages.length; i++) {
      const next = messages[i]!.events[0]!;
      const grown = { ...messages[i - 1]!, last_seq: next.seq, events: [...messages[i - 1]!.events, next] };
      expect(utf8(JSON.stringify(grown))).toBeGreaterThan(LIVE_MESSAGE_BYTES);
    }
    await expectQuiet(client);
  });

  it("sends exactly what a pull serves, even text SQLite stores other than it came", async () => {
    const ws = await workspace();
    const { client } = await connectLive(ws.id, ws.read);
    // lone surrogates (escaped here) are valid JSON but not UTF-8: D1 stores them replaced
    const lone = (hex: string) => `\\u${hex}`;
    const bodies = [
      `[{"id":"lone${lone("d800")}","type":"track","name":"a","props":{}}]`,
      `[{"id":"plain","type":"track","name":"b${lone("dc00")}","props":{"k":"${lone("d800")}"}}, {"id":"🚀","type":"track","name":"🚀 deploy","props":{"é":"ü"}}]`,
      `[{"id":"fine","type":"track","name":"🚀 again","props":{"n":-0,"big":1e21}}]`,
    ];
    for (const body of bodies) expect((await postJson(ws.id, ws.write, body)).status).toBe(200);
    const live = [];
    for (let i = 0; i < bodies.length; i++) live.push(...(await nextEvents(client)).events);
    expect(live).toEqual(await pullAll(ws.id, ws.read));
  });

  it("answers the sender without waiting on the hub, and a failing hub fails no ingest", async () => {
    const ws = await workspace();
    const { client } = await connectLive(ws.id, ws.read);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    // the runtime also reports the hub's error as uncaught, on its side of the call
    const publish = vi.spyOn(LiveHub.prototype, "publish").mockImplementation(() => Promise.reject(new Error("hub down")));
    expect(await ingest(ws.id, ws.write, requestEvents(2))).toMatchObject({ accepted: 2 });
    await vi.waitFor(() => expect(errors).toHaveBeenCalledWith("live: publishing to the hub failed", expect.anything()));
    expect(publish).toHaveBeenCalledTimes(1);
    expect(await countEvents(ws.id)).toBe(2);
    expect(client.pending()).toEqual([]);

    // a slow hub does not hold up the response either
    publish.mockImplementation(() => sleep(2_000).then(() => 0));
    const started = Date.now();
    expect(await ingest(ws.id, ws.write, requestEvents(2))).toMatchObject({ accepted: 2 });
    expect(Date.now() - started).toBeLessThan(1_000);
    await vi.waitFor(() => expect(publish).toHaveBeenCalledTimes(2));
  });
});

describe("insertEvents for live", () => {
  const wsId = () => `ws_live_db_${Math.random().toString(36).slice(2)}`;
  const events = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, ts: 1_763_632_800_000 + i, type: "request" as const, name: `n${i}`, props: { i } }));

  it("reads prev_seq in the batch's own transaction, exact under concurrent batches", async () => {
    const ws = wsId();
    const results = await Promise.all(Array.from({ length: 6 }, (_, b) => insertEvents(env.DB, ws, 1, events(50, `b${b}`))));
    const ordered = [...results].sort((x, y) => x.events[0]!.seq - y.events[0]!.seq);
    let prev = 0;
    for (const r of ordered) {
      expect(r.prevSeq).toBe(prev);
      prev = r.events.at(-1)!.seq;
    }
    expect(ordered.flatMap((r) => r.events)).toEqual(await eventsAfter(env.DB, ws, 0, 10_000));
  });

  it("returns only the events it stored: the first of a repeated id, none for duplicates", async () => {
    const ws = wsId();
    const batch = events(3, "e");
    const first = await insertEvents(env.DB, ws, 7, batch);
    const again = await insertEvents(env.DB, ws, 8, [batch[1]!, { ...batch[0]!, id: "e-9", name: "new" }, { ...batch[0]!, id: "e-9", name: "repeat" }]);
    expect(again.prevSeq).toBe(first.events[2]!.seq);
    expect(again.events).toEqual([{ seq: expect.any(Number), id: "e-9", ts: batch[0]!.ts, received_at: 8, type: "request", name: "new", props: { i: 0 } }]);
    expect(await insertEvents(env.DB, ws, 9, batch)).toEqual({ prevSeq: again.events[0]!.seq, events: [] });
    expect([...first.events, ...again.events]).toEqual(await eventsAfter(env.DB, ws, 0, 10_000));
  });
});

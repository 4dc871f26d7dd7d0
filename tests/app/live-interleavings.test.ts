// Property: whatever happens to live messages (in order, reordered, duplicated, dropped,
// split), with reconnects and pulls racing them, the store ends equal to a clean pull.
// Seeded (mulberry32), so a failing case replays exactly: its seed is in the message.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../shared/prng.ts";
import type { StoredEvent } from "../../shared/event.ts";
import type { LiveEventsMessage, LiveMessage } from "../../shared/wire.ts";
import { decodeRow, newDictionary } from "../../shared/columns.ts";
import { createLiveApplier } from "../../app/src/live/live-apply.ts";
import { SegmentStore } from "../../app/src/store/segment-store.ts";
import { syncWorkspace } from "../../app/src/sync/pull.ts";
import { TOKEN, expectSameEvents, fakeEdge, makeEvents, openTestDb } from "./helpers.ts";

const CASES = 300;
const STEPS = 40;

async function storedEvents(store: SegmentStore, ws: string): Promise<StoredEvent[]> {
  const loaded = await store.loadBlocks(ws, { withDetails: true });
  const dict = newDictionary(loaded.dictionary);
  return loaded.segments.flatMap((s) => Array.from({ length: s.count }, (_, i) => decodeRow(s.block, i, dict)));
}

/** A batch's message, or several over contiguous runs (as the hub splits large ones). */
function messagesFor(ws: string, prev: number, batch: StoredEvent[], random: () => number): LiveEventsMessage[] {
  const parts = random() < 0.25 && batch.length > 1 ? 2 : 1;
  const cut = parts === 2 ? 1 + Math.floor(random() * (batch.length - 1)) : batch.length;
  const runs = parts === 2 ? [batch.slice(0, cut), batch.slice(cut)] : [batch];
  let before = prev;
  return runs.map((events) => {
    const m: LiveEventsMessage = { type: "events", workspace: ws, prev_seq: before, first_seq: events[0]!.seq, last_seq: events.at(-1)!.seq, events };
    before = m.last_seq;
    return m;
  });
}

async function runCase(seed: number, store: SegmentStore): Promise<{ stored: StoredEvent[]; log: StoredEvent[]; after: number; events: number; clean: { after: number; events: number }; liveStored: number }> {
  const random = mulberry32(seed);
  const ws = `ws_${seed}`;
  const edge = fakeEdge([], ws);
  const pull = () => syncWorkspace({ store, fetch: edge.fetch, apiBase: "http://edge.test", workspaceId: ws, key: TOKEN, fetchInfo: false, isOnline: () => true, pageSize: 1 + Math.floor(random() * 6) });
  let liveStored = 0;
  const applier = createLiveApplier({ store, workspaceId: ws, pull, onStored: (r) => (liveStored += r.stored) });
  const inFlight: Promise<unknown>[] = [];
  let seq = 0;
  let pending: LiveMessage[] = [];
  // mostly one thing at a time, as a socket delivers; sometimes left running into the next steps, to race
  const track = async (p: Promise<unknown>, wait: number): Promise<void> => {
    inFlight.push(p);
    if (random() < wait) await p;
  };

  for (let step = 0; step < STEPS; step++) {
    const r = random();
    if (r < 0.3) {
      // a batch is committed: seqs are global, so this workspace's have holes
      const prev = edge.log.at(-1)?.seq ?? 0;
      const batch = Array.from({ length: 1 + Math.floor(random() * 5) }, () => makeEvents(1, (seq += 1 + Math.floor(random() * 3)))[0]!);
      edge.log.push(...batch);
      pending.push(...messagesFor(ws, prev, batch, random));
    } else if (r < 0.7 && pending.length > 0) {
      const op = random();
      const at = op < 0.55 ? 0 : Math.floor(random() * pending.length); // in order, or any (reordered)
      const message = pending[at]!;
      if (op < 0.85) pending.splice(at, 1); // else: delivered now and again later (duplicated)
      if (random() < 0.12) continue; // dropped on the way
      await track(applier.push(message), 0.8);
    } else if (r < 0.8) {
      // the socket reconnects: what was in flight is lost, the new one starts with hello
      pending = [];
      await track(applier.push({ type: "hello", workspace: ws, last_seq: edge.log.at(-1)?.seq ?? 0 }), 0.5);
    } else if (r < 0.9) {
      await track(pull(), 0.2); // the loop's own pull (timer, online event), racing the live appends
    } else {
      // let what is running move on a little
      await new Promise((done) => setTimeout(done, 0));
    }
  }
  // the last reconnect: whatever was dropped at the end is caught up by its hello
  inFlight.push(applier.push({ type: "hello", workspace: ws, last_seq: edge.log.at(-1)?.seq ?? 0 }));
  await Promise.all(inFlight);

  const state = await store.syncState(ws);
  const cleanWs = `clean_${seed}`;
  const clean = await syncWorkspace({ store, fetch: fakeEdge(edge.log, cleanWs).fetch, apiBase: "http://edge.test", workspaceId: cleanWs, key: TOKEN, fetchInfo: false, isOnline: () => true });
  expect(clean.status.state).toBe("idle");
  const cleanState = await store.syncState(cleanWs);
  return { stored: await storedEvents(store, ws), log: edge.log, after: state.after, events: state.events, clean: { after: cleanState.after, events: cleanState.events }, liveStored };
}

describe("live messages, reconnects and pulls interleaved", () => {
  it(`end with the store a clean pull gives (${CASES} seeded cases)`, async () => {
    // one database for every case, a workspace each: opening databases is most of the cost
    const store = new SegmentStore(openTestDb().db);
    let nonEmpty = 0;
    let viaLive = 0;
    let total = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const result = await runCase(seed, store);
      const what = `seed ${seed}`;
      expectSameEvents(result.stored, result.log);
      expect({ after: result.after, events: result.events }, what).toEqual(result.clean);
      expect(result.after, what).toBe(result.log.at(-1)?.seq ?? 0);
      if (result.log.length > 0) nonEmpty++;
      viaLive += result.liveStored;
      total += result.log.length;
    }
    // the generator must produce work, and live messages must store a fair share of it, or this proves nothing
    expect(nonEmpty).toBeGreaterThan(CASES * 0.9);
    expect(viaLive / total).toBeGreaterThan(0.15);
  }, 120_000);
});

// Applying live messages to a real store: appends in turn with pulls, gaps become pulls
// that later messages wait for, alerts pass straight through, failures fall back to a pull.
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/event.ts";
import type { AlertHistoryEntry, LiveEventsMessage } from "../../shared/wire.ts";
import { createLiveApplier } from "../../app/src/live/live-apply.ts";
import { SegmentStore, type AppendResult } from "../../app/src/store/segment-store.ts";
import { StoreFullError } from "../../app/src/store/errors.ts";
import { makeEvents, openTestDb } from "./helpers.ts";

const WS = "ws_a";

function message(prev: number, events: StoredEvent[]): LiveEventsMessage {
  return { type: "events", workspace: WS, prev_seq: prev, first_seq: events[0]!.seq, last_seq: events.at(-1)!.seq, events };
}

const alert: AlertHistoryEntry = { id: 1, rule_id: "r", name: "errors", kind: "firing", at: 5, value: 9, threshold: 2, severity: "warning", detail: "9 > 2" };

function setup() {
  const store = new SegmentStore(openTestDb().db);
  const calls: string[] = [];
  const stored: AppendResult[] = [];
  const alerts: AlertHistoryEntry[] = [];
  let pullImpl = async (): Promise<void> => undefined;
  const applier = createLiveApplier({
    store,
    workspaceId: WS,
    pull: async () => {
      calls.push("pull");
      await pullImpl();
    },
    onStored: (r) => stored.push(r),
    onAlert: (a) => alerts.push(a),
  });
  return { store, applier, calls, stored, alerts, setPull: (f: () => Promise<void>) => (pullImpl = f) };
}

describe("createLiveApplier", () => {
  it("stores events that follow on, skips what the cursor covers, and reports only real appends", async () => {
    const { store, applier, calls, stored } = setup();
    const events = makeEvents(10);
    await store.appendPage(WS, events.slice(0, 4), 4);
    await applier.push(message(2, events.slice(2, 7))); // overlaps: 3, 4 are stored already
    expect(await store.syncState(WS)).toMatchObject({ after: 7, events: 7 });
    expect(stored.map((r) => r.stored)).toEqual([3]);
    await applier.push(message(2, events.slice(2, 7))); // a duplicate: nothing, not even a write
    expect(stored).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it("reads the cursor once for a steady stream of batches, and again after a pull or when the batch does not follow on", async () => {
    const { store, applier, calls, stored } = setup();
    let reads = 0;
    const syncState = store.syncState.bind(store);
    store.syncState = (ws) => (reads++, syncState(ws));
    const events = makeEvents(40);
    for (let i = 0; i < 4; i++) await applier.push(message(i * 5, events.slice(i * 5, i * 5 + 5)));
    expect(reads).toBe(1);
    expect(stored.map((r) => r.after)).toEqual([5, 10, 15, 20]);
    // a gap (21..25 missed): planned from the cursor as stored, which says pull
    await applier.push(message(25, events.slice(25, 30)));
    expect(calls).toEqual(["pull"]);
    expect(reads).toBe(2);
    // after the pull the cursor is read again, whatever the pull stored
    await store.appendPage(WS, events.slice(20, 30), 30);
    await applier.push(message(30, events.slice(30, 35)));
    expect(reads).toBe(3);
    expect(await store.syncState(WS)).toMatchObject({ after: 35, events: 35 });
    // a duplicate of what is stored is never taken for an append
    await applier.push(message(30, events.slice(30, 35)));
    expect(stored).toHaveLength(5);
  });

  it("pulls on a gap, and the messages behind it wait for that pull", async () => {
    const { store, applier, calls, stored, setPull } = setup();
    const events = makeEvents(10);
    setPull(async () => {
      await store.appendPage(WS, events.slice(0, 8), 8);
      calls.push("pulled");
    });
    const gap = applier.push(message(3, events.slice(3, 6)));
    const next = applier.push(message(6, events.slice(6, 10)));
    await Promise.all([gap, next]);
    // the second was planned after the pull: only 9 and 10 were left for it
    expect(calls).toEqual(["pull", "pulled"]);
    expect(stored.map((r) => r.stored)).toEqual([2]);
    expect(await store.syncState(WS)).toMatchObject({ after: 10, events: 10 });
  });

  it("pulls when hello says the edge is ahead, not when it is not", async () => {
    const { applier, calls } = setup();
    await applier.push({ type: "hello", workspace: WS, last_seq: 0 });
    expect(calls).toEqual([]);
    await applier.push({ type: "hello", workspace: WS, last_seq: 3 });
    expect(calls).toEqual(["pull"]);
  });

  it("pulls instead when the cursor went back between planning and storing (the workspace was emptied)", async () => {
    const { store, applier, calls } = setup();
    const events = makeEvents(6);
    await store.appendPage(WS, events.slice(0, 3), 3);
    // planned against cursor 3, stored after the events were deleted: the guard refuses it
    const syncState = store.syncState.bind(store);
    store.syncState = async (ws) => {
      const state = await syncState(ws);
      await store.deleteWorkspace(WS);
      return state;
    };
    await applier.push(message(3, events.slice(3)));
    expect(calls).toEqual(["pull"]);
    expect(await syncState(WS)).toMatchObject({ after: 0, events: 0 });
  });

  it("falls back to a pull when storing fails, and keeps handling later messages", async () => {
    const { store, applier, calls, stored } = setup();
    const events = makeEvents(4);
    const append = store.appendPage.bind(store);
    store.appendPage = () => Promise.reject(new StoreFullError("full"));
    await applier.push(message(0, events.slice(0, 2)));
    expect(calls).toEqual(["pull"]);
    store.appendPage = append;
    await applier.push(message(0, events));
    expect(stored.map((r) => r.stored)).toEqual([4]);
  });

  it("hands alerts on at once, even behind a slow pull, and ignores other workspaces'", async () => {
    const { applier, alerts, setPull } = setup();
    let release = (): void => undefined;
    setPull(() => new Promise<void>((done) => (release = done)));
    const pulling = applier.push({ type: "hello", workspace: WS, last_seq: 9 });
    await new Promise((done) => setTimeout(done, 10));
    void applier.push({ type: "alert", workspace: WS, alert });
    void applier.push({ type: "alert", workspace: "ws_other", alert: { ...alert, id: 2 } });
    expect(alerts).toEqual([alert]);
    release();
    await pulling;
  });

  it("drops what comes after stop()", async () => {
    const { store, applier, stored, alerts } = setup();
    applier.stop();
    await applier.push(message(0, makeEvents(2)));
    await applier.push({ type: "alert", workspace: WS, alert });
    expect(stored).toEqual([]);
    expect(alerts).toEqual([]);
    expect(await store.syncState(WS)).toMatchObject({ after: 0 });
  });
});

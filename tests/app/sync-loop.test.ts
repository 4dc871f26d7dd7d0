// The sync loop's schedule, with fake timers, a fake browser and an in-memory store.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncStatus } from "../../app/src/data/api.ts";
import type { SyncStore } from "../../app/src/sync/pull.ts";
import { SYNC_INTERVAL_MS, backoffDelay, startSyncLoop, type SyncEnv, type SyncLoop } from "../../app/src/sync/sync-loop.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { TOKEN, errorResponse, fakeEdge, makeEvents, type FakeEdge } from "./helpers.ts";

const WS = "ws_test";

function memoryStore(): SyncStore & { events: StoredEvent[] } {
  const state = { after: 0, syncedAt: null as number | null, events: 0 };
  const events: StoredEvent[] = [];
  return {
    events,
    syncState: async () => ({ ...state }),
    appendPage: async (_ws, page, next) => {
      const fresh = page.filter((e) => e.seq > state.after);
      events.push(...fresh);
      Object.assign(state, { after: Math.max(state.after, next), syncedAt: 1, events: state.events + fresh.length });
      return { ...state, stored: fresh.length, skipped: page.length - fresh.length };
    },
  };
}

interface FakeBrowser {
  isOnline: boolean;
  isVisible: boolean;
  env: SyncEnv;
  fire(event: "online" | "visible"): void;
  listeners: Set<(event: "online" | "visible") => void>;
}

function fakeBrowser(): FakeBrowser {
  const listeners = new Set<(event: "online" | "visible") => void>();
  const browser: FakeBrowser = {
    isOnline: true,
    isVisible: true,
    env: {
      online: () => browser.isOnline,
      visible: () => browser.isVisible,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    fire: (event: "online" | "visible") => listeners.forEach((l) => l(event)),
    listeners,
  };
  return browser;
}

// lets fetches, stores and the loop's promises settle; setImmediate is not faked
async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
}

function eventPulls(edge: FakeEdge): number {
  return edge.requests.filter((r) => r.path.endsWith("/events")).length;
}

describe("startSyncLoop", () => {
  let loop: SyncLoop | null = null;
  let edge: FakeEdge;
  let browser: FakeBrowser;
  let store: ReturnType<typeof memoryStore>;
  let statuses: SyncStatus[];

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    edge = fakeEdge(makeEvents(20), WS);
    browser = fakeBrowser();
    store = memoryStore();
    statuses = [];
  });
  afterEach(() => {
    loop?.stop();
    loop = null;
    vi.useRealTimers();
  });

  function start(extra: { onInfo?: () => void } = {}): SyncLoop {
    loop = startSyncLoop({
      store,
      workspace: { id: WS, apiBase: "http://edge.test", key: TOKEN },
      fetch: edge.fetch,
      env: browser.env,
      random: () => 0.5,
      onStatus: (s) => statuses.push(s),
      ...extra,
    });
    return loop;
  }

  it("syncs at once, then every interval while visible, asking for the workspace info once", async () => {
    const onInfo = vi.fn();
    start({ onInfo });
    await settle();
    expect(store.events).toHaveLength(20);
    expect(loop!.status).toMatchObject({ state: "idle", events: 20 });
    expect(onInfo).toHaveBeenCalledTimes(1);

    edge.log.push(...makeEvents(5, 21));
    vi.advanceTimersByTime(SYNC_INTERVAL_MS - 1);
    await settle();
    expect(store.events).toHaveLength(20);
    vi.advanceTimersByTime(1);
    await settle();
    expect(store.events).toHaveLength(25);
    expect(onInfo).toHaveBeenCalledTimes(1);
    expect(edge.requests.filter((r) => !r.path.endsWith("/events"))).toHaveLength(1);
  });

  it("does not poll while hidden, and catches up when visible again", async () => {
    start();
    await settle();
    browser.isVisible = false;
    vi.advanceTimersByTime(SYNC_INTERVAL_MS * 3);
    await settle();
    expect(eventPulls(edge)).toBe(1);
    browser.isVisible = true;
    browser.fire("visible");
    await settle();
    expect(eventPulls(edge)).toBe(2);
  });

  it("backs off after errors, then returns to the interval", async () => {
    let failing = true;
    edge.override = (req) => (failing && req.path.endsWith("/events") ? errorResponse(503, "unavailable", "try later") : undefined);
    start();
    await settle();
    expect(loop!.status).toMatchObject({ state: "error", message: "try later" });
    // random 0.5 makes the jitter factor exactly 1: 2 s, then 4 s
    vi.advanceTimersByTime(1999);
    await settle();
    expect(eventPulls(edge)).toBe(1);
    vi.advanceTimersByTime(1);
    await settle();
    expect(eventPulls(edge)).toBe(2);
    vi.advanceTimersByTime(3999);
    await settle();
    expect(eventPulls(edge)).toBe(2);
    failing = false;
    vi.advanceTimersByTime(1);
    await settle();
    expect(eventPulls(edge)).toBe(3);
    expect(loop!.status).toMatchObject({ state: "idle", events: 20 });
    vi.advanceTimersByTime(SYNC_INTERVAL_MS);
    await settle();
    expect(eventPulls(edge)).toBe(4);
  });

  it("syncs as soon as the browser comes back online", async () => {
    browser.isOnline = false;
    start();
    await settle();
    expect(loop!.status).toMatchObject({ state: "offline" });
    expect(edge.requests).toHaveLength(0);
    browser.isOnline = true;
    browser.fire("online");
    await settle();
    expect(loop!.status).toMatchObject({ state: "idle", events: 20 });
  });

  it("stops retrying a denied token until asked", async () => {
    edge.override = () => errorResponse(401, "token_revoked", "revoked");
    start();
    await settle();
    expect(loop!.status).toMatchObject({ state: "denied", code: "token_revoked" });
    vi.advanceTimersByTime(60 * 60_000);
    browser.fire("online");
    await settle();
    expect(edge.requests).toHaveLength(1);
    edge.override = null;
    expect(await loop!.syncNow()).toMatchObject({ state: "idle", events: 20 });
  });

  it("runs one sync at a time, and once more for a trigger that came during it", async () => {
    let release!: () => void;
    let gate = new Promise<void>((resolve) => (release = resolve));
    let active = 0;
    let most = 0;
    const serve = edge.fetch;
    edge.fetch = async (input, init) => {
      active++;
      most = Math.max(most, active);
      await gate;
      active--;
      return serve(input, init);
    };
    start();
    await settle();
    const a = loop!.syncNow();
    const b = loop!.syncNow();
    release();
    gate = Promise.resolve();
    await Promise.all([a, b]);
    await settle();
    expect(most).toBe(1);
    // the first run (info + page) and exactly one more for the triggers
    expect(eventPulls(edge)).toBe(2);
  });

  it("stops: aborts, removes its listeners and schedules nothing more", async () => {
    start();
    await settle();
    loop!.stop();
    expect(browser.listeners.size).toBe(0);
    const seen = statuses.length;
    vi.advanceTimersByTime(SYNC_INTERVAL_MS * 2);
    await settle();
    expect(eventPulls(edge)).toBe(1);
    expect(statuses).toHaveLength(seen);
  });
});

describe("backoffDelay", () => {
  it("doubles from 2 s, caps at 5 min, and jitters by ±50%", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, () => 0.5))).toEqual([2000, 4000, 8000, 16_000]);
    expect(backoffDelay(30, () => 0.5)).toBe(300_000);
    expect(backoffDelay(1, () => 0)).toBe(1000);
    expect(backoffDelay(1, () => 0.999)).toBe(2998);
  });
});

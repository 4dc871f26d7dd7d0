// syncWorkspace against a fake edge: paging, resume, and every failure as a status.
import { describe, expect, it } from "vitest";
import type { SyncStatus } from "../../app/src/data/api.ts";
import { StoreFullError } from "../../app/src/store/errors.ts";
import { SegmentStore } from "../../app/src/store/segment-store.ts";
import { syncWorkspace, type SyncOptions, type SyncStore } from "../../app/src/sync/pull.ts";
import { decodeRow, newDictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { TOKEN, errorResponse, fakeEdge, makeEvents, openTestDb, type FakeEdge } from "./helpers.ts";

const WS = "ws_test";

function setup(log: StoredEvent[]) {
  const store = new SegmentStore(openTestDb().db);
  const edge = fakeEdge(log, WS);
  const statuses: SyncStatus[] = [];
  const sync = (extra: Partial<SyncOptions> = {}) =>
    syncWorkspace({ store, fetch: edge.fetch, apiBase: "http://edge.test/", workspaceId: WS, key: TOKEN, onStatus: (s) => statuses.push(s), isOnline: () => true, ...extra });
  return { store, edge, statuses, sync };
}

async function storedEvents(store: SegmentStore): Promise<StoredEvent[]> {
  const loaded = await store.loadBlocks(WS, { withDetails: true });
  const dict = newDictionary(loaded.dictionary);
  return loaded.segments.flatMap((s) => Array.from({ length: s.count }, (_, i) => decodeRow(s.block, i, dict)));
}

function eventRequests(edge: FakeEdge): (number | null)[] {
  return edge.requests.filter((r) => r.path.endsWith("/events")).map((r) => r.after);
}

describe("syncWorkspace", () => {
  it("pulls page by page, advancing the cursor, and learns the workspace's name", async () => {
    const log = makeEvents(12_000);
    const { store, edge, statuses, sync } = setup(log);
    const stored: number[] = [];
    const outcome = await sync({ onStored: (r) => stored.push(r.stored) });

    expect(outcome.status).toMatchObject({ state: "idle", events: 12_000 });
    expect(outcome.pulled).toBe(12_000);
    expect(outcome.info).toMatchObject({ id: WS, name: "payments-api", demo: true });
    expect(edge.requests[0]!.path).toBe(`/api/v1/workspaces/${WS}`);
    expect(eventRequests(edge)).toEqual([0, 5000, 10_000]);
    expect(edge.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(stored).toEqual([5000, 5000, 2000]);
    expect(statuses.map((s) => s.state)).toEqual(["syncing", "syncing", "syncing", "idle"]);
    expect(statuses[2]).toEqual({ state: "syncing", events: 10_000, pulled: 10_000 });
    expect(await store.syncState(WS)).toMatchObject({ after: 12_000, events: 12_000 });
    expect(await storedEvents(store)).toEqual(log);

    // nothing new: one request from the cursor, nothing stored
    edge.requests.length = 0;
    const again = await sync({ fetchInfo: false });
    expect(eventRequests(edge)).toEqual([12_000]);
    expect(again).toMatchObject({ pulled: 0, info: null, status: { state: "idle", events: 12_000 } });
  });

  it("resumes from the stored cursor after failing mid-way, storing every event once", async () => {
    const log = makeEvents(12_000);
    const { store, edge, sync } = setup(log);
    edge.override = (req) => (req.after === 5000 ? new TypeError("Failed to fetch") : undefined);
    const failed = await sync();
    expect(failed.status).toMatchObject({ state: "offline", events: 5000 });
    expect(await store.syncState(WS)).toMatchObject({ after: 5000 });

    edge.override = null;
    edge.requests.length = 0;
    const done = await sync();
    expect(eventRequests(edge)).toEqual([5000, 10_000]);
    expect(done.status).toMatchObject({ state: "idle", events: 12_000 });
    expect(await storedEvents(store)).toEqual(log);
  });

  it("reports a server error as error, and the next sync resumes", async () => {
    const log = makeEvents(7000);
    const { store, edge, sync } = setup(log);
    edge.override = (req) => (req.after === 5000 ? errorResponse(500, "internal", "something broke") : undefined);
    expect((await sync()).status).toEqual({ state: "error", message: "something broke", events: 5000 });
    edge.override = null;
    expect((await sync()).status).toMatchObject({ state: "idle", events: 7000 });
    expect(await storedEvents(store)).toEqual(log);
  });

  it("reports a revoked token as denied and keeps what was stored", async () => {
    const log = makeEvents(3000);
    const { store, edge, sync } = setup(log);
    await sync();
    log.push(...makeEvents(10, 3001));
    edge.override = () => errorResponse(401, "token_revoked", "this token was revoked");
    const outcome = await sync();
    expect(outcome.status).toEqual({ state: "denied", code: "token_revoked", message: "this token was revoked", events: 3000 });
    expect(await storedEvents(store)).toEqual(log.slice(0, 3000));
  });

  it("reports a 403 without an envelope as denied with the status as code", async () => {
    const { edge, sync } = setup(makeEvents(1));
    edge.override = () => new Response("<h1>Forbidden</h1>", { status: 403, statusText: "Forbidden" });
    expect((await sync()).status).toMatchObject({ state: "denied", code: "http_403", message: "403 Forbidden" });
  });

  it("is offline without a request when the browser says so", async () => {
    const { store, edge, sync } = setup(makeEvents(10));
    await sync();
    const outcome = await sync({ isOnline: () => false });
    expect(outcome.status).toMatchObject({ state: "offline", events: 10 });
    expect((outcome.status as { syncedAt: number | null }).syncedAt).toBe((await store.syncState(WS)).syncedAt);
    // only the first sync's two requests (info, one page)
    expect(edge.requests).toHaveLength(2);
  });

  it("reports a full store as quota", async () => {
    const { edge } = setup(makeEvents(10));
    const store: SyncStore = {
      syncState: async () => ({ after: 0, syncedAt: null, events: 7 }),
      appendPage: async () => {
        throw new StoreFullError("storage is full");
      },
    };
    const outcome = await syncWorkspace({ store, fetch: edge.fetch, apiBase: "http://edge.test", workspaceId: WS, key: TOKEN, isOnline: () => true });
    expect(outcome.status).toEqual({ state: "quota", message: "storage is full", events: 7 });
  });

  it("ends quietly when aborted, keeping the pages already stored", async () => {
    const log = makeEvents(12_000);
    const { store, edge, sync } = setup(log);
    const controller = new AbortController();
    edge.override = (req) => {
      if (req.after === 5000) controller.abort();
      return undefined;
    };
    const outcome = await sync({ signal: controller.signal });
    expect(outcome.aborted).toBe(true);
    expect(outcome.status).toMatchObject({ state: "idle", events: 5000 });
    expect(await store.syncState(WS)).toMatchObject({ after: 5000 });
  });

  it("treats an answer that is not the API's as an error", async () => {
    const { edge, sync } = setup(makeEvents(10));
    edge.override = (req) => (req.path.endsWith("/events") ? new Response("<html>proxy</html>", { status: 200 }) : undefined);
    const outcome = await sync();
    expect(outcome.status.state).toBe("error");
    expect((outcome.status as { message: string }).message).toMatch(/not JSON/);
    edge.override = (req) => (req.path.endsWith("/events") ? Response.json({ events: [{ seq: 1 }], next: 1, more: false }) : undefined);
    expect((await sync()).status.state).toBe("error");
  });

  it("stops when the edge says more without moving the cursor", async () => {
    const { edge, sync } = setup(makeEvents(10));
    edge.override = (req) => (req.path.endsWith("/events") ? Response.json({ events: [], next: 0, more: true }) : undefined);
    const outcome = await sync();
    expect(outcome.status).toMatchObject({ state: "error" });
    expect(eventRequests(edge)).toEqual([0]);
  });
});

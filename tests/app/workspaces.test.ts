// Known workspaces and storage persistence.
import { describe, expect, it, vi } from "vitest";
import { SegmentStore } from "../../app/src/store/segment-store.ts";
import { getWorkspace, listWorkspaces, removeWorkspace, saveWorkspace, touchWorkspace, updateWorkspaceInfo } from "../../app/src/store/workspaces.ts";
import { storageReport, type StorageLike } from "../../app/src/store/persistence.ts";
import { makeEvents, openTestDb } from "./helpers.ts";

const link = { id: "ws_a", apiBase: "http://localhost:8787", key: "tly_r_one" };

describe("known workspaces", () => {
  it("adds a workspace from a share link, named by its id until synced", async () => {
    const { db } = openTestDb();
    const ws = await saveWorkspace(db, link, 1000);
    expect(ws).toEqual({ id: "ws_a", name: "ws_a", demo: false, apiBase: link.apiBase, key: "tly_r_one", addedAt: 1000, lastOpenedAt: 1000 });
    expect(await getWorkspace(db, "ws_a")).toEqual(ws);
  });

  it("updates the token of a known workspace and keeps its name and addedAt", async () => {
    const { db } = openTestDb();
    await saveWorkspace(db, link, 1000);
    await updateWorkspaceInfo(db, { id: "ws_a", name: "payments-api", demo: true });
    const again = await saveWorkspace(db, { ...link, key: "tly_r_two" }, 2000);
    expect(again).toMatchObject({ name: "payments-api", demo: true, key: "tly_r_two", addedAt: 1000, lastOpenedAt: 2000 });
  });

  it("lists the most recently opened first", async () => {
    const { db } = openTestDb();
    await saveWorkspace(db, link, 1000);
    await saveWorkspace(db, { ...link, id: "ws_b" }, 2000);
    expect((await listWorkspaces(db)).map((w) => w.id)).toEqual(["ws_b", "ws_a"]);
    await touchWorkspace(db, "ws_a", 3000);
    expect((await listWorkspaces(db)).map((w) => w.id)).toEqual(["ws_a", "ws_b"]);
  });

  it("removes a workspace with its events, and only its own", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    await saveWorkspace(db, link, 1000);
    await saveWorkspace(db, { ...link, id: "ws_b" }, 1000);
    await store.appendPage("ws_a", makeEvents(100), 100);
    await store.appendPage("ws_b", makeEvents(10), 10);
    await removeWorkspace(db, "ws_a");
    expect((await listWorkspaces(db)).map((w) => w.id)).toEqual(["ws_b"]);
    expect((await store.loadBlocks("ws_a")).segments).toEqual([]);
    expect(await store.syncState("ws_a")).toMatchObject({ after: 0, events: 0 });
    expect((await store.loadBlocks("ws_b")).state.events).toBe(10);
    expect(await db.packedSegments.count()).toBe(1);
    expect(await db.segmentDetails.count()).toBe(1);
  });
});

describe("storage persistence", () => {
  function fakeStorage(persisted: boolean, grant: boolean): StorageLike & { persist: ReturnType<typeof vi.fn> } {
    return {
      persisted: vi.fn(async () => persisted),
      persist: vi.fn(async () => grant),
      estimate: vi.fn(async () => ({ usage: 1234, quota: 10_000 })),
    };
  }

  it("asks for persistence once per page load", async () => {
    // a fresh module instance: the module remembers its first answer
    vi.resetModules();
    const { requestPersistence } = await import("../../app/src/store/persistence.ts");
    const storage = fakeStorage(false, true);
    expect(await requestPersistence(storage)).toBe(true);
    expect(await requestPersistence(storage)).toBe(true);
    expect(storage.persist).toHaveBeenCalledTimes(1);
  });

  it("does not ask when already persisted, and answers false without the API", async () => {
    vi.resetModules();
    const first = await import("../../app/src/store/persistence.ts");
    const storage = fakeStorage(true, false);
    expect(await first.requestPersistence(storage)).toBe(true);
    expect(storage.persist).not.toHaveBeenCalled();
    vi.resetModules();
    const second = await import("../../app/src/store/persistence.ts");
    expect(await second.requestPersistence(undefined)).toBe(false);
  });

  it("reports persistence, usage and quota", async () => {
    expect(await storageReport(fakeStorage(true, true))).toEqual({ persisted: true, usage: 1234, quota: 10_000 });
    expect(await storageReport(undefined)).toEqual({ persisted: false, usage: null, quota: null });
  });
});

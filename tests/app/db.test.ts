// The Dexie schema, and what happens to an old tab when another opens a newer schema.
import { describe, expect, it, vi } from "vitest";
import Dexie from "dexie";
import { IDBKeyRange } from "fake-indexeddb";
import { StoreUnavailableError } from "../../app/src/store/errors.ts";
import { SegmentStore } from "../../app/src/store/segment-store.ts";
import { makeEvents, openTestDb } from "./helpers.ts";

describe("TallyDb", () => {
  it("has the tables and keys of the model", async () => {
    const { db } = openTestDb();
    await db.open();
    const tables = Object.fromEntries(db.tables.map((t) => [t.name, t.schema.primKey.keyPath]));
    expect(tables).toEqual({
      workspaces: "id",
      packedSegments: ["workspaceId", "firstSeq"],
      segmentDetails: ["workspaceId", "firstSeq"],
      dictionary: ["workspaceId", "start"],
      syncState: "workspaceId",
    });
    expect(db.packedSegments.schema.indexes.map((i) => i.keyPath)).toEqual([["workspaceId", "tier", "firstSeq"]]);
    // and so does the database itself: version 3 dropped the version-1 tables
    expect(db.verno).toBe(3);
    expect([...db.backendDB().objectStoreNames].sort()).toEqual(["dictionary", "packedSegments", "segmentDetails", "syncState", "workspaces"]);
  });

  it("closes and tells the UI when another connection upgrades, without blocking the upgrade", async () => {
    const { db, factory, name } = openTestDb();
    const store = new SegmentStore(db);
    await store.appendPage("ws_a", makeEvents(10), 10);
    const closed = vi.fn();
    db.onClosedElsewhere(closed);

    // another tab with a newer schema (Dexie's version n is native version 10n)
    const newer = new Dexie(name, { indexedDB: factory, IDBKeyRange });
    newer.version(3).stores({
      workspaces: "id, lastOpenedAt",
      packedSegments: "[workspaceId+firstSeq], [workspaceId+tier+firstSeq]",
      segmentDetails: "[workspaceId+firstSeq]",
      dictionary: "[workspaceId+start]",
      syncState: "workspaceId",
    });
    newer.version(4).stores({ workspaces: "id, lastOpenedAt, name" });
    await newer.open();

    expect(closed).toHaveBeenCalledWith("upgrade");
    expect(db.closedBecause).toBe("upgrade");
    expect(db.isOpen()).toBe(false);
    // the old connection stays closed rather than reopening with its old schema
    await expect(store.loadBlocks("ws_a")).rejects.toBeInstanceOf(StoreUnavailableError);
    // and the upgraded database kept the data
    expect(await newer.table("packedSegments").count()).toBe(1);
    expect(await newer.table("segmentDetails").count()).toBe(1);
    newer.close();

    // a listener added later still hears about it
    const late = vi.fn();
    db.onClosedElsewhere(late);
    await Promise.resolve();
    expect(late).toHaveBeenCalledWith("upgrade");
  });

  it("reports a delete from another connection as such", async () => {
    const { db, factory, name } = openTestDb();
    await db.open();
    const closed = vi.fn();
    const unsubscribe = db.onClosedElsewhere(closed);
    await new Dexie(name, { indexedDB: factory, IDBKeyRange }).delete();
    expect(closed).toHaveBeenCalledWith("delete");
    unsubscribe();
  });
});

// Workspace bundles in the browser: a stored workspace out segment by segment,
// a bundle file in as a local copy, idempotently; a bad file stores nothing.
import { afterEach, describe, expect, it, vi } from "vitest";
import { gunzipSync } from "node:zlib";
import { endLine, eventLine, headerLine } from "../../shared/bundle.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { bundleConfig, configSourceNote, keepImportedConfig } from "../../app/src/components/bundle-config.ts";
import { loadCachedProductConfig } from "../../app/src/views/product-config-cache.ts";
import { blobLines, chunksToBlob } from "../../app/src/store/bundle-blob.ts";
import { bundleChunks, exportSource } from "../../app/src/store/bundle-export.ts";
import { importBundle } from "../../app/src/store/bundle-import.ts";
import { isImportedCopy, localCopyLive, localCopySync } from "../../app/src/store/bundle-local.ts";
import { SegmentStore } from "../../app/src/store/segment-store.ts";
import { getWorkspace, listWorkspaces, saveWorkspace } from "../../app/src/store/workspaces.ts";
import { expectSameEvents, makeEvents, openTestDb } from "./helpers.ts";

const config = { thresholds: { coverage_min: 70 }, personas: ["admin"] };

/** The events a bundle file holds, as the store would hand them back with seqs from 1. */
function renumbered(events: StoredEvent[], from = 1): StoredEvent[] {
  return events.map((e, i) => ({ ...e, seq: from + i }));
}

function bundleText(events: StoredEvent[], id = "ws_src"): string {
  return [headerLine({ exported_at: "2026-11-23T10:00:00.000Z", workspace: { id, name: "payments", demo: false }, config }), ...events.map(eventLine), endLine(events.length)].join("\n") + "\n";
}

async function storedEvents(store: SegmentStore, id: string): Promise<StoredEvent[]> {
  const { segments, dictionary } = await store.loadBlocks(id, { withDetails: true });
  const { decodeRow, newDictionary } = await import("../../shared/columns.ts");
  const dict = newDictionary(dictionary);
  return segments.flatMap((s) => Array.from({ length: s.block.length }, (_, i) => decodeRow(s.block, i, dict)));
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  let text = "";
  for await (const c of chunks) text += c;
  return text.trimEnd().split("\n");
}

describe("export from the store", () => {
  it("writes the header, every stored event in seq order and the end line", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const events = makeEvents(9000, 5);
    for (let i = 0; i < events.length; i += 1000) await store.appendPage("ws_a", events.slice(i, i + 1000), events[i + 999]!.seq);
    const ws = await saveWorkspace(db, { id: "ws_a", apiBase: "http://x", key: "k" });
    const progress: number[] = [];
    const lines = await collect(bundleChunks(db, exportSource(ws, config, Date.UTC(2026, 10, 23)), (n) => progress.push(n)));
    expect(JSON.parse(lines[0]!)).toEqual({ format: "tally-bundle", version: 1, exported_at: "2026-11-23T00:00:00.000Z", workspace: { id: "ws_a", name: "ws_a", demo: false }, config });
    expect(lines.slice(1, -1)).toEqual(events.map(eventLine));
    expect(lines.at(-1)).toBe(endLine(9000));
    // one step per stored segment (4096 events each)
    expect(progress).toEqual([4096, 8192, 9000]);
  });

  it("neither repeats nor loses events when a segment grows during the export", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const events = makeEvents(6000);
    await store.appendPage("ws_a", events.slice(0, 5000), 5000);
    const ws = await saveWorkspace(db, { id: "ws_a", apiBase: "http://x", key: "k" });
    const chunks = bundleChunks(db, exportSource(ws, {}, 0))[Symbol.asyncIterator]();
    let text = (await chunks.next()).value + (await chunks.next()).value;
    // the small last segment (4097..5000) is topped up before the export reaches it
    await store.appendPage("ws_a", events.slice(5000), 6000);
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) text += c.value;
    const lines = text.trimEnd().split("\n");
    expect(lines.slice(1, -1)).toEqual(events.map(eventLine));
    expect(lines.at(-1)).toBe(endLine(6000));
  });

  it("names an imported copy's source workspace and streams through gzip", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const imported = await importBundle(db, store, blobLines(new Blob([bundleText(makeEvents(50))])));
    if (!imported.ok) throw new Error("import failed");
    const ws = imported.workspace;
    const blob = await chunksToBlob(bundleChunks(db, exportSource(ws, ws.imported!.config, 0)), true);
    const lines = gunzipSync(Buffer.from(await blob.arrayBuffer())).toString("utf8").trimEnd().split("\n");
    expect(JSON.parse(lines[0]!).workspace).toEqual({ id: "ws_src", name: "payments", demo: false });
    expect(JSON.parse(lines[0]!).config).toEqual(config);
    expect(lines).toHaveLength(52);
  });
});

describe("import into the browser", () => {
  it("stores a bundle as the local copy bundle-<id>, never synced, with new seqs", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const events = makeEvents(20_000, 100);
    const phases = new Set<string>();
    const result = await importBundle(db, store, blobLines(new Blob([bundleText(events)])), { now: 1234, pageSize: 5000, onProgress: (p) => phases.add(p.phase) });
    expect(result).toMatchObject({ ok: true, events: 20_000, stored: 20_000, already: 0 });
    expect([...phases]).toEqual(["checking", "storing"]);
    const ws = await getWorkspace(db, "bundle-ws_src");
    expect(ws).toEqual({
      id: "bundle-ws_src",
      name: "payments",
      demo: false,
      apiBase: "",
      key: "",
      addedAt: 1234,
      lastOpenedAt: 1234,
      imported: { sourceId: "ws_src", exportedAt: "2026-11-23T10:00:00.000Z", importedAt: 1234, config },
    });
    expectSameEvents(await storedEvents(store, "bundle-ws_src"), renumbered(events));
    expect(await store.syncState("bundle-ws_src")).toMatchObject({ after: 20_000, events: 20_000 });
  });

  it("stores nothing new when the same bundle comes again, and only the new events of an overlapping one", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const events = makeEvents(3000);
    await importBundle(db, store, blobLines(new Blob([bundleText(events.slice(0, 2000))])));
    const again = await importBundle(db, store, blobLines(new Blob([bundleText(events.slice(0, 2000))])));
    expect(again).toMatchObject({ ok: true, stored: 0, already: 2000 });
    const overlap = await importBundle(db, store, blobLines(new Blob([bundleText(events.slice(1500))])));
    expect(overlap).toMatchObject({ ok: true, stored: 1000, already: 500 });
    expectSameEvents(await storedEvents(store, "bundle-ws_src"), renumbered(events));
    expect((await listWorkspaces(db)).map((w) => w.id)).toEqual(["bundle-ws_src"]);
  });

  it("imports a bundle whose config key no longer fits, leaving that key out with a warning naming it", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const text = bundleText(makeEvents(20)).replace('"coverage_min":70', '"coverage_min":"high"');
    const result = await importBundle(db, store, blobLines(new Blob([text])));
    expect(result).toMatchObject({ ok: true, stored: 20, warnings: [{ line: 1, path: "config.thresholds.coverage_min" }] });
    expect((await getWorkspace(db, "bundle-ws_src"))?.imported?.config).toEqual({ personas: ["admin"] });
  });

  it("stores each event once when overlapping bundles are imported at the same time", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const events = makeEvents(3000);
    const [a, b] = await Promise.all([
      importBundle(db, store, blobLines(new Blob([bundleText(events.slice(0, 2000))])), { pageSize: 500 }),
      importBundle(db, store, blobLines(new Blob([bundleText(events.slice(1000))])), { pageSize: 500 }),
    ]);
    expect([a, b].map((r) => (r.ok ? r.stored : -1)).sort()).toEqual([1000, 2000]);
    const stored = await storedEvents(store, "bundle-ws_src");
    expect(new Set(stored.map((e) => e.id)).size).toBe(3000);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(await store.syncState("bundle-ws_src")).toMatchObject({ after: 3000, events: 3000 });
  });

  it("lists a cut-short import's copy flagged incomplete, says how many events were stored, and finishes on a re-import", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const events = makeEvents(1000);
    const append = store.appendPage.bind(store);
    let pages = 0;
    store.appendPage = (async (...args: Parameters<typeof append>) => {
      if (++pages === 3) throw new Error("QuotaExceededError");
      return append(...args);
    }) as typeof store.appendPage;
    const failed = importBundle(db, store, blobLines(new Blob([bundleText(events)])), { pageSize: 300 });
    await expect(failed).rejects.toThrow(/QuotaExceededError\. 600 of the bundle's 1000 events were stored; import the same bundle again to resume/);
    expect(await getWorkspace(db, "bundle-ws_src")).toMatchObject({ importIncomplete: true, imported: { sourceId: "ws_src" } });
    store.appendPage = append;
    const again = await importBundle(db, store, blobLines(new Blob([bundleText(events)])), { pageSize: 300 });
    expect(again).toMatchObject({ ok: true, stored: 400, already: 600 });
    expect((await getWorkspace(db, "bundle-ws_src"))?.importIncomplete).toBeUndefined();
    expectSameEvents(await storedEvents(store, "bundle-ws_src"), renumbered(events));
  });

  it("reads a gzip bundle whatever its name", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const events = makeEvents(300);
    async function* one() {
      yield bundleText(events);
    }
    const gz = await chunksToBlob(one(), true);
    const result = await importBundle(db, store, blobLines(gz));
    expect(result).toMatchObject({ ok: true, stored: 300 });
  });

  it("refuses a bad file naming line and field, leaving what is stored untouched", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    const events = makeEvents(100);
    await importBundle(db, store, blobLines(new Blob([bundleText(events.slice(0, 50))])));
    const lines = bundleText(events).split("\n");
    lines[70] = JSON.stringify({ ...JSON.parse(lines[70]!), ts: "yesterday" });
    const result = await importBundle(db, store, blobLines(new Blob([lines.join("\n")])));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ line: 71, path: "ts" });
    expect(await store.syncState("bundle-ws_src")).toMatchObject({ events: 50 });

    const cut = await importBundle(db, store, blobLines(new Blob([bundleText(events).split("\n").slice(0, 60).join("\n")])));
    expect(cut).toMatchObject({ ok: false, issues: [{ line: 61, message: expect.stringMatching(/end line is missing/) }] });
    const csv = await importBundle(db, store, blobLines(new Blob(["a,b\n1,2\n"])));
    expect(csv).toMatchObject({ ok: false, issues: [{ line: 1, message: expect.stringMatching(/not a Tally bundle/) }] });
    expect(await store.syncState("bundle-ws_src")).toMatchObject({ events: 50 });
    expect(await getWorkspace(db, "bundle-ws_src")).toMatchObject({ imported: { sourceId: "ws_src" } });
  });

  it("keeps share-link workspaces stored before bundles working: they have no imported field", async () => {
    const { db } = openTestDb();
    await saveWorkspace(db, { id: "ws_a", apiBase: "http://x", key: "k" }, 5);
    const ws = await getWorkspace(db, "ws_a");
    expect(ws?.imported).toBeUndefined();
  });
});

describe("an imported copy's sync and live stand-ins", () => {
  it("report what is stored, never synced, and offline, without any request", async () => {
    const { db } = openTestDb();
    const store = new SegmentStore(db);
    await importBundle(db, store, blobLines(new Blob([bundleText(makeEvents(40))])));
    const ws = (await getWorkspace(db, "bundle-ws_src"))!;
    expect(isImportedCopy(ws)).toBe(true);
    expect(isImportedCopy({})).toBe(false);
    const statuses: unknown[] = [];
    const sync = localCopySync(store, ws.id, (s) => statuses.push(s));
    expect(await sync.syncNow()).toEqual({ state: "idle", syncedAt: null, events: 40 });
    sync.stop();
    expect(statuses).toContainEqual({ state: "idle", syncedAt: null, events: 40 });
    const states: string[] = [];
    localCopyLive((s) => states.push(s));
    await Promise.resolve();
    expect(states).toEqual(["offline"]);
  });
});

describe("the exported config's source", () => {
  const ws = { id: "ws_a", name: "a", demo: false, apiBase: "http://edge.test", key: "tly_r_x", addedAt: 0, lastOpenedAt: 0 };
  const answering = (status: number): typeof fetch => async () =>
    new Response(JSON.stringify({ error: { code: status === 401 ? "token_revoked" : "insufficient_scope", message: "no" } }), { status, headers: { "Content-Type": "application/json" } });

  it.each([401, 403])("says the edge refused the token on HTTP %i, not that it could not be reached", async (status) => {
    const { source } = await bundleConfig(ws, answering(status));
    expect(source).toBe("refused");
    expect(configSourceNote(source)).toMatch(/refused this share link's token/);
    expect(configSourceNote(source)).not.toMatch(/could not be reached/);
  });

  it("says the edge could not be reached when the request fails", async () => {
    const { source } = await bundleConfig(ws, async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(source).toBe("kept");
    expect(configSourceNote(source)).toMatch(/could not be reached/);
  });
});

describe("an imported copy's product config", () => {
  const mem = new Map<string, string>();
  const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v), removeItem: (k: string) => void mem.delete(k), clear: () => mem.clear(), key: () => null, length: 0 };
  afterEach(() => {
    vi.unstubAllGlobals();
    mem.clear();
  });

  it("keeps experiments and funnels for the Product view, and an offline export reads them back", async () => {
    vi.stubGlobal("localStorage", storage);
    const experiments = [{ experiment: "pricing", control: "a", goal: { name: "signup" } }];
    const funnels = [{ name: "Checkout", steps: [{ name: "cart" }, { name: "paid", props: { plan: "pro" } }], window_hours: 24 }];
    keepImportedConfig("bundle-ws_src", { personas: ["admin"], experiments, funnels }, 1234);
    expect(loadCachedProductConfig("bundle-ws_src")).toEqual({ config: { experiments, funnels, versions: { experiments: 0, funnels: 0 } }, fetchedAt: 1234 });
    // the same browser's kept copies stand in for an unreachable edge
    const ws = { id: "bundle-ws_src", name: "a", demo: false, apiBase: "http://edge.test", key: "k", addedAt: 0, lastOpenedAt: 0 };
    const { config, source } = await bundleConfig(ws, async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(source).toBe("kept");
    expect(config).toMatchObject({ personas: ["admin"], experiments, funnels });
  });
});

/**
 * The page half of the cold-open bench, bundled by esbuild into one IIFE and
 * injected into a page on the app's origin. It writes IndexedDB with the app's
 * own store code (db.ts, SegmentStore, saveWorkspace), so the app finds
 * exactly what a finished sync would have left, and installs the calls the
 * bench makes as `globalThis.tallyBench` (page-api.ts). The baseline rows
 * are written by the same bundle in a page of another origin.
 *
 * `.mts`, not `.ts`: it needs the DOM lib, and tests/tsconfig.json (Node
 * types, no DOM) checks every `bench/**\/*.ts`; tests/bench/browser/tsconfig.json
 * checks this file instead.
 */
import Dexie, { type Table } from "dexie";
import type { StoredEvent } from "../../../shared/event.ts";
import { StoreAggregator, type BlockSource } from "../../../app/src/aggregate/aggregator.ts";
import { filterOptionQueries } from "../../../app/src/panels/filter-options.ts";
import { buildPanels } from "../../../app/src/panels/panel-set.ts";
import { TRAFFIC_PANELS } from "../../../app/src/panels/traffic.ts";
import { parseFilters, toSelection } from "../../../app/src/routing/filter-state.ts";
import { chooseBucket, localOffsetMinutes, resolveRange } from "../../../app/src/routing/time-range.ts";
import { db } from "../../../app/src/store/db.ts";
import { SegmentStore } from "../../../app/src/store/segment-store.ts";
import { saveWorkspace } from "../../../app/src/store/workspaces.ts";
import type { Query } from "../../../shared/query.ts";
import { trafficData } from "../query/data.ts";
import { BENCH_GLOBAL, ROWS_DB, type BenchPageApi, type OpenProfile, type ReadRowsReport, type SeedOptions, type SeedReport, type SeedRowsReport, type LiveApplyReport } from "./page-api.ts";

/** The baseline: every event a row of its own, keyed by seq. */
class RowsDb extends Dexie {
  events!: Table<StoredEvent, number>;
  constructor() {
    super(ROWS_DB);
    this.version(1).stores({ events: "seq" });
  }
}

const PROPS = ["method", "endpoint", "status", "latency_ms", "protocol", "env"] as const;

/** Events `from .. to - 1` of the query bench's data, as the edge serves them (seq from 1, ids as in its blocks). */
function storedEvents(data: ReturnType<typeof trafficData>, from: number, to: number): StoredEvent[] {
  const { columns: c, dict } = data;
  const text = (code: number) => dict.values[code]!;
  const out: StoredEvent[] = [];
  for (let i = from; i < to; i++) {
    const ts = c.ts[i]!;
    const values = [text(c.method[i]!), text(c.endpoint[i]!), c.status[i]!, c.latency_ms[i]!, text(c.protocol[i]!), text(c.env[i]!)];
    const props: StoredEvent["props"] = {};
    PROPS.forEach((p, k) => (props[p] = values[k]!));
    out.push({ seq: i + 1, id: `evt-${i}`, ts, received_at: ts + 50, type: "request", name: text(c.name[i]!), props });
  }
  return out;
}

async function seed(options: SeedOptions): Promise<SeedReport> {
  const started = performance.now();
  const { workspaceId, events: n, pageSize } = options;
  await saveWorkspace(db, { id: workspaceId, apiBase: options.apiBase, key: options.key });
  const store = new SegmentStore(db);
  const data = trafficData(n);
  for (let from = 0; from < n; from += pageSize) {
    const to = Math.min(n, from + pageSize);
    await store.appendPage(workspaceId, storedEvents(data, from, to), to);
  }
  const state = await store.syncState(workspaceId);
  const segments = await db.packedSegments.where("[workspaceId+firstSeq]").between([workspaceId, -Infinity], [workspaceId, Infinity]).count();
  const dictionary = (await store.loadBlocks(workspaceId, { sinceFirstSeq: Infinity })).dictionarySize;
  return { after: state.after, events: state.events, segments, dictionary, ms: performance.now() - started };
}

/** The same events as baseline rows, in pages of `pageSize`. */
async function seedRows(events: number, pageSize: number): Promise<SeedRowsReport> {
  const started = performance.now();
  const rows = new RowsDb();
  const data = trafficData(events);
  for (let from = 0; from < events; from += pageSize) await rows.events.bulkAdd(storedEvents(data, from, Math.min(events, from + pageSize)));
  const count = await rows.events.count();
  rows.close();
  return { rows: count, ms: performance.now() - started };
}

/** Every baseline row back, the fastest way Dexie has (one getAll), from opening the database on. */
async function readRows(): Promise<ReadRowsReport> {
  const started = performance.now();
  const rows = new RowsDb();
  const all = await rows.events.toArray();
  const ms = performance.now() - started;
  rows.close();
  return { rows: all.length, ms };
}

/** The queries the Traffic view runs for `?range=all`: its panels', and the filter options' when asked. */
function trafficQueries(info: { minTs: number; maxTs: number }, withOptions: boolean): Query[] {
  const now = Date.now();
  const filters = parseFilters(new URLSearchParams("range=all"));
  const bounds = { minTs: info.minTs, maxTs: info.maxTs };
  const range = resolveRange(filters.range, now, bounds)!;
  const selection = toSelection(filters, now, bounds, ["request"]);
  const panels = buildPanels(TRAFFIC_PANELS, { selection, bucket: chooseBucket(range.to - range.from), offsetMinutes: localOffsetMinutes(now) });
  return withOptions ? [...panels.queries, ...filterOptionQueries(selection, ["request"])] : panels.queries;
}

/**
 * Live batches applied as the app applies them, on this page's thread: each
 * batch stored (appendPage), the aggregator refreshed, the Traffic panels'
 * queries run again. Changes the stored workspace: run it last.
 */
async function applyLive(workspaceId: string, batches: number, size: number): Promise<LiveApplyReport> {
  const store = new SegmentStore(db);
  const aggregator = new StoreAggregator(store);
  let info = await aggregator.open(workspaceId);
  const first = info.lastSeq;
  const held = info.events;
  const data = trafficData(batches * size);
  await aggregator.run(trafficQueries(info, false)); // JIT warm, as a page open for a while is
  const out: LiveApplyReport = { store: [], refresh: [], queries: [], total: [] };
  for (let b = 0; b < batches; b++) {
    // the next events after the stored ones, timed within the stored span so "all time" keeps its buckets
    const events = storedEvents(data, b * size, (b + 1) * size).map((e) => ({ ...e, seq: first + e.seq, id: `live-${e.seq}`, ts: info.maxTs - 60_000 + (e.seq % 60_000) }));
    const t0 = performance.now();
    await store.appendPage(workspaceId, events, events.at(-1)!.seq);
    const t1 = performance.now();
    info = await aggregator.refresh();
    const t2 = performance.now();
    await aggregator.run(trafficQueries(info, false));
    const t3 = performance.now();
    out.store.push(t1 - t0);
    out.refresh.push(t2 - t1);
    out.queries.push(t3 - t2);
    out.total.push(t3 - t0);
  }
  if (info.events !== held + batches * size) throw new Error(`after the live batches the aggregator holds ${info.events} events`);
  db.close();
  return out;
}

/** The aggregation worker's open and the Traffic view's first job, step by step, on this page's thread. */
async function profileOpen(workspaceId: string): Promise<OpenProfile> {
  const store = new SegmentStore(db);
  let loadMs = 0;
  let segments = 0;
  const timed: BlockSource = {
    async loadBlocks(id, options) {
      const t = performance.now();
      const loaded = await store.loadBlocks(id, options);
      loadMs += performance.now() - t;
      segments = loaded.segments.length;
      return loaded;
    },
    loadDetails: (id, firstSeqs) => store.loadDetails(id, firstSeqs),
  };
  const aggregator = new StoreAggregator(timed);
  let t = performance.now();
  const info = await aggregator.open(workspaceId);
  const openMs = performance.now() - t;

  const queries = trafficQueries(info, true);
  t = performance.now();
  await aggregator.run(queries);
  const queriesMs = performance.now() - t;
  t = performance.now();
  await aggregator.run(queries);
  const queriesWarmMs = performance.now() - t;
  db.close();
  return { loadMs, openMs, segments, events: info.events, queriesMs, queriesWarmMs, queries: queries.length };
}

const api: BenchPageApi = { seed, seedRows, readRows, profileOpen, applyLive };
(globalThis as unknown as Record<string, BenchPageApi>)[BENCH_GLOBAL] = api;

/**
 * What the seed bundle (seed.mts) installs in the page, shared by the page
 * side and the Node side of the cold-open bench. Plain types: no DOM, no Node.
 */

/** The global the seed bundle sets: `globalThis[BENCH_GLOBAL]`. */
export const BENCH_GLOBAL = "tallyBench";

/** The baseline layout: the same events, one IndexedDB row per event. */
export const ROWS_DB = "bench-rows";

export interface SeedOptions {
  workspaceId: string;
  /** Origin of the edge, saved with the workspace as a share link would. */
  apiBase: string;
  /** The workspace's read token. */
  key: string;
  events: number;
  /** Events per appendPage call, as the sync stores a pulled page. */
  pageSize: number;
}

export interface SeedReport {
  /** The workspace's stored cursor and event count after seeding. */
  after: number;
  events: number;
  segments: number;
  dictionary: number;
  ms: number;
}

export interface SeedRowsReport {
  /** Rows in the baseline database. */
  rows: number;
  ms: number;
}

export interface ReadRowsReport {
  rows: number;
  ms: number;
}

/** Where a cold open's time goes, measured step by step in a page without the app. */
export interface OpenProfile {
  /** SegmentStore.loadBlocks: every segment and the dictionary, from IndexedDB. */
  loadMs: number;
  /** StoreAggregator.open in all: the load, then the dictionary's index and the segment list. */
  openMs: number;
  segments: number;
  events: number;
  /** The Traffic view's queries (panels and filter options) over the loaded blocks, first run. */
  queriesMs: number;
  /** The same queries again, JIT warm. */
  queriesWarmMs: number;
  queries: number;
}

/** Per live batch, ms: storing it, the aggregator's refresh, the Traffic panels' queries, and all three. */
export interface LiveApplyReport {
  store: number[];
  refresh: number[];
  queries: number[];
  total: number[];
}

export interface BenchPageApi {
  seed(options: SeedOptions): Promise<SeedReport>;
  seedRows(events: number, pageSize: number): Promise<SeedRowsReport>;
  readRows(): Promise<ReadRowsReport>;
  profileOpen(workspaceId: string): Promise<OpenProfile>;
  applyLive(workspaceId: string, batches: number, size: number): Promise<LiveApplyReport>;
}

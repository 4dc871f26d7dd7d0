/**
 * The Aggregator over the store: keeps an open workspace's segments in memory
 * as blocks and answers queries with the shared engine. Plain code, so it is
 * tested in Node; worker.ts only exposes it through Comlink.
 *
 * Blocks stay one per stored segment. A refresh rereads only the segments
 * that may have changed: the small tail, which the store tops up and merges
 * into sealed segments; sealed segments already held are kept as they are.
 */
import { decodeRow, newDictionary, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";
import { toCsv, type CsvValue } from "../../../shared/csv.ts";
import type { StoredEvent } from "../../../shared/event.ts";
import { IncrementalQueries, runQueries, sliceRows } from "../../../shared/engine/index.ts";
import type { AlertEvaluation, AlertRule, AlertState } from "../../../shared/alerts.ts";
import { productReport } from "../../../shared/product/index.ts";
import type { ProductReport, ProductSpec } from "../../../shared/product/types.ts";
import type { Query, QueryResult } from "../../../shared/query.ts";
import type { Aggregator, DatasetInfo, Selection } from "../data/api.ts";
import { evaluateLoadedAlerts } from "./alerts.ts";
import type { LoadedSegment, SegmentStore } from "../store/segment-store.ts";
import { selectEvents } from "./select-events.ts";

/** Query sets whose incremental state is kept: the open view's panels and filter options, and another view's. */
const KEPT_RUNS = 4;

/** Where a query set's results stand: over the first `rows` rows of epoch `epoch`; `live` once a batch was added. */
interface KeptRun {
  epoch: number;
  rows: number;
  live: IncrementalQueries | null;
}

/** refresh, run or exportEvents before any open. */
export class AggregatorNotOpenError extends Error {
  override name = "AggregatorNotOpenError";
  constructor() {
    super("no workspace is open: call open(workspaceId) first");
  }
}

/** What the aggregator needs of the store. */
export type BlockSource = Pick<SegmentStore, "loadBlocks" | "loadDetails">;

/** The columns every exported event has, before its props (`props.<key>`, sorted). */
export const EXPORT_COLUMNS = ["seq", "id", "ts", "received_at", "type", "name"] as const;

export class StoreAggregator implements Aggregator {
  private workspaceId: string | null = null;
  private segments: LoadedSegment[] = [];
  private blocks: ColumnBlock[] = [];
  private dict: Dictionary = newDictionary();
  /** Bumped whenever the rows held are replaced rather than appended to: incremental state from before is void. */
  private epoch = 0;
  /** Recent query sets (a view's panels, its filter options) with where their incremental state stands. */
  private readonly kept = new Map<string, KeptRun>();
  /** The store's retention generation the segments held were loaded at. */
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: BlockSource) {}

  /** Loads a workspace; for the workspace already open, only what changed. */
  open(workspaceId: string): Promise<DatasetInfo> {
    return this.serial(() => (workspaceId === this.workspaceId ? this.loadChanges(workspaceId) : this.loadAll(workspaceId)));
  }

  /** Picks up segments stored since the last open/refresh: new ones and the topped-up last one. */
  refresh(): Promise<DatasetInfo> {
    return this.serial(() => this.loadChanges(this.opened()));
  }

  /**
   * Runs queries over the open workspace; several sharing range, types and
   * filters select rows once. Asked again for the same queries after rows
   * were only appended (a live batch, a sync page), it updates the last
   * results with the new rows alone (IncrementalQueries): the first such
   * update builds the state in one pass, later ones cost what they add.
   */
  async run(queries: Query[]): Promise<QueryResult[]> {
    return this.compute(queries);
  }

  /** As {@link run}, handing each result on as soon as it is computed; an incremental update has them all at once. */
  async runEach(queries: Query[], each: (index: number, result: QueryResult) => void): Promise<void> {
    let handed = 0;
    const results = this.compute(queries, (i, r) => {
      handed++;
      each(i, r);
    });
    if (handed === 0) results.forEach((r, i) => each(i, r));
  }

  private compute(queries: Query[], each?: (index: number, result: QueryResult) => void): QueryResult[] {
    this.opened();
    const key = JSON.stringify(queries);
    const rows = this.rowCount();
    const known = this.kept.get(key);
    const kept = known !== undefined && known.epoch === this.epoch && known.rows <= rows ? known : undefined;
    if (kept !== undefined && (kept.live !== null || kept.rows < rows)) {
      kept.live ??= new IncrementalQueries(queries, sliceRows(this.blocks, 0, kept.rows), this.dict);
      const results = kept.rows < rows ? kept.live.append(sliceRows(this.blocks, kept.rows, rows), this.blocks, this.dict) : kept.live.results(this.blocks, this.dict);
      kept.rows = rows;
      this.keep(key, kept);
      return results;
    }
    const results = runQueries(this.blocks, this.dict, queries, undefined, each);
    this.keep(key, { epoch: this.epoch, rows, live: null });
    return results;
  }

  /** Alert rules over the open workspace; the evaluation itself is in alerts.ts. */
  async evaluateAlerts(rules: AlertRule[], now: number, previous: AlertState[]): Promise<AlertEvaluation> {
    this.opened();
    return evaluateLoadedAlerts({ blocks: this.blocks, dict: this.dict }, rules, now, previous);
  }

  /** The Product view's report over the open workspace; the computation is shared productReport's. */
  async product(spec: ProductSpec): Promise<ProductReport> {
    this.opened();
    return productReport(this.blocks, this.dict, spec);
  }

  /**
   * The selected events in seq order, as a JSON array of events as the API
   * serves them, or as CSV: {@link EXPORT_COLUMNS} (times as ISO-8601 UTC)
   * then one `props.<key>` column per prop the selected events carry.
   */
  exportEvents(selection: Selection, format: "csv" | "json"): Promise<string> {
    return this.serial(async () => {
      const events = await this.selectedEvents(this.opened(), selection);
      return format === "json" ? JSON.stringify(events) : eventsCsv(events);
    });
  }

  /** Size and bounds of what is loaded. */
  info(): DatasetInfo {
    let events = 0;
    let minTs = Infinity;
    let maxTs = -Infinity;
    for (const s of this.segments) {
      events += s.count;
      minTs = Math.min(minTs, s.minTs);
      maxTs = Math.max(maxTs, s.maxTs);
    }
    const empty = events === 0;
    return { workspaceId: this.workspaceId ?? "", events, minTs: empty ? NaN : minTs, maxTs: empty ? NaN : maxTs, lastSeq: this.segments.at(-1)?.lastSeq ?? 0 };
  }

  private async loadAll(workspaceId: string): Promise<DatasetInfo> {
    const loaded = await this.store.loadBlocks(workspaceId);
    performance.mark("tally:segments-loaded", { detail: { workspaceId, segments: loaded.segments.length } });
    this.workspaceId = workspaceId;
    this.dict = newDictionary(loaded.dictionary);
    this.generation = loaded.generation;
    this.epoch++;
    this.setSegments(loaded.segments);
    return this.info();
  }

  private async loadChanges(workspaceId: string): Promise<DatasetInfo> {
    // from the first small segment held (or the last one): everything before it is sealed and stays
    const firstSmall = this.segments.findIndex((s) => !s.sealed);
    const from = firstSmall === -1 ? Math.max(0, this.segments.length - 1) : firstSmall;
    const since = this.segments[from]?.firstSeq;
    const known = this.dict.values.length;
    // the small segments before the last stay as they are unless sealed away: only the last is topped up
    const unchanged = this.segments.slice(from, -1).map((s) => s.firstSeq);
    const load = (keep: number[]) => this.store.loadBlocks(workspaceId, { sinceFirstSeq: since ?? -Infinity, dictionaryFrom: known, unchanged: keep });
    let loaded = await load(unchanged);
    // the first of them sealed with the rest merged in (the last held among them): read them all, as sealing keeps that first key
    if (loaded.kept && loaded.segments[0]?.firstSeq !== this.segments.at(-1)?.firstSeq) loaded = await load([]);
    const kept = loaded.kept ? from + unchanged.length : from;
    // the stored workspace no longer extends what we hold (it was removed, maybe synced anew): start over.
    // Sealing keeps the first small segment's firstSeq, so a merged tail still starts where we asked.
    // Retention rewrites segments anywhere, sealed ones too (its generation then grows): start over as well.
    const resumes = since === undefined || loaded.segments[0]?.firstSeq === this.segments[kept]?.firstSeq;
    if (loaded.dictionarySize < known || loaded.generation !== this.generation || !resumes) return this.loadAll(workspaceId);
    // appended in place: codes are stable and queries run synchronously, so none sees a half-grown dictionary
    for (const value of loaded.dictionary) {
      this.dict.index.set(value, this.dict.values.length);
      this.dict.values.push(value);
    }
    this.setSegments([...this.segments.slice(0, kept), ...loaded.segments]);
    return this.info();
  }

  // most recently used last; a few views' worth, since each state holds its percentile dimensions' values
  private keep(key: string, run: KeptRun): void {
    this.kept.delete(key);
    this.kept.set(key, run);
    if (this.kept.size > KEPT_RUNS) this.kept.delete(this.kept.keys().next().value!);
  }

  private rowCount(): number {
    let n = 0;
    for (const b of this.blocks) n += b.length;
    return n;
  }

  private setSegments(segments: LoadedSegment[]): void {
    this.segments = segments;
    this.blocks = segments.map((s) => s.block);
  }

  // decodes the selected rows, reading details only for segments that have any
  private async selectedEvents(workspaceId: string, selection: Selection): Promise<StoredEvent[]> {
    const { segments, blocks, dict } = this;
    const refs = selectEvents(blocks, dict, selection);
    const hit = [...new Set(refs.map((r) => r.block))].map((b) => segments[b]!);
    const details = await this.store.loadDetails(workspaceId, hit.map((s) => s.firstSeq));
    const full = new Map(hit.map((s) => [s, { ...s.block, ...details.get(s.firstSeq)! }]));
    return refs.map((r) => decodeRow(full.get(segments[r.block]!)!, r.row, dict));
  }

  private opened(): string {
    if (this.workspaceId === null) throw new AggregatorNotOpenError();
    return this.workspaceId;
  }

  // loads and exports one at a time, so an export never sees a refresh half done
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Events as CSV: {@link EXPORT_COLUMNS}, then `props.<key>` for every prop present, sorted by key. */
export function eventsCsv(events: readonly StoredEvent[]): string {
  const keys = new Set<string>();
  for (const e of events) for (const key in e.props) keys.add(key);
  const propKeys = [...keys].sort();
  const rows = events.map((e): CsvValue[] => [
    e.seq,
    e.id,
    new Date(e.ts).toISOString(),
    new Date(e.received_at).toISOString(),
    e.type,
    e.name,
    ...propKeys.map((k) => e.props[k] ?? null),
  ]);
  return toCsv([...EXPORT_COLUMNS, ...propKeys.map((k) => `props.${k}`)], rows);
}

/**
 * The distinct ArrayBuffers behind results' typed arrays: what the worker
 * transfers instead of copying. Only arrays spanning their whole buffer are
 * taken, so a view into memory the engine keeps (a reused work array) is
 * copied rather than detached from under it.
 */
export function resultBuffers(results: readonly QueryResult[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (a: Float64Array): void => {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  };
  for (const r of results) {
    r.measures.forEach(add);
    for (const k of r.keys) if (k.kind === "time") add(k.values);
  }
  return [...buffers];
}

/** The whole buffers behind a Product report's series (daily, weekly, monthly), by the rule of {@link resultBuffers}. */
export function reportBuffers(report: ProductReport): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const s of [report.active.daily, report.active.weekly, report.active.monthly]) {
    for (const a of [s.t, s.users]) if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  }
  return [...buffers];
}

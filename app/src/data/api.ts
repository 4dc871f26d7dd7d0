/**
 * What the views may ask of the data layer. Views import only these types and
 * the modules that implement them (store/, sync/, aggregate/); they never see
 * events, only query results.
 */
import type { Query, QueryResult } from "../../../shared/query.ts";
import type { Filter } from "../../../shared/query.ts";
import type { EventType } from "../../../shared/event.ts";
import type { WorkspaceConfig } from "../../../shared/config.ts";
import type { AlertEvaluation, AlertRule, AlertState } from "../../../shared/alerts.ts";
import type { ProductReport, ProductSpec } from "../../../shared/product/types.ts";

/** A workspace this browser knows, opened once from a share link. */
export interface KnownWorkspace {
  id: string;
  /** Name from the edge, once synced; the id until then. */
  name: string;
  demo: boolean;
  /** Origin of the edge API, e.g. `http://localhost:8787`. */
  apiBase: string;
  /** The read token from the share link. */
  key: string;
  addedAt: number;
  lastOpenedAt: number;
  /**
   * Set when the workspace was imported from a bundle file: a local copy with
   * no edge and no token (`apiBase` and `key` are empty), never synced. Absent
   * on workspaces opened from a share link, rows stored before bundles included.
   */
  imported?: {
    /** The id of the workspace the bundle was exported from. */
    sourceId: string;
    /** The bundle's `exported_at` (of the last import). */
    exportedAt: string;
    importedAt: number;
    /** The bundle's config, kept whole so the copy can be exported again. */
    config: WorkspaceConfig;
  };
  /** Set while a bundle import into this copy has not finished (or was cut short): importing the same bundle again finishes it. */
  importIncomplete?: boolean;
}

/** Where a workspace's sync stands, as the UI shows it. */
export type SyncStatus =
  | { state: "idle"; syncedAt: number | null; events: number }
  | { state: "syncing"; events: number; pulled: number }
  | { state: "offline"; syncedAt: number | null; events: number }
  /** The edge refused the token: revoked, expired, unknown or for another workspace. */
  | { state: "denied"; code: string; message: string; events: number }
  | { state: "error"; message: string; events: number }
  /** The browser refused to store more: nothing already stored was lost. */
  | { state: "quota"; message: string; events: number };

/** The aggregation worker's interface, exposed through Comlink. */
export interface Aggregator {
  /** Loads a workspace's stored segments; later calls reload only what changed. */
  open(workspaceId: string): Promise<DatasetInfo>;
  /** Picks up segments stored since the last open/refresh. */
  refresh(): Promise<DatasetInfo>;
  /** Runs queries; results' typed arrays are transferred, not copied. */
  run(queries: Query[]): Promise<QueryResult[]>;
  /**
   * Runs queries as `run` does, handing each result to `each` as soon as it
   * is computed (with its index in `queries`), so a view draws its first
   * panels while the others still compute. Resolves once every result was
   * handed over. Across Comlink `each` must be a proxy (preload.ts makes it one).
   */
  runEach(queries: Query[], each: (index: number, result: QueryResult) => void): Promise<void>;
  /** Matching raw events as CSV (RFC 4180, injection-safe) or JSON text. */
  exportEvents(selection: Selection, format: "csv" | "json"): Promise<string>;
  /**
   * Evaluates alert rules over the loaded events at `now` (shared
   * evaluateRules, one engine pass), moving each from its `previous` state.
   */
  evaluateAlerts(rules: AlertRule[], now: number, previous: AlertState[]): Promise<AlertEvaluation>;
  /** The Product view's report over the loaded `track` events (shared productReport); its series' arrays are transferred. */
  product(spec: ProductSpec): Promise<ProductReport>;
}

/** The part of a query that selects events, without grouping. */
export interface Selection {
  range?: { from: number; to: number };
  types?: EventType[];
  filters?: Filter[];
}

export interface DatasetInfo {
  workspaceId: string;
  events: number;
  /** Earliest and latest event time, epoch ms; NaN when empty. */
  minTs: number;
  maxTs: number;
  /** Highest seq loaded. */
  lastSeq: number;
}

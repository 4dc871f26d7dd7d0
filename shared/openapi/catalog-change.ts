/**
 * What importing a document does to a stored endpoint catalog: merged by
 * default (a workspace may document several services, one document each) or
 * replaced whole, and the difference told as added, changed and removed
 * endpoints so an import can say what it did before or after writing.
 */
import type { EndpointCatalogEntry } from "../openapi.ts";

/** One endpoint's identity: its method and path template, as the catalog stores them. */
export function catalogKey(entry: Pick<EndpointCatalogEntry, "method" | "endpoint">): string {
  return `${entry.method.toUpperCase()} ${entry.endpoint}`;
}

/**
 * The catalog after an import. Merging keeps stored endpoints the document
 * does not list, replaces the ones it does in place, and appends new ones in
 * the document's order; replacing keeps only the document's.
 */
export function mergeCatalog(stored: readonly EndpointCatalogEntry[], imported: readonly EndpointCatalogEntry[], replace: boolean): EndpointCatalogEntry[] {
  if (replace) return [...imported];
  const incoming = new Map(imported.map((e) => [catalogKey(e), e]));
  const kept = stored.map((e) => incoming.get(catalogKey(e)) ?? e);
  const storedKeys = new Set(stored.map(catalogKey));
  return [...kept, ...imported.filter((e) => !storedKeys.has(catalogKey(e)))];
}

/** An endpoint whose documented codes differ between two catalogs. */
export interface ChangedEndpoint {
  method: string;
  endpoint: string;
  before: number[];
  after: number[];
}

/** The difference between a catalog and its successor. */
export interface CatalogChange {
  added: EndpointCatalogEntry[];
  changed: ChangedEndpoint[];
  removed: EndpointCatalogEntry[];
  unchanged: number;
}

function codes(entry: EndpointCatalogEntry): number[] {
  return [...new Set(entry.responses ?? [])].sort((a, b) => a - b);
}

/** What turns `before` into `after`, endpoint by endpoint; codes compared as sets. */
export function catalogChange(before: readonly EndpointCatalogEntry[], after: readonly EndpointCatalogEntry[]): CatalogChange {
  const old = new Map(before.map((e) => [catalogKey(e), e]));
  const next = new Set(after.map(catalogKey));
  const change: CatalogChange = { added: [], changed: [], removed: [], unchanged: 0 };
  for (const entry of after) {
    const was = old.get(catalogKey(entry));
    if (was === undefined) change.added.push(entry);
    else if (codes(was).join() !== codes(entry).join()) change.changed.push({ method: entry.method, endpoint: entry.endpoint, before: codes(was), after: codes(entry) });
    else change.unchanged++;
  }
  change.removed = before.filter((e) => !next.has(catalogKey(e)));
  return change;
}

/** Documented response codes of a catalog; an endpoint documenting none counts as one, as coverage counts it. */
export function countedCodes(entries: readonly EndpointCatalogEntry[]): number {
  return entries.reduce((sum, e) => sum + Math.max(1, e.responses?.length ?? 0), 0);
}

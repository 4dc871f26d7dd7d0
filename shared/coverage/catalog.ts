/**
 * The endpoint catalog as coverage reads it: entries of the config key
 * `endpoint_catalog`, one per method and path, with their documented codes.
 */
import type { WorkspaceConfig } from "../config.ts";
import { endpointKey, methodKey } from "./rows.ts";

/** One documented endpoint, as stored in the workspace config. */
export type CatalogEntry = NonNullable<WorkspaceConfig["endpoint_catalog"]>[number];

/** A catalog entry ready for matching: upper-case method, its key, sorted distinct codes. */
export interface CatalogEndpoint {
  key: string;
  method: string;
  endpoint: string;
  documented: number[];
}

/**
 * The catalog's endpoints in catalog order. An endpoint listed twice (say, by
 * two imports) is one endpoint with the codes of both.
 */
export function catalogEndpoints(catalog: readonly CatalogEntry[]): CatalogEndpoint[] {
  const byKey = new Map<string, CatalogEndpoint>();
  for (const entry of catalog) {
    const key = endpointKey(entry.method, entry.endpoint);
    let found = byKey.get(key);
    if (found === undefined) byKey.set(key, (found = { key, method: methodKey(entry.method), endpoint: entry.endpoint, documented: [] }));
    for (const code of entry.responses ?? []) if (!found.documented.includes(code)) found.documented.push(code);
  }
  const out = [...byKey.values()];
  for (const e of out) e.documented.sort((a, b) => a - b);
  return out;
}

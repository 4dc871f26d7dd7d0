/**
 * The last copy of the workspace's coverage config, kept in localStorage so
 * the Coverage view still knows the catalog, personas and thresholds offline.
 * Small JSON (at most 2000 endpoints); anything unreadable counts as no copy.
 */
import { readCoverageConfig, type CoverageConfig } from "./coverage-edge.ts";

const KEY = "tally:coverage-config:";

function local(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** The kept copy, checked again: one written by an older app may no longer fit the schema. */
export function loadCachedCoverageConfig(workspaceId: string, store: Storage | null = local()): { config: CoverageConfig; fetchedAt: number } | null {
  try {
    const raw = JSON.parse(store?.getItem(KEY + workspaceId) ?? "null") as { value?: CoverageConfig; fetchedAt?: unknown } | null;
    if (!raw || typeof raw.fetchedAt !== "number" || !raw.value) return null;
    const v = raw.value;
    const config = readCoverageConfig({
      config: { endpoint_catalog: v.catalog, personas: v.personas, scenarios: v.scenarios, thresholds: v.thresholds },
      versions: { endpoint_catalog: v.catalogVersion },
    });
    return { config, fetchedAt: raw.fetchedAt };
  } catch {
    return null;
  }
}

export function saveCachedCoverageConfig(workspaceId: string, config: CoverageConfig, fetchedAt: number, store: Storage | null = local()): void {
  try {
    store?.setItem(KEY + workspaceId, JSON.stringify({ value: config, fetchedAt }));
  } catch {
    // a full or refused storage only costs the offline copy
  }
}


/**
 * The Product view's kept copy of its config keys (stored by
 * product-kept.ts), checked with the shared schemas again on the way in: a
 * copy written by an older app may no longer fit them, and then counts as
 * no copy.
 */
import { readProductConfig, type ProductConfig } from "./product-edge.ts";
import { readKeptProductConfig, writeKeptProductConfig } from "./product-kept.ts";

export function loadCachedProductConfig(workspaceId: string, store?: Storage | null): { config: ProductConfig; fetchedAt: number } | null {
  const kept = readKeptProductConfig(workspaceId, store);
  if (kept === null) return null;
  const v = kept.value as Partial<ProductConfig> | null;
  try {
    const config = readProductConfig({ config: { experiments: v?.experiments, funnels: v?.funnels }, versions: v?.versions ?? {} });
    return { config, fetchedAt: kept.fetchedAt };
  } catch {
    return null;
  }
}

export function saveCachedProductConfig(workspaceId: string, config: ProductConfig, fetchedAt: number, store?: Storage | null): void {
  writeKeptProductConfig(workspaceId, config, fetchedAt, store);
}

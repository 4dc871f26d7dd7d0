/**
 * The last copy of the workspace's product settings (experiments, funnels),
 * kept in localStorage as `tally:product-config:<id>` so the Product view
 * knows them offline and the Overview's product cards use the same goals and
 * funnels. No schema library here: the Overview must not load full zod, so
 * this file only reads the envelope and checks the shape the worker relies
 * on; the Product view checks a copy with the shared schemas again
 * (product-config-cache.ts).
 */
import type { ProductSettings } from "../panels/product.ts";

const KEY = "tally:product-config:";

function local(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** The kept value as stored (unchecked) and when it was fetched; null without a readable copy. */
export function readKeptProductConfig(workspaceId: string, store: Storage | null = local()): { value: unknown; fetchedAt: number } | null {
  try {
    const raw = JSON.parse(store?.getItem(KEY + workspaceId) ?? "null") as { value?: unknown; fetchedAt?: unknown } | null;
    return raw && typeof raw.fetchedAt === "number" && raw.value !== undefined ? { value: raw.value, fetchedAt: raw.fetchedAt } : null;
  } catch {
    return null;
  }
}

export function writeKeptProductConfig(workspaceId: string, value: unknown, fetchedAt: number, store: Storage | null = local()): void {
  try {
    store?.setItem(KEY + workspaceId, JSON.stringify({ value, fetchedAt }));
  } catch {
    // a full or refused storage only costs the offline copy
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isMatch = (v: unknown) => isObject(v) && typeof v["name"] === "string" && (v["props"] === undefined || isObject(v["props"]));

/**
 * The kept settings when their shape is the one the worker reads, else none:
 * the Overview then counts experiments by their default goal and shows no
 * funnel, rather than sending the worker something it cannot read.
 */
export function keptProductSettings(workspaceId: string, store: Storage | null = local()): ProductSettings | null {
  const v = readKeptProductConfig(workspaceId, store)?.value;
  if (!isObject(v) || !Array.isArray(v["experiments"]) || !Array.isArray(v["funnels"])) return null;
  const experiments = v["experiments"].every((e) => isObject(e) && typeof e["experiment"] === "string" && (e["goal"] === undefined || isMatch(e["goal"])) && (e["control"] === undefined || typeof e["control"] === "string"));
  const funnels = v["funnels"].every((f) => isObject(f) && typeof f["name"] === "string" && Array.isArray(f["steps"]) && f["steps"].every(isMatch) && typeof f["window_hours"] === "number" && f["window_hours"] > 0);
  return experiments && funnels ? (v as unknown as ProductSettings) : null;
}

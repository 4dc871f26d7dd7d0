/**
 * The last copy of the workspace's product settings (experiments, funnels),
 * kept in localStorage as `tally:product-config:<id>` so the Product view
 * knows them offline and the Overview's product cards use the same goals and
 * funnels. No schema library here: the Overview must not load full zod, so
 * this file only reads the envelope and checks the shape the worker relies
 * on; the Product view checks a copy with the shared schemas again
 * (product-config-cache.ts).
 */
import { NO_SETTINGS, type ProductSettings } from "../panels/product.ts";

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
  return productSettingsShape(readKeptProductConfig(workspaceId, store)?.value);
}

/** `v` as settings when it has the shape the worker reads (`experiments` and `funnels` arrays of the right records), else null. */
export function productSettingsShape(v: unknown): ProductSettings | null {
  if (!isObject(v) || !Array.isArray(v["experiments"]) || !Array.isArray(v["funnels"])) return null;
  const experiments = v["experiments"].every((e) => isObject(e) && typeof e["experiment"] === "string" && (e["goal"] === undefined || isMatch(e["goal"])) && (e["control"] === undefined || typeof e["control"] === "string"));
  const funnels = v["funnels"].every((f) => isObject(f) && typeof f["name"] === "string" && Array.isArray(f["steps"]) && f["steps"].every(isMatch) && typeof f["window_hours"] === "number" && f["window_hours"] > 0);
  return experiments && funnels ? { experiments: v["experiments"] as ProductSettings["experiments"], funnels: v["funnels"] as ProductSettings["funnels"] } : null;
}

/** What the Overview needs of a workspace to read its config (edge-call.ts's EdgeWorkspace, without importing it). */
export interface SettingsWorkspace {
  id: string;
  apiBase: string;
  key: string;
}

/**
 * The workspace's `experiments` and `funnels` config keys, fetched without
 * the schema library (edge-call.ts and product-edge.ts bring zod): the
 * answer's shape is checked by hand as for the kept copy. Null when the
 * workspace has no edge (a bundle copy), the edge cannot be reached or
 * refuses, or the answer does not fit; the caller then keeps what it had.
 * A key never written counts as empty, as in the Product view.
 */
export async function fetchProductSettings(ws: SettingsWorkspace, fetchFn: typeof fetch = fetch): Promise<ProductSettings | null> {
  const base = ws.apiBase.replace(/\/+$/, "");
  if (base === "") return null;
  try {
    const response = await fetchFn(`${base}/api/v1/workspaces/${encodeURIComponent(ws.id)}/config`, { headers: { Authorization: `Bearer ${ws.key}` } });
    if (!response.ok) return null;
    const body = (await response.json()) as unknown;
    const config = isObject(body) ? body["config"] : undefined;
    if (!isObject(config)) return null;
    return productSettingsShape({ experiments: config["experiments"] ?? [], funnels: config["funnels"] ?? [] });
  } catch {
    return null;
  }
}

/**
 * The settings the Overview's product cards use: the fetched ones, else the
 * kept copy, else the defaults (every experiment by its default goal, no
 * funnel), with `defaults` true so the card can say its verdict is not the
 * Product view's.
 */
export function overviewSettings(fetched: ProductSettings | null, workspaceId: string, store: Storage | null = local()): { settings: ProductSettings; defaults: boolean } {
  const known = fetched ?? keptProductSettings(workspaceId, store);
  return known === null ? { settings: NO_SETTINGS, defaults: true } : { settings: known, defaults: false };
}

/**
 * The Product view's calls to the edge: the config keys it reads
 * (`GET …/config`, read token: `experiments` and `funnels`) and writing one
 * of them (`PATCH …/config`, admin token only). Each key is checked with the
 * shared schema, so a stored value that no longer fits is reported with the
 * key and place it fails at, never half-used.
 */
import { CONFIG_SCHEMAS } from "../../../shared/config.ts";
import type { ExperimentSetting, FunnelDefinition } from "../../../shared/product/types.ts";
import type { ConfigPatchRequest, ConfigPatchResponse } from "../../../shared/wire.ts";
import { callEdge, EdgeError, workspaceUrl, type EdgeWorkspace, type Fetch } from "../data/edge-call.ts";

/** The keys the Product view reads. */
export type ProductKey = "experiments" | "funnels";

/** The product keys as stored, and the versions they were read at (0: never written). */
export interface ProductConfig {
  experiments: ExperimentSetting[];
  funnels: FunnelDefinition[];
  versions: Record<ProductKey, number>;
}

/** A key's value and the place a stored value fails its schema, e.g. `funnels[2].steps`. */
function readKey<K extends ProductKey>(key: K, value: unknown): ProductConfig[K] {
  if (value === undefined) return [];
  const parsed = CONFIG_SCHEMAS[key].safeParse(value);
  if (parsed.success) return parsed.data as ProductConfig[K];
  const issue = parsed.error.issues[0];
  const where = (issue?.path ?? []).reduce<string>((at, p) => (typeof p === "number" ? `${at}[${p}]` : `${at}.${String(p)}`), key);
  throw new EdgeError(200, "bad_response", `the stored config key ${where} does not fit its schema: ${issue?.message ?? "invalid"}`);
}

/** Reads the product keys of a config answer (or a kept copy of one); throws EdgeError naming the key that does not fit. */
export function readProductConfig(body: unknown): ProductConfig {
  const answer = body as { config?: Record<string, unknown>; versions?: Record<string, unknown> } | null;
  const config = answer?.config;
  const v = answer?.versions;
  // an edge from before these keys answers without their versions: never written, then
  const version = (key: ProductKey) => (v?.[key] === undefined ? 0 : v[key]);
  const experiments = version("experiments");
  const funnels = version("funnels");
  if (config === null || typeof config !== "object" || typeof experiments !== "number" || typeof funnels !== "number") {
    throw new EdgeError(200, "bad_response", "the config answer is not the API's shape");
  }
  return { experiments: readKey("experiments", config["experiments"]), funnels: readKey("funnels", config["funnels"]), versions: { experiments, funnels } };
}

/** How long a settings fetch may go unanswered before the view says it is offline (a late answer is still taken). */
export const PRODUCT_CONFIG_TIMEOUT_MS = 10_000;

/**
 * Calls `slow` once if `pending` has not settled within `ms`; a hanging
 * network then reads as offline instead of as a fetch forever under way.
 * Returns a cancel for the timer.
 */
export function whenSlow(pending: Promise<unknown>, ms: number, slow: () => void): () => void {
  let settled = false;
  const timer = setTimeout(() => settled || slow(), ms);
  const done = () => {
    settled = true;
    clearTimeout(timer);
  };
  pending.then(done, done);
  return done;
}

/** The product keys of the workspace config; `token` is the read token, or the admin's. */
export async function fetchProductConfig(ws: EdgeWorkspace, token: string = ws.key, fetchFn: Fetch = fetch): Promise<ProductConfig> {
  return readProductConfig(await callEdge(fetchFn, `${workspaceUrl(ws)}/config`, token));
}

/** How a write of one product key ended. */
export type ProductSaveOutcome =
  | { kind: "saved"; config: ProductConfig }
  /** Another admin changed the key since it was read: nothing was written (or, in a race, their change was replaced). */
  | { kind: "conflict"; config: ProductConfig | null; written: boolean };

/**
 * Writes `key` whole, based on the version the form started from. The edge
 * lets the last writer win, so the version is checked first (a fresh read
 * with the admin token) and the answer's `overwritten` catches the race
 * between the two, as for alert rules; a 409 counts the same.
 */
export async function saveProductKey<K extends ProductKey>(ws: EdgeWorkspace, adminToken: string, key: K, value: ProductConfig[K], baseVersion: number, fetchFn: Fetch = fetch): Promise<ProductSaveOutcome> {
  const fresh = await fetchProductConfig(ws, adminToken, fetchFn);
  if (fresh.versions[key] !== baseVersion) return { kind: "conflict", config: fresh, written: false };
  const body: ConfigPatchRequest = { set: { [key]: value }, base_versions: { [key]: baseVersion } };
  let answer: unknown;
  try {
    answer = await callEdge(fetchFn, `${workspaceUrl(ws)}/config`, adminToken, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    if (err instanceof EdgeError && err.status === 409) return { kind: "conflict", config: null, written: false };
    throw err;
  }
  const config = readProductConfig(answer);
  const overwritten = (answer as Partial<ConfigPatchResponse>).overwritten?.some((o) => o.key === key) ?? false;
  return overwritten ? { kind: "conflict", config, written: true } : { kind: "saved", config };
}

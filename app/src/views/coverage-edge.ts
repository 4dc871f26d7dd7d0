/**
 * The Coverage & risk view's calls to the edge: the workspace config keys
 * coverage reads (`GET …/config`: endpoint catalog, personas, scenarios,
 * thresholds), the catalog import and the settings form (`PATCH …/config`,
 * admin token only).
 * Each key is checked with the shared config schema, so a stored value that
 * no longer fits is reported, never half-used.
 */
import { canonicalJson, CONFIG_SCHEMAS, type WorkspaceConfig } from "../../../shared/config.ts";
import type { ConfigPatchRequest, ConfigPatchResponse } from "../../../shared/wire.ts";
import { callEdge, EdgeError, workspaceUrl, type EdgeWorkspace, type Fetch } from "../data/edge-call.ts";
import { planImport, type ImportPlan } from "./coverage-catalog.ts";


/** One documented endpoint of the catalog. */
export type CatalogEntry = NonNullable<WorkspaceConfig["endpoint_catalog"]>[number];

/** The config keys coverage reads, as stored, and the catalog's version (for the import's last-writer check). */
export interface CoverageConfig {
  catalog: CatalogEntry[];
  personas: string[];
  scenarios: string[];
  thresholds: Record<string, number>;
  /** Version of `endpoint_catalog`; 0 when never written. */
  catalogVersion: number;
}

const COVERAGE_KEYS = ["endpoint_catalog", "personas", "scenarios", "thresholds"] as const;

/** Reads the coverage keys of a config answer (or a kept copy of one); throws EdgeError naming the key that does not fit. */
export function readCoverageConfig(body: unknown): CoverageConfig {
  const answer = body as { config?: Record<string, unknown>; versions?: Record<string, unknown> } | null;
  const config = answer?.config;
  const version = answer?.versions?.["endpoint_catalog"];
  if (config === null || typeof config !== "object" || typeof version !== "number") {
    throw new EdgeError(200, "bad_response", "the config answer is not the API's shape");
  }
  const out: Partial<Record<(typeof COVERAGE_KEYS)[number], unknown>> = {};
  for (const key of COVERAGE_KEYS) {
    if (config[key] === undefined) continue;
    const parsed = CONFIG_SCHEMAS[key].safeParse(config[key]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${key}.${issue.path.join(".")}` : key;
      throw new EdgeError(200, "bad_response", `the stored config key ${where} does not fit its schema: ${issue?.message ?? "invalid"}`);
    }
    out[key] = parsed.data;
  }
  return {
    catalog: (out.endpoint_catalog as CatalogEntry[] | undefined) ?? [],
    personas: (out.personas as string[] | undefined) ?? [],
    scenarios: (out.scenarios as string[] | undefined) ?? [],
    thresholds: (out.thresholds as Record<string, number> | undefined) ?? {},
    catalogVersion: version,
  };
}

/** The coverage keys of the workspace config; `token` is the read token, or the admin's. */
export async function fetchCoverageConfig(ws: EdgeWorkspace, token: string = ws.key, fetchFn: Fetch = fetch): Promise<CoverageConfig> {
  return readCoverageConfig(await callEdge(fetchFn, `${workspaceUrl(ws)}/config`, token));
}

/** How a catalog import ended. */
export type CatalogSaveOutcome =
  | { kind: "saved"; config: CoverageConfig; changed: boolean }
  /** The write went through, but replaced a catalog another admin wrote after this one was read. */
  | { kind: "replaced"; config: CoverageConfig; replacedVersion: number };

/**
 * Writes `endpoint_catalog` whole. An import replaces the catalog on purpose,
 * so a newer catalog is not a reason to refuse; the answer still says when
 * one was replaced, so the admin knows another import was overwritten.
 */
export async function saveCatalog(ws: EdgeWorkspace, adminToken: string, entries: CatalogEntry[], baseVersion: number, fetchFn: Fetch = fetch): Promise<CatalogSaveOutcome> {
  const body: ConfigPatchRequest = { set: { endpoint_catalog: entries }, base_versions: { endpoint_catalog: baseVersion } };
  const answer = await callEdge(fetchFn, `${workspaceUrl(ws)}/config`, adminToken, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const config = readCoverageConfig(answer);
  const patch = answer as Partial<ConfigPatchResponse>;
  const overwritten = patch.overwritten?.find((o) => o.key === "endpoint_catalog");
  if (overwritten) return { kind: "replaced", config, replacedVersion: overwritten.replaced_version };
  return { kind: "saved", config, changed: patch.changed?.includes("endpoint_catalog") ?? false };
}

/** How an import ended: the write's outcome and what it changed. */
export type CatalogImportOutcome = CatalogSaveOutcome & { plan: ImportPlan };

/**
 * Imports a document's endpoints: reads the stored catalog afresh with the
 * admin token (merging onto the copy this page showed could drop an endpoint
 * another admin added since), merges or replaces, checks the result against
 * the config schema, and writes it based on the version just read.
 *
 * @throws EdgeError (status 400, code "invalid_catalog") when the result cannot be stored; nothing is written.
 */
export async function importCatalog(ws: EdgeWorkspace, adminToken: string, entries: readonly CatalogEntry[], replace: boolean, fetchFn: Fetch = fetch): Promise<CatalogImportOutcome> {
  const fresh = await fetchCoverageConfig(ws, adminToken, fetchFn);
  const plan = planImport(fresh.catalog, entries, replace);
  if (plan.problem !== null) throw new EdgeError(400, "invalid_catalog", plan.problem);
  const outcome = await saveCatalog(ws, adminToken, plan.catalog, fresh.catalogVersion, fetchFn);
  return { ...outcome, plan };
}

/** How a save of personas, scenarios and thresholds ended. */
export type SettingsSaveOutcome =
  | { kind: "saved"; config: CoverageConfig }
  /** Another admin changed one of them since this page read them: nothing was written. */
  | { kind: "conflict"; config: CoverageConfig; keys: Array<"personas" | "scenarios" | "thresholds"> };

/**
 * Writes declared personas and scenarios and the thresholds, if none of the
 * three changed since `readAs` (what the form started from) was read: the
 * stored values are read afresh first, as for alert rules, so a change made
 * elsewhere is reported rather than silently replaced.
 */
export async function saveCoverageSettings(
  ws: EdgeWorkspace,
  adminToken: string,
  settings: { personas: string[]; scenarios: string[]; thresholds: Record<string, number> },
  readAs: Pick<CoverageConfig, "personas" | "scenarios" | "thresholds">,
  fetchFn: Fetch = fetch,
): Promise<SettingsSaveOutcome> {
  const fresh = await fetchCoverageConfig(ws, adminToken, fetchFn);
  const keys = (["personas", "scenarios", "thresholds"] as const).filter((k) => canonicalJson(fresh[k]) !== canonicalJson(readAs[k]));
  if (keys.length > 0) return { kind: "conflict", config: fresh, keys };
  const body: ConfigPatchRequest = { set: { personas: settings.personas, scenarios: settings.scenarios, thresholds: settings.thresholds } };
  const answer = await callEdge(fetchFn, `${workspaceUrl(ws)}/config`, adminToken, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { kind: "saved", config: readCoverageConfig(answer) };
}

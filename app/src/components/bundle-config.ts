/**
 * A bundle's config and this browser's kept copies of config. An export puts
 * in an imported copy's own config (kept whole with it), else the edge's
 * current config read with the share link's token, else, offline, what this
 * browser kept of it (coverage keys, alert rules, experiments and funnels); every key is checked
 * with its schema, and one that does not fit is left out rather than written
 * into a bundle no importer would accept. An import writes the bundle's
 * coverage keys, alert rules and product keys as the new copy's kept copies,
 * which is where the Coverage, Chaos and Product views read config when there
 * is no edge.
 */
import { CONFIG_KEYS, CONFIG_SCHEMAS, type ConfigKey, type WorkspaceConfig } from "../../../shared/config.ts";
import type { KnownWorkspace } from "../data/api.ts";
import { callEdge, EdgeError, workspaceUrl, type Fetch } from "../data/edge-call.ts";
import { loadCachedRules, saveCachedRules } from "../views/chaos-alerts-cache.ts";
import { loadCachedCoverageConfig, saveCachedCoverageConfig } from "../views/coverage-config-cache.ts";
import { loadCachedProductConfig, saveCachedProductConfig } from "../views/product-config-cache.ts";

/**
 * Where the exported config came from: the UI says when it is only the kept
 * part, and why: the edge could not be reached ("kept") or refused the share
 * link's token ("refused", HTTP 401/403).
 */
export type ConfigSource = "imported" | "edge" | "kept" | "refused";

/** What the export notice adds after its counts, saying where the config came from when it is only the kept part. */
export function configSourceNote(source: ConfigSource): string {
  const kept = "only the config this browser kept: coverage, alert rules, experiments and funnels";
  if (source === "kept") return ` (the edge could not be reached: ${kept})`;
  if (source === "refused") return ` (the edge refused this share link's token for the config: ${kept})`;
  return "";
}

export async function bundleConfig(workspace: KnownWorkspace, fetchFn: Fetch = fetch): Promise<{ config: WorkspaceConfig; source: ConfigSource }> {
  if (workspace.imported) return { config: workspace.imported.config, source: "imported" };
  try {
    const answer = (await callEdge(fetchFn, `${workspaceUrl(workspace)}/config`, workspace.key)) as { config?: Record<string, unknown> } | null;
    return { config: fitting(answer?.config ?? {}), source: "edge" };
  } catch (err) {
    const refused = err instanceof EdgeError && (err.status === 401 || err.status === 403);
    return { config: keptConfig(workspace.id), source: refused ? "refused" : "kept" };
  }
}

function fitting(raw: Record<string, unknown>): WorkspaceConfig {
  const out: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of CONFIG_KEYS) {
    if (raw[key] === undefined) continue;
    const parsed = CONFIG_SCHEMAS[key].safeParse(raw[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as WorkspaceConfig;
}

function keptConfig(workspaceId: string): WorkspaceConfig {
  const coverage = loadCachedCoverageConfig(workspaceId)?.config;
  const rules = loadCachedRules(workspaceId)?.value.rules;
  const raw: Record<string, unknown> = {};
  if (coverage) {
    if (coverage.catalog.length > 0) raw["endpoint_catalog"] = coverage.catalog;
    if (coverage.personas.length > 0) raw["personas"] = coverage.personas;
    if (coverage.scenarios.length > 0) raw["scenarios"] = coverage.scenarios;
    if (Object.keys(coverage.thresholds).length > 0) raw["thresholds"] = coverage.thresholds;
  }
  if (rules && rules.length > 0) raw["alert_rules"] = rules;
  const product = loadCachedProductConfig(workspaceId)?.config;
  if (product) {
    if (product.experiments.length > 0) raw["experiments"] = product.experiments;
    if (product.funnels.length > 0) raw["funnels"] = product.funnels;
  }
  return fitting(raw);
}

/** Keeps an imported bundle's coverage keys, alert rules and product keys (experiments, funnels) for the views of its copy (version 0: never written at an edge). */
export function keepImportedConfig(workspaceId: string, config: WorkspaceConfig, now: number): void {
  saveCachedCoverageConfig(
    workspaceId,
    { catalog: config.endpoint_catalog ?? [], personas: config.personas ?? [], scenarios: config.scenarios ?? [], thresholds: config.thresholds ?? {}, catalogVersion: 0 },
    now,
  );
  if (config.alert_rules) saveCachedRules(workspaceId, { rules: config.alert_rules, version: 0 }, now);
  // the Product view reads a copy's experiments and funnels from its kept copy
  if (config.experiments || config.funnels) {
    saveCachedProductConfig(workspaceId, { experiments: config.experiments ?? [], funnels: config.funnels ?? [], versions: { experiments: 0, funnels: 0 } }, now);
  }
}

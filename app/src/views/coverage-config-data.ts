/**
 * The coverage config (catalog, personas, scenarios, thresholds) as signals
 * the Coverage view renders from: the last copy kept in localStorage shows at
 * once (and offline, said so), a fresh one is fetched on open, when the
 * browser is back online and when the tab is shown again, and an import
 * replaces it with what the edge answered.
 */
import { createSignal, type Accessor } from "solid-js";
import type { KnownWorkspace } from "../data/api.ts";
import { EdgeError, EdgeOfflineError } from "../data/edge-call.ts";
import { loadCachedCoverageConfig, saveCachedCoverageConfig } from "./coverage-config-cache.ts";
import { fetchCoverageConfig, type CoverageConfig } from "./coverage-edge.ts";
import { refetchOnReturn } from "./refetch-triggers.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface CoverageConfigCopy {
  /** The latest copy; null before the first fetch (or kept copy). */
  config: Accessor<CoverageConfig | null>;
  /** When the shown copy was fetched (epoch ms). */
  fetchedAt: Accessor<number | null>;
  offline: Accessor<boolean>;
  error: Accessor<string | null>;
  refetch(): void;
  /** After an import: the config the edge answered with. */
  replace(config: CoverageConfig): void;
}

function describe(err: unknown): string {
  if (err instanceof EdgeError) return `${err.message} (${err.status} ${err.code})`;
  return err instanceof Error ? err.message : String(err);
}

export function createCoverageConfig(workspace: KnownWorkspace, session: WorkspaceSession): CoverageConfigCopy {
  const kept = loadCachedCoverageConfig(workspace.id);
  const [config, setConfig] = createSignal<CoverageConfig | null>(kept?.config ?? null);
  const [fetchedAt, setFetchedAt] = createSignal<number | null>(kept?.fetchedAt ?? null);
  const [offline, setOffline] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let latest = 0;

  const keep = (value: CoverageConfig) => {
    const at = Date.now();
    saveCachedCoverageConfig(workspace.id, value, at);
    setConfig(value);
    setFetchedAt(at);
    setOffline(false);
    setError(null);
  };

  const refetch = () => {
    const mine = ++latest;
    if (typeof navigator !== "undefined" && navigator.onLine === false) return void setOffline(true);
    fetchCoverageConfig(workspace).then(
      (value) => mine === latest && keep(value),
      (err: unknown) => {
        if (mine !== latest) return;
        setOffline(err instanceof EdgeOfflineError);
        setError(err instanceof EdgeOfflineError ? null : describe(err));
      },
    );
  };

  refetchOnReturn(session, offline, refetch);

  return {
    config,
    fetchedAt,
    offline,
    error,
    refetch,
    replace(value) {
      // a fetch started before the import must not bring the old catalog back
      latest++;
      keep(value);
    },
  };
}

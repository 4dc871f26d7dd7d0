/**
 * The product settings (experiments, funnels) as signals the Product view
 * renders from: the copy kept in localStorage shows at once (and offline,
 * said so), a fresh one is fetched on open, when the browser is back online
 * and when the tab is shown again, and a save replaces it with what the
 * edge answered. A fetch unanswered for PRODUCT_CONFIG_TIMEOUT_MS counts as
 * offline (an answer after that is still taken).
 */
import { createSignal, type Accessor } from "solid-js";
import type { KnownWorkspace } from "../data/api.ts";
import { EdgeError, EdgeOfflineError } from "../data/edge-call.ts";
import { loadCachedProductConfig, saveCachedProductConfig } from "./product-config-cache.ts";
import { fetchProductConfig, PRODUCT_CONFIG_TIMEOUT_MS, whenSlow, type ProductConfig } from "./product-edge.ts";
import { refetchOnReturn } from "./refetch-triggers.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface ProductConfigCopy {
  /** The latest copy; null before the first fetch (or kept copy). */
  config: Accessor<ProductConfig | null>;
  /** When the shown copy was fetched (epoch ms). */
  fetchedAt: Accessor<number | null>;
  offline: Accessor<boolean>;
  error: Accessor<string | null>;
  refetch(): void;
  /** After a save: the config the edge answered with. */
  replace(config: ProductConfig): void;
}

function describe(err: unknown): string {
  if (err instanceof EdgeError) return `${err.message} (${err.status} ${err.code})`;
  return err instanceof Error ? err.message : String(err);
}

export function createProductConfig(workspace: KnownWorkspace, session: WorkspaceSession): ProductConfigCopy {
  const kept = loadCachedProductConfig(workspace.id);
  const [config, setConfig] = createSignal<ProductConfig | null>(kept?.config ?? null);
  const [fetchedAt, setFetchedAt] = createSignal<number | null>(kept?.fetchedAt ?? null);
  const [offline, setOffline] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let latest = 0;

  const keep = (value: ProductConfig) => {
    const at = Date.now();
    saveCachedProductConfig(workspace.id, value, at);
    setConfig(value);
    setFetchedAt(at);
    setOffline(false);
    setError(null);
  };

  const refetch = () => {
    const mine = ++latest;
    if (typeof navigator !== "undefined" && navigator.onLine === false) return void setOffline(true);
    const pending = fetchProductConfig(workspace);
    whenSlow(pending, PRODUCT_CONFIG_TIMEOUT_MS, () => mine === latest && setOffline(true));
    pending.then(
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
      // a fetch started before the save must not bring the old settings back
      latest++;
      keep(value);
    },
  };
}

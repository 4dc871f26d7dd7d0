/**
 * Starts loading a workspace's stored events before the interface exists.
 * The entry module calls it with the workspace the address names, so the
 * worker reads IndexedDB while the page is still evaluating the interface's
 * code; the workspace page's first `open` for that workspace then picks up
 * the load in flight instead of starting its own.
 */
import * as Comlink from "comlink";
import type { Aggregator, DatasetInfo } from "../data/api.ts";

/** `aggregator`, with `workspaceId` (when given) already opening. */
export function preloadWorkspace(aggregator: Aggregator, workspaceId: string | null): Aggregator {
  let early: { id: string; opening: Promise<DatasetInfo> } | null = workspaceId === null ? null : { id: workspaceId, opening: aggregator.open(workspaceId) };
  // a rejected preload is reported by the open that takes it, not as an unhandled rejection
  early?.opening.catch(() => undefined);
  return {
    open(id) {
      const taken = early;
      early = null;
      return taken !== null && taken.id === id ? taken.opening : aggregator.open(id);
    },
    refresh: () => aggregator.refresh(),
    run: (queries) => aggregator.run(queries),
    // a function crosses to the worker only as a proxy; in the same thread the mark is harmless
    runEach: (queries, each) => aggregator.runEach(queries, Comlink.proxy(each)),
    exportEvents: (selection, format) => aggregator.exportEvents(selection, format),
    evaluateAlerts: (rules, now, previous) => aggregator.evaluateAlerts(rules, now, previous),
    product: (spec) => aggregator.product(spec),
  };
}

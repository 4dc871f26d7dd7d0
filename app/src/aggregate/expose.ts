/**
 * The Comlink side of the aggregation worker: serves an aggregator on an
 * endpoint (the worker's global scope by default), transferring the typed
 * arrays of query results and of the Product report's series instead of
 * copying them.
 */
import * as Comlink from "comlink";
import type { Aggregator } from "../data/api.ts";
import { reportBuffers, resultBuffers, type StoreAggregator } from "./aggregator.ts";

/** Serves `aggregator` through Comlink on `endpoint`. */
export function exposeAggregator(aggregator: StoreAggregator, endpoint?: Comlink.Endpoint): void {
  const api: Aggregator = {
    open: (workspaceId) => aggregator.open(workspaceId),
    refresh: () => aggregator.refresh(),
    async run(queries) {
      const results = await aggregator.run(queries);
      return Comlink.transfer(results, resultBuffers(results));
    },
    async runEach(queries, each) {
      // each result goes out as soon as it is computed; the page's answers are awaited only at the end
      const sent: Promise<unknown>[] = [];
      try {
        await aggregator.runEach(queries, (i, result) => void sent.push(Promise.resolve(each(i, Comlink.transfer(result, resultBuffers([result]))))));
        await Promise.all(sent);
      } finally {
        (each as Partial<Comlink.Remote<unknown>>)[Comlink.releaseProxy]?.();
      }
    },
    exportEvents: (selection, format) => aggregator.exportEvents(selection, format),
    evaluateAlerts: (rules, now, previous) => aggregator.evaluateAlerts(rules, now, previous),
    async product(spec) {
      const report = await aggregator.product(spec);
      return Comlink.transfer(report, reportBuffers(report));
    },
  };
  Comlink.expose(api, endpoint);
}

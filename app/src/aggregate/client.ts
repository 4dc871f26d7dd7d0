/**
 * The page's handle on the aggregation worker. Every call crosses to the
 * worker through Comlink and resolves there, so charts never block the page.
 */
import * as Comlink from "comlink";
import type { Aggregator } from "../data/api.ts";

const workers = new WeakMap<object, Worker>();

/** Starts an aggregation worker and returns its Aggregator. */
export function createAggregator(): Comlink.Remote<Aggregator> {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "tally-aggregate" });
  const remote = Comlink.wrap<Aggregator>(worker);
  workers.set(remote, worker);
  return remote;
}

/** Releases an aggregator made by {@link createAggregator} and ends its worker (and its memory). */
export function disposeAggregator(remote: Comlink.Remote<Aggregator>): void {
  remote[Comlink.releaseProxy]();
  workers.get(remote)?.terminate();
  workers.delete(remote);
}

/**
 * The aggregation Web Worker: a thin Comlink adapter over StoreAggregator,
 * with its own connection to the database (see expose.ts).
 */
import { db } from "../store/db.ts";
import { SegmentStore } from "../store/segment-store.ts";
import { StoreAggregator } from "./aggregator.ts";
import { exposeAggregator } from "./expose.ts";

exposeAggregator(new StoreAggregator(new SegmentStore(db)));
// User Timing in the worker's own timeline (its origin is the worker's creation), for DevTools and the cold-open bench
performance.mark("tally:worker-ready");

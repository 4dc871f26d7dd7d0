/**
 * The page's first module, kept small on purpose: it starts the aggregation
 * worker and, when the address names a workspace, has it load that
 * workspace's stored events at once. Only then does it import the interface
 * (app-root.tsx), so reading IndexedDB and evaluating the interface's code
 * overlap instead of running one after the other.
 */
import { createAggregator } from "./aggregate/client.ts";
import { preloadWorkspace } from "./aggregate/preload.ts";
import { parseHash } from "./routing/hash-route.ts";

// User Timing marks along a cold open, for DevTools and the cold-open bench
performance.mark("tally:boot");
const route = parseHash(location.hash);
const aggregator = preloadWorkspace(createAggregator(), route.kind === "view" || route.kind === "share" ? route.workspace : null);

const { startApp } = await import("./app-root.tsx");
performance.mark("tally:interface-loaded");
startApp(aggregator);

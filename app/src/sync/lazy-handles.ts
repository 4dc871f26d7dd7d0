/**
 * Sync and live handles whose code is still loading. The sync loop and the
 * live socket bring the wire schemas (zod) with them, which a cold open does
 * not need before its first results are drawn, so app-root.tsx imports them
 * only when a workspace starts syncing. Until then the handle holds what was
 * asked of it: `syncNow` waits for the loop, `stop` and `revoke` apply as soon
 * as it is there.
 */
import type { LiveHandle, SyncHandle } from "../views/services.tsx";

function loaded<H extends { stop(): void }>(ready: Promise<H>, what: string): { ready: Promise<H>; stop(): void } {
  let stopped = false;
  // a failed load (a chunk the service worker never cached) leaves the page as it is, without updates
  ready.catch((err: unknown) => console.warn(`Tally: could not start the ${what}`, err));
  return {
    ready,
    stop() {
      if (stopped) return;
      stopped = true;
      void ready.then((handle) => handle.stop(), () => undefined);
    },
  };
}

/** A SyncHandle for a sync loop still loading. */
export function lazySync(loading: Promise<SyncHandle>): SyncHandle {
  const handle = loaded(loading, "sync");
  return { syncNow: () => handle.ready.then((h) => h.syncNow()), stop: handle.stop };
}

/** A LiveHandle for a live connection still loading. */
export function lazyLive(loading: Promise<LiveHandle>): LiveHandle {
  const handle = loaded(loading, "live connection");
  return { revoke: () => void handle.ready.then((h) => h.revoke(), () => undefined), stop: handle.stop };
}

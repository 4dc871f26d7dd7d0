/**
 * Opening a share link (`#/w/<id>?key=<read token>`): the key leaves the
 * address bar at once (history entry replaced, so neither the back stack nor
 * a screenshot shows it), and the workspace is remembered in the background.
 * The workspace page then waits for that save instead of looking it up.
 */
import type { KnownWorkspace } from "../data/api.ts";
import { viewHash, type Route } from "../routing/hash-route.ts";
import { navigate } from "../routing/use-route.ts";
import type { Services } from "./services.tsx";

const pending = new Map<string, Promise<KnownWorkspace>>();

export function acceptShareLink(services: Services, route: Extract<Route, { kind: "share" }>): void {
  const saving = services.workspaces.save({ id: route.workspace, apiBase: location.origin, key: route.key });
  // the page that awaits it reports a failure; keep this one from counting as unhandled meanwhile
  saving.catch(() => undefined);
  pending.set(route.workspace, saving);
  navigate(viewHash(route.workspace, route.view, route.params), { replace: true });
}

/** The save of a share link just opened for `id`, if any (given out once). */
export function takePendingLink(id: string): Promise<KnownWorkspace> | undefined {
  const p = pending.get(id);
  pending.delete(id);
  return p;
}

/**
 * Reads a pasted share link: a full URL or just its hash. Returns the hash to
 * open here, or the URL to go to when the link is for another Tally.
 */
export function parseShareLink(text: string, origin: string): { hash: string } | { url: string } | null {
  const t = text.trim();
  if (t.startsWith("#/")) return { hash: t };
  try {
    const url = new URL(t);
    if (!url.hash.startsWith("#/w/")) return null;
    return url.origin === origin ? { hash: url.hash } : { url: url.href };
  } catch {
    return null;
  }
}

/**
 * The current route as a Solid signal. `navigate` with `replace` rewrites the
 * history entry: used to drop a share link's key from the address bar and the
 * back stack, and for filter changes that should not pile up history.
 */
import { createSignal, type Accessor } from "solid-js";
import { parseHash, type Route } from "./hash-route.ts";

const [hash, setHash] = createSignal(location.hash);

let listening = false;
function listen(): void {
  if (listening) return;
  listening = true;
  addEventListener("hashchange", () => setHash(location.hash));
}

/** The parsed route, updated on every hash change. */
export function useRoute(): Accessor<Route> {
  listen();
  return () => parseHash(hash());
}

/** Goes to `next` (a `#/…` hash). */
export function navigate(next: string, options: { replace?: boolean } = {}): void {
  if (next === location.hash) return;
  if (options.replace) {
    // replaceState fires no hashchange, so the signal is set by hand
    history.replaceState(history.state, "", next);
    setHash(location.hash);
  } else {
    location.hash = next;
  }
}

/**
 * When a view's copy of the workspace config is fetched again: on mount, when
 * the browser says it is back online, when the tab comes back into view (an
 * admin may have changed the config in another tab or with the CLI), and when
 * sync reaches the edge again after being offline (the online event is not
 * always sent).
 */
import { createEffect, on, onCleanup, onMount, untrack, type Accessor } from "solid-js";
import type { WorkspaceSession } from "./workspace-session.ts";

export function refetchOnReturn(session: WorkspaceSession, offline: Accessor<boolean>, refetch: () => void): void {
  onMount(() => {
    refetch();
    const online = () => refetch();
    const visible = () => document.visibilityState === "visible" && refetch();
    window.addEventListener("online", online);
    document.addEventListener("visibilitychange", visible);
    onCleanup(() => {
      window.removeEventListener("online", online);
      document.removeEventListener("visibilitychange", visible);
    });
  });
  createEffect(
    on(
      () => session.status()?.state,
      (state) => state === "idle" && untrack(offline) && refetch(),
      { defer: true },
    ),
  );
}

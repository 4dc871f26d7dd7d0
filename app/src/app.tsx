/**
 * The app shell: picks the page from the hash route, accepts share links
 * (remember, then drop the key from the address), and hosts what every page
 * shares: the update prompt and the "updated in another tab" notice. The
 * update prompt registers the service worker, after the first results are
 * drawn (first-draw.ts).
 */
import { createEffect, createSignal, Match, onCleanup, Show, Switch, type JSX } from "solid-js";
import { UpdatePrompt } from "./components/update-prompt.tsx";
import { useRoute } from "./routing/use-route.ts";
import { firstDrawn, markNothingToDraw } from "./views/first-draw.ts";
import { HomeView } from "./views/home-view.tsx";
import { NotFoundView } from "./views/not-found-view.tsx";
import { useServices } from "./views/services.tsx";
import { acceptShareLink } from "./views/share-link.ts";
import { WorkspacePage } from "./views/workspace-page.tsx";

export function App(): JSX.Element {
  const services = useServices();
  const route = useRoute();
  const [closedElsewhere, setClosedElsewhere] = createSignal(false);
  onCleanup(services.onClosedElsewhere(() => setClosedElsewhere(true)));

  createEffect(() => {
    const r = route();
    if (r.kind === "share") acceptShareLink(services, r);
    // only a workspace's views draw results
    if (r.kind === "home" || r.kind === "not-found") markNothingToDraw();
  });

  // the workspace id alone keys the page: views and filters change its props, not its session
  const workspaceId = () => {
    const r = route();
    return r.kind === "view" ? r.workspace : null;
  };
  const notFound = () => {
    const r = route();
    return r.kind === "not-found" ? r.path : null;
  };
  const viewRoute = () => {
    const r = route();
    return r.kind === "view" ? r : null;
  };

  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <Show when={closedElsewhere()}>
        <div class="notice notice-bad banner" role="alert">
          Tally was updated in another tab.{" "}
          <button type="button" class="button button-small" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </Show>
      <Switch>
        <Match when={route().kind === "home"}>
          <HomeView />
        </Match>
        <Match when={workspaceId()} keyed>
          {(id) => <WorkspacePage id={id} view={viewRoute()?.view ?? "overview"} params={viewRoute()?.params ?? new URLSearchParams()} />}
        </Match>
        <Match when={notFound()}>{(path) => <NotFoundView path={path()} />}</Match>
      </Switch>
      <Show when={firstDrawn()}>
        <UpdatePrompt />
      </Show>
    </>
  );
}

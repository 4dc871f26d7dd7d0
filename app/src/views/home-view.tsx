/**
 * `#/`: the workspaces this browser knows (opened once from a share link, or
 * imported from a bundle), with their stored event counts and last sync, how
 * to open another, and a picker to import a bundle. Names come from the edge
 * or the bundle and are rendered as text only.
 */
import { createResource, createSignal, For, Match, onMount, Show, Switch, type JSX } from "solid-js";
import { BundleImport } from "../components/bundle-import.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { formatAgo, formatDateTime, formatInteger } from "../components/format.ts";
import type { KnownWorkspace } from "../data/api.ts";
import { viewHash } from "../routing/hash-route.ts";
import { navigate } from "../routing/use-route.ts";
import { useServices } from "./services.tsx";
import { parseShareLink } from "./share-link.ts";

interface Row {
  workspace: KnownWorkspace;
  events: number;
  syncedAt: number | null;
}

export function HomeView(): JSX.Element {
  const services = useServices();
  const [rows, { refetch }] = createResource(async (): Promise<Row[]> => {
    const list = await services.workspaces.list();
    return Promise.all(
      list.map(async (workspace) => {
        const s = await services.workspaces.syncState(workspace.id).catch(() => ({ events: NaN, syncedAt: null }));
        return { workspace, events: s.events, syncedAt: s.syncedAt };
      }),
    );
  });
  const now = Date.now();
  onMount(() => (document.title = "Tally"));

  const forget = async (ws: KnownWorkspace) => {
    const back = ws.imported ? "Importing its bundle again will add it again." : "Its share link will add it again.";
    if (!confirm(`Forget "${ws.name}" and delete its stored events from this browser? ${back}`)) return;
    await services.workspaces.remove(ws.id);
    void refetch();
  };

  return (
    <main class="page home" id="main" tabindex="-1">
      <header class="home-header">
        <h1 class="brand">Tally</h1>
        <p class="tagline">Analytics for the events your APIs, mocks, CI runs and jobs produce, computed in this browser and kept here for offline use.</p>
      </header>

      <section class="section" aria-labelledby="known-title">
        <h2 id="known-title" class="section-title">
          Your workspaces
        </h2>
        <Switch>
          <Match when={rows.state === "errored"}>
            <p class="notice notice-bad" role="alert">
              Stored workspaces could not be read: {String(rows.error instanceof Error ? rows.error.message : rows.error)}
            </p>
          </Match>
          <Match when={rows.state !== "ready"}>
            <p class="panel-placeholder" role="status">
              Loading…
            </p>
          </Match>
          <Match when={rows()?.length === 0}>
            <EmptyState testId="no-workspaces" title="No workspaces yet" hint="Open a share link to add its workspace; it will be listed here and open offline from then on." />
          </Match>
          <Match when={rows()}>
            {(list) => (
              <ul class="workspace-list" data-testid="workspace-list">
                <For each={list()}>
                  {(row) => (
                    <li class="workspace-item" data-testid="workspace-item">
                      <div class="workspace-main">
                        <a class="workspace-link" href={viewHash(row.workspace.id, "overview")}>
                          {row.workspace.name}
                        </a>
                        <Show when={row.workspace.demo}>
                          <span class="badge">demo</span>
                        </Show>
                        <Show when={row.workspace.imported}>
                          <span class="badge badge-imported" data-testid="imported-badge">
                            imported
                          </span>
                        </Show>
                        <div class="workspace-meta">
                          <span>{Number.isFinite(row.events) ? `${formatInteger(row.events)} events` : "events unknown"}</span>
                          <Show
                            when={row.workspace.imported}
                            fallback={
                              <span title={row.syncedAt === null ? undefined : formatDateTime(row.syncedAt)}>
                                {row.syncedAt === null ? "never synced" : `synced ${formatAgo(row.syncedAt, now)}`}
                              </span>
                            }
                          >
                            {(imported) => <span title={`bundle exported ${imported().exportedAt}`}>imported copy, not synced</span>}
                          </Show>
                          <span class="mono muted">{row.workspace.id}</span>
                        </div>
                        <Show when={row.workspace.importIncomplete}>
                          <p class="notice notice-bad" data-testid="import-incomplete">
                            Import incomplete: import the same bundle again to finish
                          </p>
                        </Show>
                      </div>
                      <button type="button" class="button button-small" onClick={() => void forget(row.workspace)} aria-label={`Forget ${row.workspace.name}`}>
                        Forget
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            )}
          </Match>
        </Switch>
      </section>

      <OpenLink />
      <BundleImport onImported={() => void refetch()} />
    </main>
  );
}

/** How to open a workspace, and a box to paste a share link into. */
function OpenLink(): JSX.Element {
  const [problem, setProblem] = createSignal<string | null>(null);
  let input!: HTMLInputElement;
  const open = (e: SubmitEvent) => {
    e.preventDefault();
    const link = parseShareLink(input.value, location.origin);
    if (link === null) return setProblem("That is not a Tally share link: it should end in #/w/<workspace>?key=<read token>.");
    setProblem(null);
    input.value = "";
    if ("url" in link) location.assign(link.url);
    else navigate(link.hash);
  };
  return (
    <section class="section" aria-labelledby="open-title">
      <h2 id="open-title" class="section-title">
        Open a workspace
      </h2>
      <p>
        A workspace opens from its share link, which holds its read token. Whoever runs Tally makes one with the <code>tally</code> command:
      </p>
      <pre class="code">
        <code>{`npx tally workspace create --name payments-api\n# prints the workspace id and a read token (tly_r_…); the share link is\n${location.origin}/#/w/<workspace id>?key=<read token>`}</code>
      </pre>
      <form class="open-form" onSubmit={open}>
        <label for="share-link">Share link</label>
        <input id="share-link" ref={input} type="text" inputmode="url" placeholder={`${location.origin}/#/w/ws_…?key=tly_r_…`} autocomplete="off" required data-testid="share-link-input" />
        <button type="submit" class="button button-primary">
          Open
        </button>
      </form>
      <Show when={problem()}>
        <p class="form-problem" role="alert">
          {problem()}
        </p>
      </Show>
    </section>
  );
}

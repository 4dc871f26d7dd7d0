/**
 * An open workspace: header (name, demo label, sync badge), view tabs,
 * storage notice, then the view. The session (stored events, sync) lives as
 * long as this page, which app.tsx keys by workspace id: switching views or
 * filters only changes props.
 */
import { createEffect, createMemo, createSignal, For, Match, Show, Switch, untrack, type JSX } from "solid-js";
import { BundleExport } from "../components/bundle-export.tsx";
import { ImportedCopyNote } from "../components/bundle-copy-note.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { formatInteger } from "../components/format.ts";
import { LiveIndicator } from "../components/live-indicator.tsx";
import { StorageNotice, type StorageInfo } from "../components/storage-notice.tsx";
import { SyncBadge } from "../components/sync-badge.tsx";
import type { KnownWorkspace } from "../data/api.ts";
import { filtersToParams, parseFilters, type FilterState } from "../routing/filter-state.ts";
import { HOME_HASH, viewHash, type ViewName } from "../routing/hash-route.ts";
import { navigate } from "../routing/use-route.ts";
import { OverviewView } from "./overview-view.tsx";
import { firstDrawn, markNothingToDraw } from "./first-draw.ts";
import { useServices } from "./services.tsx";
import { ChaosView } from "./chaos-lazy.tsx";
import { CoverageView } from "./coverage-lazy.tsx";
import { JobsView } from "./jobs-lazy.tsx";
import { ProductView } from "./product-lazy.tsx";
import { TrafficView } from "./traffic-view.tsx";
import { createWorkspaceSession, type WorkspaceSession } from "./workspace-session.ts";

export interface WorkspacePageProps {
  id: string;
  view: ViewName;
  params: URLSearchParams;
}

const TABS: Array<{ view: ViewName; label: string }> = [
  { view: "overview", label: "Overview" },
  { view: "traffic", label: "Traffic" },
  { view: "coverage", label: "Coverage & risk" },
  { view: "product", label: "Product" },
  { view: "jobs", label: "Jobs & cost" },
  { view: "chaos", label: "Chaos & alerts" },
];

export function WorkspacePage(props: WorkspacePageProps): JSX.Element {
  const services = useServices();
  // app.tsx keys this page by id, so the id is fixed for the session's life
  const session = createWorkspaceSession(services, props.id);
  const filters = createMemo(() => parseFilters(props.params));
  const setFilters = (state: FilterState) => navigate(viewHash(props.id, props.view, filtersToParams(state)));

  const [storage, setStorage] = createSignal<StorageInfo | null>(null);
  const reportStorage = () => void services.storage.report().then(setStorage, () => undefined);
  // storage is asked about once the first results are drawn: it matters only when it runs short
  createEffect(() => {
    if (firstDrawn()) untrack(() => void services.storage.persist().finally(reportStorage));
  });
  createEffect(() => {
    // usage grows as events arrive; the quota state needs the numbers too
    session.version();
    if (firstDrawn()) untrack(reportStorage);
  });
  createEffect(() => {
    if (session.error() !== null || session.workspace() === null || session.dataset()?.events === 0) markNothingToDraw();
  });

  createEffect(() => {
    const ws = session.workspace();
    document.title = ws ? `${ws.name} · Tally` : "Tally";
  });

  return (
    <Switch>
      <Match when={session.error()}>
        <main class="page">
          <EmptyState testId="workspace-error" title="This workspace could not be opened" hint={session.error() ?? ""}>
            <a class="button" href={HOME_HASH}>
              All workspaces
            </a>
          </EmptyState>
        </main>
      </Match>
      <Match when={session.workspace() === undefined}>
        <main class="page">
          <p class="panel-placeholder" role="status">
            Opening workspace…
          </p>
        </main>
      </Match>
      <Match when={session.workspace() === null}>
        <main class="page">
          <EmptyState
            testId="workspace-unknown"
            title="This browser does not know this workspace yet"
            hint={`Open the workspace's share link once (it ends in ?key=…) to add "${props.id}" here; after that it opens from this address, offline too.`}
          >
            <a class="button" href={HOME_HASH}>
              All workspaces
            </a>
          </EmptyState>
        </main>
      </Match>
      <Match when={session.workspace()}>
        {(ws) => (
          <div class="page">
            <header class="ws-header">
              <div class="ws-title">
                <a class="back-link" href={HOME_HASH}>
                  All workspaces
                </a>
                <h1 class="ws-name" data-testid="workspace-name">
                  {ws().name}
                  <Show when={ws().demo}>
                    <span class="badge" data-testid="demo-badge">
                      demo
                    </span>
                  </Show>
                </h1>
              </div>
              <Show when={ws().imported} fallback={<LiveIndicator state={session.live()} />}>
                {(imported) => <ImportedCopyNote imported={imported()} />}
              </Show>
              <Show when={!ws().imported}>
                <SyncBadge status={session.status()} syncedAt={session.syncedAt()} now={session.now()} onRetry={() => session.syncNow()} />
              </Show>
              <BundleExport workspace={ws()} events={session.dataset()?.events ?? 0} />
            </header>
            <nav class="tabs" aria-label="Views">
              <For each={TABS}>
                {(tab) => (
                  <a class="tab" href={viewHash(props.id, tab.view, props.params)} aria-current={props.view === tab.view ? "page" : undefined} data-testid={`tab-${tab.view}`}>
                    {tab.label}
                  </a>
                )}
              </For>
            </nav>
            <StorageNotice info={storage()} full={session.status()?.state === "quota"} onPersist={() => void services.storage.persist().finally(reportStorage)} />
            <main class="view" id="main" tabindex="-1">
              <WorkspaceBody workspace={ws()} session={session} view={props.view} filters={filters()} setFilters={setFilters} />
            </main>
          </div>
        )}
      </Match>
    </Switch>
  );
}

interface BodyProps {
  workspace: KnownWorkspace;
  session: WorkspaceSession;
  view: ViewName;
  filters: FilterState;
  setFilters(state: FilterState): void;
}

/** The view, or why there is nothing to show yet. */
function WorkspaceBody(props: BodyProps): JSX.Element {
  const empty = () => props.session.dataset()?.events === 0;
  const state = () => props.session.status()?.state;
  const pulled = () => {
    const s = props.session.status();
    return s?.state === "syncing" ? s.pulled : 0;
  };
  return (
    <Switch>
      <Match when={props.session.dataset() === null}>
        <p class="panel-placeholder" role="status">
          Loading stored events…
        </p>
      </Match>
      <Match when={empty() && (state() === undefined || state() === "syncing")}>
        <p class="panel-placeholder" role="status">
          Downloading events…{pulled() > 0 ? ` ${formatInteger(pulled())} so far` : ""}
        </p>
      </Match>
      <Match when={empty() && state() === "denied"}>
        <EmptyState testId="workspace-denied" title="This link was revoked or is invalid" hint="Nothing was stored from it. Ask the workspace's admin for a new share link." />
      </Match>
      <Match when={empty()}>
        <EmptyState
          testId="workspace-empty"
          title="No events in this workspace yet"
          hint="Post events with `npx tally post events.ndjson` (or POST /api/v1/workspaces/<id>/events); they show up here within seconds."
        />
      </Match>
      <Match when={props.view === "overview"}>
        <OverviewView workspace={props.workspace} session={props.session} filters={props.filters} setFilters={(s) => props.setFilters(s)} />
      </Match>
      <Match when={props.view === "traffic"}>
        <TrafficView workspace={props.workspace} session={props.session} filters={props.filters} setFilters={(s) => props.setFilters(s)} />
      </Match>
      <Match when={props.view === "coverage"}>
        <CoverageView workspace={props.workspace} session={props.session} filters={props.filters} setFilters={(s) => props.setFilters(s)} />
      </Match>
      <Match when={props.view === "product"}>
        <ProductView workspace={props.workspace} session={props.session} filters={props.filters} setFilters={(s) => props.setFilters(s)} />
      </Match>
      <Match when={props.view === "jobs"}>
        <JobsView workspace={props.workspace} session={props.session} filters={props.filters} setFilters={(s) => props.setFilters(s)} />
      </Match>
      <Match when={props.view === "chaos"}>
        <ChaosView workspace={props.workspace} session={props.session} filters={props.filters} setFilters={(s) => props.setFilters(s)} />
      </Match>
    </Switch>
  );
}

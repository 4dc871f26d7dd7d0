/**
 * The composition root: builds the services the views use from the data
 * layer (store/, sync/, aggregate/) around the aggregation worker main.ts
 * started, and renders the app. The sync of the open workspace is started by
 * its page through `startSync` below, its live updates through `startLive`,
 * and both are stopped when the page closes. Their code, and the bundle
 * import and export, load when first used: a cold open parses only what
 * draws the view.
 */
import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { db } from "./store/db.ts";
import { requestPersistence, storageReport } from "./store/persistence.ts";
import { SegmentStore } from "./store/segment-store.ts";
import { getWorkspace, listWorkspaces, removeWorkspace, saveWorkspace, touchWorkspace, updateWorkspaceInfo } from "./store/workspaces.ts";
import { isImportedCopy, localCopyLive, localCopySync } from "./store/bundle-local.ts";
import { lazyLive, lazySync } from "./sync/lazy-handles.ts";
import type { Aggregator } from "./data/api.ts";
import { ServicesProvider, type Services } from "./views/services.tsx";
import { forgetKeptCopies } from "./views/kept-copies.ts";
import "./styles/app.css";

/** Renders the app into #root, computing charts with `aggregator`. */
export function startApp(aggregator: Aggregator): void {
  const store = new SegmentStore(db);

  const services: Services = {
    aggregator,
    workspaces: {
      list: () => listWorkspaces(db),
      get: (id) => getWorkspace(db, id),
      save: (link) => saveWorkspace(db, link),
      touch: (id) => touchWorkspace(db, id),
      setInfo: (info) => updateWorkspaceInfo(db, info),
      syncState: (id) => store.syncState(id),
      remove: async (id) => {
        await removeWorkspace(db, id);
        forgetKeptCopies(id);
      },
    },
    // a copy imported from a bundle has no edge to sync with or listen to
    startSync: (workspace, handlers) =>
      isImportedCopy(workspace) ? localCopySync(store, workspace.id, handlers.onStatus) : lazySync(
        import("./sync/sync-loop.ts").then(({ startSyncLoop }) =>
          startSyncLoop({
            store,
            workspace,
            onStatus: handlers.onStatus,
            onStored: () => handlers.onStored(),
            onDropped: () => handlers.onStored(),
            onInfo: handlers.onInfo,
          }),
        ),
      ),
    startLive: (workspace, handlers) =>
      isImportedCopy(workspace) ? localCopyLive(handlers.onState) : lazyLive(
        import("./live/start-live.ts").then(({ startLive }) =>
          startLive({
            store,
            workspace,
            pull: handlers.pull,
            onState: handlers.onState,
            onStored: () => handlers.onStored(),
            onAlert: handlers.onAlert,
          }),
        ),
      ),
    bundles: {
      importFile: async (file, onProgress) => {
        const [{ blobLines }, { importBundle }] = await Promise.all([import("./store/bundle-blob.ts"), import("./store/bundle-import.ts")]);
        return importBundle(db, store, blobLines(file), { onProgress });
      },
      exportFile: async (workspace, config, onProgress) => {
        const [{ canGzip, chunksToBlob }, { bundleChunks, exportSource }] = await Promise.all([import("./store/bundle-blob.ts"), import("./store/bundle-export.ts")]);
        const gzip = canGzip();
        return { blob: await chunksToBlob(bundleChunks(db, exportSource(workspace, config, Date.now()), onProgress), gzip), gzip };
      },
    },
    storage: {
      persist: () => requestPersistence(),
      report: () => storageReport(),
    },
    onClosedElsewhere: (listener) => db.onClosedElsewhere(() => listener()),
  };

  render(
    () => (
      <ServicesProvider value={services}>
        <App />
      </ServicesProvider>
    ),
    document.getElementById("root")!,
  );
}

/**
 * One open workspace: its stored events loaded into the aggregator, its sync
 * loop running, and signals the page renders from. Lives as long as the
 * workspace stays open (switching views or filters keeps it). Stored data is
 * shown as soon as it is loaded; sync runs beside it and each stored page
 * refreshes the aggregator, throttled so a long first sync does not recompute
 * every panel for every page. The live connection runs beside the sync: its
 * events refresh sooner, and its alerts land in `lastAlert`. Both start once
 * the stored events are drawn, so a cold open's first results do not share
 * the machine with the first pull.
 */
import { batch, createSignal, onCleanup, type Accessor } from "solid-js";
import type { AlertHistoryEntry } from "../../../shared/wire.ts";
import type { DatasetInfo, KnownWorkspace, SyncStatus } from "../data/api.ts";
import type { LiveState } from "../live/live-connection.ts";
import type { LiveHandle, Services, SyncHandle } from "./services.tsx";
import { afterFirstDraw } from "./first-draw.ts";
import { takePendingLink } from "./share-link.ts";

export interface WorkspaceSession {
  /** undefined while looking it up; null when this browser does not know it. */
  workspace: Accessor<KnownWorkspace | null | undefined>;
  status: Accessor<SyncStatus | null>;
  /** Last successful sync, kept while later syncs fail. */
  syncedAt: Accessor<number | null>;
  dataset: Accessor<DatasetInfo | null>;
  /** Bumps whenever the aggregator's data changed: panels re-run. */
  version: Accessor<number>;
  /** The time relative ranges end at; moves with new data and every minute. */
  now: Accessor<number>;
  /** Opening failed (storage unavailable, worker failed). */
  error: Accessor<string | null>;
  /** The latest alert transition pushed by the edge over the live connection; null until one arrives. */
  lastAlert: Accessor<AlertHistoryEntry | null>;
  /** The live connection: what the header's indicator shows. */
  live: Accessor<LiveState>;
  syncNow(): void;
}

const REFRESH_MS = 400;
// live messages are small next to a first sync's pages: show them at once (a burst still
// coalesces, as refreshes never overlap and one pending refresh serves every page stored before it)
const LIVE_REFRESH_MS = 0;
const TICK_MS = 60_000;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createWorkspaceSession(services: Services, id: string): WorkspaceSession {
  const [workspace, setWorkspace] = createSignal<KnownWorkspace | null | undefined>(undefined);
  const [status, setStatus] = createSignal<SyncStatus | null>(null);
  const [syncedAt, setSyncedAt] = createSignal<number | null>(null);
  const [dataset, setDataset] = createSignal<DatasetInfo | null>(null);
  const [version, setVersion] = createSignal(0);
  const [now, setNow] = createSignal(Date.now());
  const [error, setError] = createSignal<string | null>(null);
  const [lastAlert, setLastAlert] = createSignal<AlertHistoryEntry | null>(null);
  const [live, setLive] = createSignal<LiveState>("connecting");
  let sync: SyncHandle | null = null;
  let liveHandle: LiveHandle | null = null;
  let closed = false;
  let opened = false;

  const loaded = (info: DatasetInfo) => {
    if (closed) return;
    const before = dataset();
    // a refresh that found nothing new must not run every panel's queries again
    if (before && before.workspaceId === info.workspaceId && before.events === info.events && before.lastSeq === info.lastSeq) return;
    // one update, not three: each signal change alone would start its own query run
    batch(() => {
      setDataset(info);
      setNow(Date.now());
      setVersion((v) => v + 1);
    });
  };

  // at most one refresh in flight; pages stored meanwhile make one more
  let refreshing = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = Infinity;
  const refresh = () => {
    if (!opened || closed) return;
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    services.aggregator
      .refresh()
      .then(loaded, (err: unknown) => console.warn("Tally: refresh failed", err))
      .finally(() => {
        refreshing = false;
        if (again) {
          again = false;
          scheduleRefresh();
        }
      });
  };
  // a sooner request (live) moves a pending refresh forward; a later one joins it
  const scheduleRefresh = (delay = REFRESH_MS) => {
    if (timer !== undefined && dueAt <= Date.now() + delay) return;
    clearTimeout(timer);
    dueAt = Date.now() + delay;
    timer = setTimeout(() => {
      timer = undefined;
      dueAt = Infinity;
      refresh();
    }, delay);
  };

  const start = async () => {
    const link = takePendingLink(id);
    const ws = link ? await link : await services.workspaces.get(id);
    if (closed) return;
    setWorkspace(ws ?? null);
    if (!ws) return;
    if (!link) void services.workspaces.touch(id).catch(() => undefined);
    void services.workspaces.syncState(id).then((s) => !closed && syncedAt() === null && setSyncedAt(s.syncedAt), () => undefined);
    const opening = services.aggregator.open(id);
    const connect = () => {
      if (closed || sync) return;
      sync = services.startSync(ws, {
        onStatus(s) {
          if (closed) return;
          setStatus(s);
          if ((s.state === "idle" || s.state === "offline") && s.syncedAt !== null) setSyncedAt(s.syncedAt);
          // the link was refused: the live socket would only be refused too
          if (s.state === "denied") liveHandle?.revoke();
        },
        onStored: () => scheduleRefresh(),
        onInfo(info) {
          if (closed) return;
          setWorkspace((w) => (w ? { ...w, name: info.name, demo: info.demo } : w));
          void services.workspaces.setInfo(info).catch(() => undefined);
        },
      });
      liveHandle = services.startLive(ws, {
        pull: () => sync?.syncNow() ?? Promise.resolve(),
        onState(state) {
          if (closed) return;
          setLive(state);
          // the edge closed the socket with 4401: a pull gets the 401 and the sync badge says why
          if (state === "revoked" && status()?.state !== "denied") void sync?.syncNow();
        },
        onStored: () => scheduleRefresh(LIVE_REFRESH_MS),
        onAlert: (alert) => !closed && setLastAlert(alert),
      });
    };
    // stored events are drawn first and the edge is asked after (first-draw.ts); with none stored, the edge is all there is
    void opening.then((info) => (info.events === 0 ? connect() : void afterFirstDraw(connect)), connect);
    loaded(await opening);
    performance.mark("tally:events-loaded", { detail: { workspace: id } });
    opened = true;
    // pages stored while the first load ran
    scheduleRefresh();
  };
  start().catch((err: unknown) => !closed && setError(message(err)));

  const tick = setInterval(() => setNow(Date.now()), TICK_MS);
  onCleanup(() => {
    closed = true;
    clearInterval(tick);
    clearTimeout(timer);
    sync?.stop();
    liveHandle?.stop();
  });

  return { workspace, status, syncedAt, dataset, version, now, error, lastAlert, live, syncNow: () => void sync?.syncNow() };
}

/**
 * The alerts part of the Chaos & alerts view, as signals the view renders:
 *
 * - the rules, from the workspace config (read token), kept for offline use;
 * - the edge's active alerts and history, fetched on open, whenever a live
 *   alert arrives (session.lastAlert) and when the browser is back online;
 *   offline, the last copy, said to be offline;
 * - the rules evaluated locally in the aggregation worker on every data
 *   change, from the previous local states (hysteresis), starting from the
 *   edge's so that an alert firing there is not "new" here.
 */
import { createEffect, createSignal, on, onCleanup, onMount, untrack, type Accessor } from "solid-js";
import type { AlertRule } from "../../../shared/alerts/rule.ts";
import type { AlertState } from "../../../shared/alerts/state.ts";
import type { AlertHistoryEntry, AlertsResponse } from "../../../shared/wire.ts";
import type { KnownWorkspace } from "../data/api.ts";
import { mergeHistory } from "../panels/chaos-alerts.ts";
import { loadCachedAlerts, loadCachedRules, saveCachedAlerts, saveCachedRules, type Cached } from "./chaos-alerts-cache.ts";
import { EdgeError, EdgeOfflineError } from "../data/edge-call.ts";
import { fetchAlerts, fetchRules, type StoredRules } from "./chaos-edge.ts";
import type { Services } from "./services.tsx";
import type { WorkspaceSession } from "./workspace-session.ts";

/** Something fetched from the edge, with where the shown copy stands. */
export interface EdgeCopy<T> {
  /** The latest copy: fetched now, or kept from before. */
  copy: Accessor<Cached<T> | null>;
  /** The last fetch could not reach the edge: `copy` is what was kept. */
  offline: Accessor<boolean>;
  error: Accessor<string | null>;
  loading: Accessor<boolean>;
  refetch(): void;
}

function describe(err: unknown): string {
  if (err instanceof EdgeError) return `${err.message} (${err.status} ${err.code})`;
  return err instanceof Error ? err.message : String(err);
}

const isOnline = (): boolean => typeof navigator === "undefined" || navigator.onLine !== false;

/** A copy of `load`'s answer that starts from storage and refreshes from the edge. */
function createEdgeCopy<T>(load: () => Promise<T>, kept: () => Cached<T> | null, keep: (value: T, at: number) => void): EdgeCopy<T> {
  const [copy, setCopy] = createSignal<Cached<T> | null>(kept());
  const [offline, setOffline] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  let latest = 0;
  const refetch = () => {
    const mine = ++latest;
    if (!isOnline()) {
      setOffline(true);
      return void setLoading(false);
    }
    setLoading(true);
    load().then(
      (value) => {
        if (mine !== latest) return;
        const at = Date.now();
        keep(value, at);
        setCopy({ value, fetchedAt: at });
        setOffline(false);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== latest) return;
        setOffline(err instanceof EdgeOfflineError);
        setError(err instanceof EdgeOfflineError ? null : describe(err));
        setLoading(false);
      },
    );
  };
  return { copy, offline, error, loading, refetch };
}

/**
 * Fetches on mount and when the browser says it is back online; and, while
 * the last fetch could not reach the edge, again whenever a sync has just
 * reached it (the browser's online event is not always sent, or comes before
 * the network works).
 */
function refetchWhenOnline<T>(session: WorkspaceSession, source: EdgeCopy<T>): void {
  onMount(() => {
    source.refetch();
    const online = () => source.refetch();
    window.addEventListener("online", online);
    onCleanup(() => window.removeEventListener("online", online));
  });
  createEffect(
    on(
      () => session.status()?.state,
      (state) => state === "idle" && untrack(source.offline) && source.refetch(),
      { defer: true },
    ),
  );
}

export function createEdgeAlerts(workspace: KnownWorkspace, session: WorkspaceSession): EdgeCopy<AlertsResponse> {
  const alerts = createEdgeCopy(
    () => fetchAlerts(workspace),
    () => loadCachedAlerts(workspace.id),
    (value, at) => saveCachedAlerts(workspace.id, value, at),
  );
  refetchWhenOnline(session, alerts);
  // a live alert is a change the edge just stored: the history and states now include it
  createEffect(on(session.lastAlert, (entry) => entry !== null && alerts.refetch(), { defer: true }));
  return alerts;
}

export interface AlertHistoryPages {
  /** The newest page and every older page loaded, newest first, each entry once. */
  entries: Accessor<AlertHistoryEntry[]>;
  /** Whether older entries exist at the edge. */
  more: Accessor<boolean>;
  loading: Accessor<boolean>;
  error: Accessor<string | null>;
  loadOlder(): void;
}

/** The history of `alerts`' copy, with older pages loaded on request (`before=`); kept in memory only. */
export function createAlertHistory(workspace: KnownWorkspace, alerts: EdgeCopy<AlertsResponse>): AlertHistoryPages {
  const [older, setOlder] = createSignal<AlertHistoryEntry[]>([]);
  const [cursor, setCursor] = createSignal<number | null | undefined>(undefined);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const entries = () => mergeHistory(alerts.copy()?.value.history ?? [], older());
  const next = () => {
    const c = cursor();
    return c === undefined ? (alerts.copy()?.value.next_before ?? null) : c;
  };
  return {
    entries,
    more: () => next() !== null,
    loading,
    error,
    loadOlder() {
      const before = next();
      if (before === null || loading()) return;
      setLoading(true);
      fetchAlerts(workspace, fetch, before).then(
        (page) => {
          setOlder((list) => [...list, ...page.history]);
          setCursor(page.next_before);
          setError(null);
          setLoading(false);
        },
        (err: unknown) => {
          setError(err instanceof EdgeOfflineError ? "Offline: older alerts cannot be fetched now." : describe(err));
          setLoading(false);
        },
      );
    },
  };
}

export interface RulesCopy extends EdgeCopy<StoredRules> {
  /** After a save: the rules and version the edge answered with. */
  replace(stored: StoredRules): void;
}

export function createRules(workspace: KnownWorkspace, session: WorkspaceSession): RulesCopy {
  const [replaced, setReplaced] = createSignal<Cached<StoredRules> | null>(null);
  const rules = createEdgeCopy(
    () => fetchRules(workspace),
    () => loadCachedRules(workspace.id),
    (value, at) => saveCachedRules(workspace.id, value, at),
  );
  refetchWhenOnline(session, rules);
  // an alert resolving as "rule disabled" or "rule removed", or firing for a new rule, means the rules changed elsewhere
  createEffect(on(session.lastAlert, (entry) => entry !== null && rules.refetch(), { defer: true }));
  // the newest of the fetched copy and the one a save answered with
  const copy = () => {
    const a = rules.copy();
    const b = replaced();
    return b !== null && (a === null || b.fetchedAt >= a.fetchedAt) ? b : a;
  };
  return {
    ...rules,
    copy,
    replace(stored) {
      const at = Date.now();
      saveCachedRules(workspace.id, stored, at);
      setReplaced({ value: stored, fetchedAt: at });
    },
  };
}

export interface LocalAlerts {
  /** One state per enabled rule; undefined until the first evaluation. */
  states: Accessor<AlertState[] | undefined>;
  error: Accessor<string | null>;
}

/**
 * Evaluates `rules` in the worker whenever the data, the session's now or the
 * rules change. Previous states are this page's last evaluation, or at
 * first the edge's.
 */
export function createLocalAlerts(services: Services, session: WorkspaceSession, rules: Accessor<AlertRule[] | undefined>, seed: Accessor<AlertState[] | undefined>): LocalAlerts {
  const [states, setStates] = createSignal<AlertState[]>();
  const [error, setError] = createSignal<string | null>(null);
  let latest = 0;
  createEffect(() => {
    const list = rules();
    const now = session.now();
    session.version();
    if (list === undefined || session.dataset() === null) return;
    // untracked: a new result must not start another evaluation
    const previous = untrack(() => states() ?? seed() ?? []);
    const mine = ++latest;
    services.aggregator.evaluateAlerts(list, now, previous).then(
      (evaluation) => {
        if (mine !== latest) return;
        setStates(evaluation.states);
        setError(null);
      },
      (err: unknown) => mine === latest && setError(describe(err)),
    );
  });
  return { states, error };
}

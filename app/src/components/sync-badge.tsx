/**
 * Where sync stands, in words a person understands, with when it last
 * succeeded. A live region, so a screen reader hears "Offline" or "Link
 * revoked" when it happens, not on every page of a sync.
 */
import { Show, type JSX } from "solid-js";
import type { SyncStatus } from "../data/api.ts";
import { formatAgo, formatDateTime, formatInteger } from "./format.ts";

export interface SyncBadgeProps {
  status: SyncStatus | null;
  /** Last successful sync, remembered across statuses that do not carry it. */
  syncedAt: number | null;
  now: number;
  onRetry?: () => void;
}

interface Words {
  tone: "ok" | "busy" | "warn" | "bad";
  title: string;
  detail: string;
  retry: boolean;
}

function words(status: SyncStatus | null, syncedAt: number | null, now: number): Words {
  const last = syncedAt === null ? "not synced yet" : `last synced ${formatAgo(syncedAt, now)}`;
  if (status === null) return { tone: "busy", title: "Starting…", detail: "Opening stored events", retry: false };
  switch (status.state) {
    case "idle":
      return { tone: "ok", title: "Up to date", detail: `${formatInteger(status.events)} events · ${last}`, retry: false };
    case "syncing":
      return {
        tone: "busy",
        title: "Syncing…",
        detail: status.pulled > 0 ? `${formatInteger(status.pulled)} new events so far` : "Checking for new events",
        retry: false,
      };
    case "offline":
      return { tone: "warn", title: "Offline", detail: `Showing stored events · ${last}`, retry: true };
    case "denied":
      return {
        tone: "bad",
        title: "Link revoked or invalid",
        detail: `This share link no longer gives access (${status.message}). Stored events are still shown; ask for a new link to sync again.`,
        retry: true,
      };
    case "error":
      return { tone: "warn", title: "Sync failed", detail: `${status.message}. Stored events are still shown; retrying on its own · ${last}`, retry: true };
    case "quota":
      return {
        tone: "bad",
        title: "Storage full",
        detail: "This browser will not store more events. Everything already stored is safe and shown; free some space, then retry.",
        retry: true,
      };
  }
}

export function SyncBadge(props: SyncBadgeProps): JSX.Element {
  const w = () => words(props.status, props.syncedAt, props.now);
  return (
    <div class={`sync-badge sync-${w().tone}`} data-testid="sync-badge" data-state={props.status?.state ?? "starting"}>
      <span class="sync-dot" aria-hidden="true" />
      <div class="sync-text" role="status" aria-live="polite">
        <strong class="sync-title">{w().title}</strong>
        <span class="sync-detail" title={props.syncedAt === null ? undefined : formatDateTime(props.syncedAt)}>
          {w().detail}
        </span>
      </div>
      <Show when={w().retry && props.onRetry}>
        <button type="button" class="button button-small" onClick={() => props.onRetry?.()} data-testid="sync-retry">
          Retry
        </button>
      </Show>
    </div>
  );
}

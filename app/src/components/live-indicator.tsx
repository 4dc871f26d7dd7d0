/**
 * Whether live updates are flowing: a dot and a word in the workspace header.
 * A polite live region, so a screen reader hears the change when the
 * connection drops or the link is revoked; the visible word is the text it
 * reads, with a longer explanation for sighted users on hover. It reuses the
 * sync badge's look and, with an auto margin, sits beside it at the end of
 * the header row.
 */
import type { JSX } from "solid-js";
import type { LiveState } from "../live/live-connection.ts";

interface Words {
  tone: "ok" | "busy" | "warn" | "bad";
  label: string;
  detail: string;
}

const WORDS: Record<LiveState, Words> = {
  live: { tone: "ok", label: "Live", detail: "New events appear here as they are posted." },
  connecting: { tone: "busy", label: "Connecting…", detail: "Reconnecting to live updates; the stored events are shown meanwhile." },
  offline: { tone: "warn", label: "Offline", detail: "No live updates while this browser is offline; it catches up when back online." },
  revoked: { tone: "bad", label: "Revoked", detail: "This share link no longer gives access, so live updates stopped. Ask for a new link." },
};

export function LiveIndicator(props: { state: LiveState }): JSX.Element {
  const w = () => WORDS[props.state];
  return (
    <div class={`sync-badge live-indicator sync-${w().tone}`} data-testid="live-indicator" data-state={props.state} title={w().detail}>
      <span class="sync-dot" aria-hidden="true" />
      <span class="sync-text" role="status" aria-live="polite">
        <strong class="sync-title">
          <span class="visually-hidden">Live updates: </span>
          {w().label}
        </strong>
      </span>
    </div>
  );
}

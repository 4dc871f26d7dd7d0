/**
 * What to do with one live message, given the stored cursor: pure, so every
 * case is a table row in tests. Seqs are global across workspaces, so a
 * workspace's seqs have holes and gaps are told by `prev_seq` (the
 * workspace's highest seq before the message), never by `first_seq - 1`.
 */
import type { StoredEvent } from "../../../shared/event.ts";
import type { AlertHistoryEntry, LiveMessage } from "../../../shared/wire.ts";

export type LivePlan =
  /** Store these events (those after the cursor) and move the cursor to `next`, if it still stands at `follows` or beyond. */
  | { kind: "append"; events: StoredEvent[]; next: number; follows: number }
  /** Something was missed (or the edge is ahead): pull from the cursor. */
  | { kind: "pull" }
  | { kind: "alert"; alert: AlertHistoryEntry }
  /** Already stored, another workspace's, or a kind this app does not know. */
  | { kind: "ignore"; why: "duplicate" | "up to date" | "other workspace" | "unknown" };

/** The plan for `message` when every event with `seq <= cursor` is stored. */
export function planLive(message: LiveMessage, cursor: number, workspaceId: string): LivePlan {
  if (message.workspace !== workspaceId) return { kind: "ignore", why: "other workspace" };
  switch (message.type) {
    case "hello":
      return message.last_seq > cursor ? { kind: "pull" } : { kind: "ignore", why: "up to date" };
    case "events":
      if (message.last_seq <= cursor) return { kind: "ignore", why: "duplicate" };
      if (message.prev_seq > cursor) return { kind: "pull" };
      // prev_seq <= cursor: these follow on from what is stored, or overlap it
      return { kind: "append", events: message.events.filter((e) => e.seq > cursor), next: message.last_seq, follows: message.prev_seq };
    case "alert":
      return { kind: "alert", alert: message.alert };
    default:
      // the contract says to ignore kinds we do not know; parsing already drops them, this is for the compiler
      return { kind: "ignore", why: "unknown" };
  }
}

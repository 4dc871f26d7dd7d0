// The live planner, table-driven: what each message means against a stored cursor.
import { describe, expect, it } from "vitest";
import type { LiveEventsMessage, LiveMessage } from "../../shared/wire.ts";
import { planLive } from "../../app/src/live/live-plan.ts";
import { makeEvents } from "./helpers.ts";

const WS = "ws_a";

/** An events message over `seqs` (holes allowed: seqs are global), following `prev`. */
function events(prev: number, seqs: number[], workspace = WS): LiveEventsMessage {
  const evs = seqs.map((seq) => makeEvents(1, seq)[0]!);
  return { type: "events", workspace, prev_seq: prev, first_seq: seqs[0]!, last_seq: seqs.at(-1)!, events: evs };
}

const alert = { id: 7, rule_id: "r1", name: "errors", kind: "firing", at: 1, value: 3, threshold: 2, severity: "critical", detail: "3 > 2" } as const;

describe("planLive", () => {
  const rows: Array<[string, LiveMessage, number, ReturnType<typeof planLive> | { kind: "append"; seqs: number[]; next: number; follows: number }]> = [
    ["hello ahead of the cursor: pull", { type: "hello", workspace: WS, last_seq: 12 }, 10, { kind: "pull" }],
    ["hello at the cursor: nothing to do", { type: "hello", workspace: WS, last_seq: 10 }, 10, { kind: "ignore", why: "up to date" }],
    ["hello behind the cursor (a pull got there first): nothing", { type: "hello", workspace: WS, last_seq: 8 }, 10, { kind: "ignore", why: "up to date" }],
    ["follows on directly: append all", events(10, [11, 14, 15]), 10, { kind: "append", seqs: [11, 14, 15], next: 15, follows: 10 }],
    ["follows on across a hole in seqs (another workspace's): append", events(10, [20, 21]), 10, { kind: "append", seqs: [20, 21], next: 21, follows: 10 }],
    ["overlaps the cursor: append only what is after it", events(8, [9, 11, 13]), 11, { kind: "append", seqs: [13], next: 13, follows: 8 }],
    ["prev after the cursor: a gap, pull", events(12, [13, 14]), 10, { kind: "pull" }],
    ["entirely stored: duplicate", events(5, [6, 7]), 10, { kind: "ignore", why: "duplicate" }],
    ["last_seq equal to the cursor: duplicate", events(5, [6, 10]), 10, { kind: "ignore", why: "duplicate" }],
    ["from an empty store, prev 0: append", events(0, [3]), 0, { kind: "append", seqs: [3], next: 3, follows: 0 }],
    ["another workspace's message: ignore", events(10, [11], "ws_b"), 10, { kind: "ignore", why: "other workspace" }],
    ["an alert: hand it on", { type: "alert", workspace: WS, alert }, 10, { kind: "alert", alert }],
  ];

  it.each(rows)("%s", (_what, message, cursor, expected) => {
    const plan = planLive(message, cursor, WS);
    if (expected.kind === "append" && "seqs" in expected) {
      expect(plan.kind).toBe("append");
      if (plan.kind !== "append") return;
      expect(plan.events.map((e) => e.seq)).toEqual(expected.seqs);
      expect({ next: plan.next, follows: plan.follows }).toEqual({ next: expected.next, follows: expected.follows });
    } else {
      expect(plan).toEqual(expected);
    }
  });

  it("ignores a kind it does not know, as the contract asks", () => {
    expect(planLive({ type: "presence", workspace: WS } as unknown as LiveMessage, 10, WS)).toEqual({ kind: "ignore", why: "unknown" });
  });
});

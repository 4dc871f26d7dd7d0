import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../shared/event.ts";
import type { SegmentName } from "../../../shared/product/types.ts";
import { DAY, HOUR, report, T0, track } from "./fixtures.ts";

const END = T0 + 60 * DAY;

/** Events of `user` at the given times before END (ms before it). */
const before = (user: string, ...ago: number[]): StoredEvent[] => ago.map((a) => track(END - a, "view", { user }));
/** One event per day on `days` distinct days, the last `lastAgo` before END. */
const daily = (user: string, days: number, lastAgo = HOUR): StoredEvent[] => Array.from({ length: days }, (_, d) => track(END - lastAgo - d * DAY, "view", { user }));

function segmentOf(events: StoredEvent[], user: string, over = {}): SegmentName {
  // a lone user: the segment holding one user is theirs
  const only = events.filter((e) => e.props["user"] === user);
  const segs = report(only, { now: END, ...over }).segments;
  return segs.find((s) => s.users === 1)!.segment;
}

describe("segments", () => {
  it("lists all four, in order, even when empty", () => {
    expect(report([], { now: END }).segments.map((s) => [s.segment, s.users])).toEqual([
      ["power", 0],
      ["regular", 0],
      ["new", 0],
      ["at-risk", 0],
    ]);
  });

  it("calls a user first seen exactly 7 days before the end new, and a millisecond earlier not", () => {
    expect(segmentOf(before("a", 7 * DAY, HOUR), "a")).toBe("new");
    expect(segmentOf(before("a", 7 * DAY + 1, HOUR), "a")).toBe("regular");
  });

  it("looks for first seen in all stored time before the end, whatever the range", () => {
    const events = before("a", 40 * DAY, HOUR);
    expect(segmentOf(events, "a", { range: { from: END - 2 * DAY, to: END + DAY } })).toBe("regular");
  });

  it("calls an established user with no event in the last 7 days at risk; an event exactly 7 days back is recent", () => {
    expect(segmentOf(before("a", 20 * DAY, 7 * DAY + 1), "a", { range: { from: END - 30 * DAY, to: END } })).toBe("at-risk");
    expect(segmentOf(before("a", 20 * DAY, 7 * DAY), "a", { range: { from: END - 30 * DAY, to: END } })).toBe("regular");
  });

  it("makes power users of 10 active days in the 28-day window, not 9", () => {
    expect(segmentOf(daily("a", 10), "a")).toBe("power");
    expect(segmentOf(daily("a", 9).concat(before("a", 40 * DAY)), "a")).toBe("regular");
  });

  it("counts active days from the window's first millisecond, not before it", () => {
    // 9 days inside W plus one exactly at END − 28d: 10 days
    expect(segmentOf([...daily("a", 9), ...before("a", 28 * DAY)], "a")).toBe("power");
    expect(segmentOf([...daily("a", 9), ...before("a", 28 * DAY + 1)], "a")).toBe("regular");
  });

  it("counts local days by the offset", () => {
    // 23:30 and 00:30 UTC: two UTC days, one day at UTC+1 (00:30 and 01:30)
    const pair = (d: number) => [track(END - d * DAY - 30 * 60_000, "view", { user: "a" }), track(END - d * DAY + 30 * 60_000, "view", { user: "a" })];
    const events = [...[2, 4, 6, 8, 10].flatMap(pair), ...before("a", 40 * DAY)];
    expect(segmentOf(events, "a", { utcOffsetMinutes: 0 })).toBe("power");
    expect(segmentOf(events, "a", { utcOffsetMinutes: 60 })).toBe("regular");
  });

  it("ignores events at or after the end; a user with only those is new", () => {
    const events = [track(END, "view", { user: "a" }), track(END + DAY, "view", { user: "a" })];
    const segs = report(events, { now: END }).segments;
    expect(segs.map((s) => s.users)).toEqual([0, 0, 1, 0]);
    expect(segs[2]!.eventsPerActiveDay).toBeNaN();
    expect(segs[2]!.engagement).toBe(0);
  });

  it("averages engagement and events per active day over a segment", () => {
    // a: 12 active days, 2 events each (score 6); b: 25 days, 1 each (score 10); c: first seen 2 days ago
    const a = [...daily("a", 12), ...daily("a", 12, 2 * HOUR)];
    const b = daily("b", 25);
    const c = before("c", 2 * DAY);
    const segs = report([...a, ...b, ...c], { now: END }).segments;
    expect(segs[0]).toEqual({ segment: "power", users: 2, share: 2 / 3, eventsPerActiveDay: (24 + 25) / (12 + 25), engagement: (6 + 10) / 2 });
    expect(segs[2]).toEqual({ segment: "new", users: 1, share: 1 / 3, eventsPerActiveDay: 1, engagement: 0.5 });
  });

  it("counts back from the range's end when it comes before now", () => {
    const events = before("a", 20 * DAY, 8 * DAY);
    expect(segmentOf(events, "a", { now: END + 30 * DAY, range: { from: END - 30 * DAY, to: END } })).toBe("at-risk");
    expect(segmentOf(events, "a", { now: END - 8 * DAY + 1, range: { from: END - 30 * DAY, to: END } })).toBe("regular");
  });
});

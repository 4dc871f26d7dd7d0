import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../shared/event.ts";
import { trendOf } from "../../../shared/product/adoption.ts";
import { DAY, HOUR, report, T0, track } from "./fixtures.ts";

describe("events, users and active users", () => {
  it("counts events without a user, but not as users", () => {
    const events = [track(T0, "view", { user: "a" }), track(T0 + 1, "view"), track(T0 + 2, "view", { user: "b" }), track(T0 + 3, "view", { user: "a" })];
    const r = report(events);
    expect(r.events).toBe(4);
    expect(r.users).toBe(2);
  });

  it("reads only track events in the range that pass the filters", () => {
    const events: StoredEvent[] = [
      track(T0, "view", { user: "a", env: "prod" }),
      track(T0 + DAY, "view", { user: "b", env: "prod" }),
      track(T0 + 2 * DAY, "view", { user: "c", env: "dev" }),
      { ...track(T0, "GET /", { user: "d" }), type: "request" },
    ];
    const r = report(events, { range: { from: T0, to: T0 + 3 * DAY }, filters: [{ dim: { prop: "env" }, in: ["prod"] }] });
    expect([r.events, r.users]).toEqual([2, 2]);
  });

  it("counts distinct users per local day, Monday week and month", () => {
    // T0 is Monday 2026-11-02 00:00 UTC; at UTC−5 the first events fall on Sunday 1 November
    const events = [
      track(T0 + HOUR, "view", { user: "a" }),
      track(T0 + 2 * HOUR, "view", { user: "a" }),
      track(T0 + 10 * HOUR, "view", { user: "b" }),
      track(T0 + 29 * DAY, "view", { user: "a" }), // 1 December
    ];
    const utc = report(events).active;
    expect(Array.from(utc.daily.t)).toEqual([T0, T0 + 29 * DAY]);
    expect(Array.from(utc.daily.users)).toEqual([2, 1]);
    expect(Array.from(utc.weekly.t)).toEqual([T0, T0 + 28 * DAY]);
    expect(Array.from(utc.monthly.t)).toEqual([T0 - DAY, T0 + 29 * DAY]);
    expect(Array.from(utc.monthly.users)).toEqual([2, 1]);
    const west = report(events, { utcOffsetMinutes: -300 }).active;
    const local = 5 * HOUR;
    expect(Array.from(west.daily.t)).toEqual([T0 - DAY + local, T0 + local, T0 + 28 * DAY + local]);
    expect(Array.from(west.daily.users)).toEqual([1, 1, 1]);
    expect(Array.from(west.weekly.t)).toEqual([T0 - 7 * DAY + local, T0 + local, T0 + 28 * DAY + local]);
    // 1 December 00:00 UTC is still 30 November there
    expect(Array.from(west.monthly.t)).toEqual([T0 - DAY + local]);
    expect(Array.from(west.monthly.users)).toEqual([2]);
  });

  it("counts dau, wau and mau back from the range's end, or now, whatever the range's start", () => {
    const end = T0 + 40 * DAY;
    const events = [
      track(end - 1, "view", { user: "a" }),
      track(end - DAY, "view", { user: "b" }), // exactly a day back: in
      track(end - DAY - 1, "view", { user: "c" }),
      track(end - 7 * DAY, "view", { user: "d" }),
      track(end - 30 * DAY, "view", { user: "e" }),
      track(end - 30 * DAY - 1, "view", { user: "f" }),
      track(end, "view", { user: "g" }), // at the end: out
    ];
    const a = report(events, { now: end }).active;
    expect([a.dau, a.wau, a.mau]).toEqual([2, 4, 5]);
    const ranged = report(events, { now: end + 100 * DAY, range: { from: end - HOUR, to: end } }).active;
    expect([ranged.dau, ranged.wau, ranged.mau]).toEqual([2, 4, 5]);
  });
});

describe("feature adoption", () => {
  const range = { from: T0 + 10 * DAY, to: T0 + 20 * DAY };
  /** `n` users using `feature` in the range (offset 0) or the period before it (offset -10 days). */
  const users = (prefix: string, n: number, feature: string | undefined, at: number): StoredEvent[] =>
    Array.from({ length: n }, (_, i) => track(at + i, "use", feature === undefined ? { user: `${prefix}${i}` } : { user: `${prefix}${i}`, feature }));

  it("divides each feature's users by the range's users, and compares with the period before", () => {
    const events = [
      ...users("u", 50, "search", range.from),
      ...users("v", 25, "export", range.from),
      ...users("w", 25, undefined, range.from),
      ...users("u", 20, "search", range.from - 5 * DAY),
      ...users("p", 80, undefined, range.from - 5 * DAY),
    ];
    const r = report(events, { range, now: range.to });
    expect(r.adoption).toEqual([
      { feature: "search", users: 50, share: 0.5, previousShare: 0.2, trend: "up" },
      { feature: "export", users: 25, share: 0.25, previousShare: 0, trend: "up" },
    ]);
  });

  it("sorts by users, then by name", () => {
    const events = [...users("a", 3, "b-feature", range.from), ...users("b", 3, "a-feature", range.from), ...users("c", 4, "z", range.from)];
    expect(report(events, { range }).adoption.map((a) => a.feature)).toEqual(["z", "a-feature", "b-feature"]);
  });

  it("has no previous share without a range or without users before it", () => {
    const events = users("u", 5, "search", range.from);
    for (const over of [{}, { range }]) {
      const [a] = report(events, over).adoption;
      expect(a!.previousShare).toBeNaN();
      expect(a!.trend).toBe("flat");
    }
  });

  it("calls a move of more than 2 points a trend", () => {
    expect(trendOf(0.521, 0.5)).toBe("up");
    expect(trendOf(0.519, 0.5)).toBe("flat");
    expect(trendOf(0.481, 0.5)).toBe("flat");
    expect(trendOf(0.479, 0.5)).toBe("down");
    expect(trendOf(0.5, NaN)).toBe("flat");
    // 100 users each time: 23 of them is 3 points up, 21 only 1
    const at = (n: number, before: number) => {
      const events = [...users("u", n, "f", range.from), ...users("x", 100 - n, undefined, range.from), ...users("p", before, "f", range.from - DAY), ...users("q", 100 - before, undefined, range.from - DAY)];
      return report(events, { range }).adoption[0]!.trend;
    };
    expect(at(23, 20)).toBe("up");
    expect(at(21, 20)).toBe("flat");
    expect(at(17, 20)).toBe("down");
  });
});

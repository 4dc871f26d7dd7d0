// The series and the range's boundaries: from inclusive, to exclusive; day,
// week (from Monday) and month buckets in the person's time zone; every bucket
// of the range present.
import { describe, expect, it } from "vitest";
import { bucketStarts, centsOf, jobsFromEvents } from "../../../shared/jobs/index.ts";
import { DAY, job } from "./fixtures.ts";

const day = (d: number, m = 10) => Date.UTC(2026, m, d);

const EVENTS = [
  job(day(16) - 1, { status: "succeeded", cost_usd: 9 }), // just before the range
  job(day(16), { status: "succeeded", cost_usd: 0.1 }), // first instant: in
  job(day(16) + 5 * 3_600_000, { status: "failed", cost_usd: 0.2 }),
  job(day(18) + 1, { status: "succeeded", cost_usd: 0.3 }),
  job(day(23) - 1, { status: "running", cost_usd: 0.4 }), // last instant: in
  job(day(23), { status: "failed", cost_usd: 9 }), // the range's end: out
];
const RANGE = { from: day(16), to: day(23) };

describe("jobs series", () => {
  it("counts the range from its first instant up to, not including, its end", () => {
    const r = jobsFromEvents(EVENTS, { range: RANGE });
    expect([r.summary.jobs, centsOf(r.summary.costUsd)]).toEqual([4, 100]);
  });

  it("gives every day of the range, zeros on days without jobs", () => {
    const r = jobsFromEvents(EVENTS, { range: RANGE, bucket: "day" });
    expect(r.series.map((p) => p.start)).toEqual([16, 17, 18, 19, 20, 21, 22].map((d) => day(d)));
    expect(r.series.map((p) => p.jobs)).toEqual([2, 0, 1, 0, 0, 0, 1]);
    expect(r.series.map((p) => centsOf(p.costUsd))).toEqual([30, 0, 30, 0, 0, 0, 40]);
    expect(r.series.map((p) => p.successRate)).toEqual([0.5, NaN, 1, NaN, NaN, NaN, NaN]);
    expect(r.series[6]!.finished).toBe(0);
  });

  it("groups weeks from Monday and months by the calendar", () => {
    // 2026-11-16 is a Monday; 11-23 starts the next week
    const weeks = jobsFromEvents(EVENTS, { range: { from: day(10), to: day(24) }, bucket: "week" });
    expect(weeks.series.map((p) => [new Date(p.start).toISOString().slice(0, 10), p.jobs])).toEqual([
      ["2026-11-09", 1],
      ["2026-11-16", 4],
      ["2026-11-23", 1],
    ]);
    const months = jobsFromEvents([job(day(30, 9), {}), job(day(1), {}), job(day(2), {})], { range: { from: day(15, 9), to: day(5, 11) }, bucket: "month" });
    expect(months.series.map((p) => [new Date(p.start).toISOString().slice(0, 7), p.jobs])).toEqual([
      ["2026-10", 1],
      ["2026-11", 2],
      ["2026-12", 0],
    ]);
  });

  it("buckets days in the person's time zone", () => {
    // 23:30 UTC on the 16th is the 17th at UTC+1
    const r = jobsFromEvents([job(day(16) + 23.5 * 3_600_000, {})], { range: { from: day(16) - 3_600_000, to: day(18) - 3_600_000 }, utcOffsetMinutes: 60 });
    expect(r.series.map((p) => [p.start, p.jobs])).toEqual([
      [day(16) - 3_600_000, 0],
      [day(17) - 3_600_000, 1],
    ]);
  });

  it("lists only buckets with jobs without a range, or when a range holds too many buckets", () => {
    expect(jobsFromEvents(EVENTS).series.map((p) => p.jobs)).toEqual([1, 2, 1, 1, 1]);
    expect(bucketStarts("day", { from: 0, to: 10_000 * DAY }, 0)).toBeNull();
    expect(bucketStarts("month", { from: 0, to: 10_000 * DAY }, 0)).toHaveLength(329);
    expect(bucketStarts("day", { from: day(16), to: day(16) }, 0)).toEqual([]);
  });
});

// Cost adds up to the cent: the engine sums cost_usd as float64 and the report
// rounds only at the end, so totals equal the hand sum of whole cents.
import { describe, expect, it } from "vitest";
import { centsOf, jobsFromEvents, roundedUsd } from "../../../shared/jobs/index.ts";
import { mulberry32 } from "../../../shared/prng.ts";
import { job } from "./fixtures.ts";

const T0 = Date.UTC(2026, 10, 20);

describe("cost in cents", () => {
  it("sums 100,000 jobs of one cent to exactly $1,000.00", () => {
    const events = Array.from({ length: 100_000 }, (_, i) => job(T0 + i * 1000, { cost_usd: 0.01, provider: i % 2 === 0 ? "openai" : "local" }));
    const r = jobsFromEvents(events);
    // the float64 sum is not 1000 itself; rounded to cents it is
    expect(r.summary.costUsd).not.toBe(1000);
    expect(centsOf(r.summary.costUsd)).toBe(100_000);
    expect(roundedUsd(r.summary.costUsd)).toBe(1000);
    expect(r.providers.map((p) => centsOf(p.costUsd))).toEqual([50_000, 50_000]);
    expect(centsOf(r.summary.avgCostUsd)).toBe(1);
  });

  it("rounds 0.1 + 0.2 to 30 cents, and the 0.1 + 0.2 + 0.3 of several groups to the cents of their hand sum", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const r = jobsFromEvents([
      job(T0, { cost_usd: 0.1, strategy: "x" }, "n"),
      job(T0 + 1, { cost_usd: 0.2, strategy: "x" }, "n"),
      job(T0 + 2, { cost_usd: 0.3, strategy: "y" }, "m"),
    ]);
    expect(centsOf(r.summary.costUsd)).toBe(60);
    expect(r.strategies.map((s) => centsOf(s.costUsd))).toEqual([30, 30]);
    // 0.1 + 0.2 sums a hair above 0.3, yet the two read the same, so they rank as a tie: by name
    expect(r.expensive.map((e) => [e.name, centsOf(e.costUsd)])).toEqual([
      ["m", 30],
      ["n", 30],
    ]);
  });

  it("equals the hand sum of cents for many random amounts, overall, per provider, per day and per user", () => {
    const rand = mulberry32(42);
    const providers = ["openai", "anthropic", "local"];
    const cents = new Map<string, number>();
    let total = 0;
    const events = Array.from({ length: 20_000 }, (_, i) => {
      const c = Math.floor(rand() * 5000); // $0.00 to $49.99
      const provider = providers[i % 3]!;
      total += c;
      cents.set(provider, (cents.get(provider) ?? 0) + c);
      return job(T0 + i * 60_000, { cost_usd: c / 100, provider, user: provider });
    });
    const r = jobsFromEvents(events, { range: { from: T0, to: T0 + 20_000 * 60_000 } });
    expect(centsOf(r.summary.costUsd)).toBe(total);
    for (const p of r.providers) expect(centsOf(p.costUsd), p.provider!).toBe(cents.get(p.provider!));
    for (const u of r.usersByCost) expect(centsOf(u.costUsd)).toBe(cents.get(u.user));
    expect(r.series.reduce((sum, d) => sum + centsOf(d.costUsd), 0)).toBe(total);
  });

  it("rounds halves away from zero and leaves no negative zero", () => {
    expect([centsOf(0.125), centsOf(-0.125), centsOf(-0.001), centsOf(NaN)]).toEqual([13, -13, 0, NaN]);
    expect(Object.is(centsOf(-0.001), 0)).toBe(true);
  });

  it("reads costs sent as text the way the engine reads numbers", () => {
    const r = jobsFromEvents([job(T0, { cost_usd: "0.25" }), job(T0 + 1, { cost_usd: 0.5 }), job(T0 + 2, { cost_usd: "n/a" })]);
    expect([centsOf(r.summary.costUsd), r.summary.costed]).toEqual([75, 2]);
  });
});

// The Product view's wiring, apart from the worker's computation: the spec
// the view sends for its range and filters, the active-users series as chart
// data, the headline picks of the Overview, how statistics read, and each
// panel's export table, over a hand-built report.
import { describe, expect, it } from "vitest";
import type { ExperimentResult, FunnelResult, ProductReport } from "../../shared/product/types.ts";
import { activeChart, bestExperiment, funnelConversion, NO_SETTINGS, productSpec, stickiness, topFunnel } from "../../app/src/panels/product.ts";
import { formatInterval, formatPValue, formatSignedPercent } from "../../app/src/panels/product-format.ts";
import { SEGMENT_ORDER, SEGMENT_RULES } from "../../app/src/panels/product-segments.ts";
import { activeUsersTable, adoptionTable, localDate, experimentsTable, funnelsTable, productCardRows, productSummaryTable, segmentsTable } from "../../app/src/panels/product-tables.ts";
import { parseFilters, propFilters } from "../../app/src/routing/filter-state.ts";

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-20T00:00:00Z");

function experiment(name: string, kind: ExperimentResult["verdict"]["kind"], lift: number, users = 200): ExperimentResult {
  return {
    experiment: name,
    goal: `track "signup"`,
    variants: [
      { variant: "control", control: true, users, conversions: 20, rate: 0.1, lift: NaN, pValue: NaN, ci95: [NaN, NaN] },
      { variant: "b", control: false, users, conversions: 20 * (1 + lift), rate: 0.1 * (1 + lift), lift, pValue: 0.01, ci95: [0.01, 0.05] },
    ],
    verdict: { kind, variant: kind === "better" || kind === "worse" ? "b" : null, text: `${name} says ${kind}` },
  };
}

function funnel(name: string, users: number[]): FunnelResult {
  return {
    name,
    windowHours: 24,
    steps: users.map((u, i) => ({ label: `step ${i + 1}`, users: u, fromPrevious: i === 0 ? 1 : u / users[i - 1]!, fromFirst: u / users[0]!, dropOff: i === 0 ? 0 : users[i - 1]! - u })),
  };
}

const series = (t: number[], users: number[]) => ({ t: Float64Array.from(t), users: Float64Array.from(users) });

const REPORT: ProductReport = {
  events: 1200,
  users: 90,
  active: {
    daily: series([T0, T0 + DAY, T0 + 2 * DAY], [40, 55, 61]),
    weekly: series([T0 - 3 * DAY], [90]),
    monthly: series([T0 - 19 * DAY], [90]),
    dau: 30,
    wau: 70,
    mau: 120,
  },
  adoption: [
    { feature: "export", users: 45, share: 0.5, previousShare: 0.4, trend: "up" },
    { feature: "=cmd|' /C calc'!A0", users: 9, share: 0.1, previousShare: NaN, trend: "flat" },
  ],
  experiments: [experiment("pricing", "no-difference", 0.02, 500), experiment("onboarding", "better", 0.3), experiment("colour", "better", 0.1)],
  segments: [
    { segment: "at-risk", users: 10, share: 10 / 90, eventsPerActiveDay: 1.5, engagement: 1.2 },
    { segment: "power", users: 20, share: 20 / 90, eventsPerActiveDay: 12, engagement: 8.7 },
  ],
  funnels: [funnel("checkout", [50, 30, 12]), funnel("signup", [80, 60]), funnel("never", [0, 0])],
};

describe("productSpec", () => {
  it("carries the bar's prop filters, the range, offset, now and the settings", () => {
    const filters = propFilters(parseFilters(new URLSearchParams("range=7d&env=prod&prop.plan=pro")));
    const settings = { experiments: [{ experiment: "pricing", control: "a" }], funnels: [{ name: "f", steps: [{ name: "a" }, { name: "b" }], window_hours: 2 }] };
    const spec = productSpec({ range: { from: T0, to: T0 + 7 * DAY }, filters, offsetMinutes: 60, now: T0 + 7 * DAY, settings });
    expect(spec).toEqual({ range: { from: T0, to: T0 + 7 * DAY }, filters, utcOffsetMinutes: 60, now: T0 + 7 * DAY, experiments: settings.experiments, funnels: settings.funnels });
    expect(spec.filters).toEqual([
      { dim: { prop: "env" }, in: ["prod"] },
      { dim: { prop: "plan" }, in: ["pro"] },
    ]);
  });

  it("leaves the range out for all time, so the worker reads everything stored", () => {
    const spec = productSpec({ range: undefined, filters: [], offsetMinutes: 0, now: T0, settings: NO_SETTINGS });
    expect("range" in spec).toBe(false);
    expect(spec.experiments).toEqual([]);
  });
});

describe("active users", () => {
  it("charts the chosen grain in epoch seconds", () => {
    expect(activeChart(REPORT.active, "daily")).toEqual({ xs: [T0 / 1000, T0 / 1000 + 86_400, T0 / 1000 + 2 * 86_400], series: [{ label: "Daily active users", values: [40, 55, 61] }] });
    expect(activeChart(REPORT.active, "monthly").series[0]!.label).toBe("Monthly active users");
  });

  it("exports the grain shown, times as ISO text and the local day they start", () => {
    expect(activeUsersTable(REPORT.active, "weekly", 0)).toEqual({ header: ["bucket_start", "bucket_date", "weekly_active_users"], rows: [["2026-11-17T00:00:00.000Z", "2026-11-17", 90]] });
  });

  it("dates a bucket by the view's time zone, not by UTC", () => {
    // local midnight of 2 Nov in UTC+1 is 1 Nov 23:00 UTC
    const start = Date.UTC(2026, 10, 1, 23);
    const active = { ...REPORT.active, daily: { t: Float64Array.of(start), users: Float64Array.of(7) } };
    expect(activeUsersTable(active, "daily", 60).rows).toEqual([["2026-11-01T23:00:00.000Z", "2026-11-02", 7]]);
    // and in UTC-5, local midnight of 2 Nov is 05:00 UTC the same day
    expect(localDate(Date.UTC(2026, 10, 2, 5), -300)).toBe("2026-11-02");
  });

  it("reads stickiness as DAU ÷ MAU, undefined without monthly users", () => {
    expect(stickiness(REPORT.active)).toBe(0.25);
    expect(stickiness({ dau: 0, mau: 0 })).toBeNaN();
  });
});

describe("headline picks", () => {
  it("puts a significant winner with the largest lift first, then the experiment with most users", () => {
    expect(bestExperiment(REPORT.experiments)?.experiment).toBe("onboarding");
    expect(bestExperiment([experiment("a", "too-small", 0, 10), experiment("b", "no-difference", 0, 300)])?.experiment).toBe("b");
    expect(bestExperiment([experiment("a", "no-difference", 0, 900), experiment("loses", "worse", -0.2)])?.experiment).toBe("loses");
    expect(bestExperiment([])).toBeNull();
  });

  it("takes the most started funnel and its first-to-last conversion", () => {
    expect(topFunnel(REPORT.funnels)?.name).toBe("signup");
    expect(funnelConversion(REPORT.funnels[0]!)).toBeCloseTo(12 / 50);
    expect(funnelConversion(REPORT.funnels[2]!)).toBeNaN();
    expect(topFunnel([funnel("never", [0, 0])])).toBeNull();
  });
});

describe("statistics as read", () => {
  it("signs lifts, rounds p-values and states intervals in points", () => {
    expect(formatSignedPercent(0.123)).toBe("+12%");
    expect(formatSignedPercent(-0.034)).toBe("−3.4%");
    expect(formatSignedPercent(NaN)).toBe("—");
    expect(formatPValue(0.04567)).toBe("0.046");
    expect(formatPValue(0.0002)).toBe("< 0.001");
    expect(formatInterval([-0.012, 0.045])).toBe("−1.2 to +4.5 pts");
    expect(formatInterval([NaN, NaN])).toBe("—");
  });
});

describe("export tables", () => {
  it("summarises the headline cards", () => {
    expect(productSummaryTable(REPORT).rows).toEqual([
      ["track_events", 1200],
      ["users", 90],
      ["dau", 30],
      ["wau", 70],
      ["mau", 120],
      ["stickiness", 0.25],
    ]);
  });

  it("writes adoption with the trend in words and names as sent (the CSV writer neutralises formulas)", () => {
    expect(adoptionTable(REPORT.adoption)).toEqual({
      header: ["feature", "users", "share", "previous_share", "trend"],
      rows: [
        ["export", 45, 0.5, 0.4, "rising"],
        ["=cmd|' /C calc'!A0", 9, 0.1, NaN, "steady"],
      ],
    });
  });

  it("writes one row per variant with its experiment's goal and verdict", () => {
    const t = experimentsTable([REPORT.experiments[1]!]);
    expect(t.header).toEqual(["experiment", "goal", "variant", "control", "users", "conversions", "rate", "lift", "p_value", "ci95_low", "ci95_high", "verdict", "verdict_text"]);
    expect(t.rows[0]).toEqual(["onboarding", `track "signup"`, "control", "yes", 200, 20, 0.1, NaN, NaN, NaN, NaN, "better", "onboarding says better"]);
    expect(t.rows[1]!.slice(2, 4)).toEqual(["b", "no"]);
  });

  it("writes segments with their rule, and every segment has a rule", () => {
    expect(segmentsTable(REPORT.segments).rows[1]).toEqual(["power", 20, 20 / 90, 12, 8.7, SEGMENT_RULES.power]);
    for (const s of SEGMENT_ORDER) expect(SEGMENT_RULES[s]).toMatch(/\S/);
  });

  it("writes one row per funnel step, in order", () => {
    const t = funnelsTable([REPORT.funnels[0]!]);
    expect(t.rows.map((r) => [r[2], r[3], r[4], r[7]])).toEqual([
      ["step 1", 1, 50, 0],
      ["step 2", 2, 30, 20],
      ["step 3", 3, 12, 18],
    ]);
  });

  it("gives the Overview's rows, with nulls where there is no experiment or funnel", () => {
    const rows = productCardRows(REPORT, bestExperiment(REPORT.experiments), topFunnel(REPORT.funnels), 0.75);
    expect(Object.fromEntries(rows)).toMatchObject({ product_users: 90, dau: 30, best_experiment: "onboarding", best_experiment_verdict: "better", top_funnel: "signup", top_funnel_conversion: 0.75 });
    expect(Object.fromEntries(productCardRows(REPORT, null, null, NaN))).toMatchObject({ best_experiment: null, top_funnel: null, top_funnel_conversion: null });
  });
});

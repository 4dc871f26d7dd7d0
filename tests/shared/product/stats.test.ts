import { describe, expect, it } from "vitest";
import { erfc, normalCdf, twoProportionZTest, twoSidedP, waldInterval, Z95 } from "../../../shared/product/stats.ts";

describe("erfc and the normal CDF", () => {
  // reference values to 16 digits (Abramowitz & Stegun, Table 7.1, extended; any CAS gives the same)
  it.each([
    [0, 1],
    [0.1, 0.8875370839817151],
    [0.5, 0.4795001221869535],
    [1, 0.1572992070502851],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [4, 1.541725790028002e-8],
    [6, 2.151973671249892e-17],
    [10, 2.088487583762545e-45],
  ])("erfc(%d) to 1e-13 relative", (x, want) => {
    expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-13);
    expect(Math.abs(erfc(-x) - (2 - want))).toBeLessThan(1e-15);
  });

  it("is continuous where the series hands over to the continued fraction", () => {
    expect(Math.abs(erfc(3 - 1e-12) - erfc(3)) / erfc(3)).toBeLessThan(1e-10);
  });

  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145705],
    [2.5, 0.9937903346742238],
    [-3, 0.0013498980316300946],
    [-8, 6.22096057427178e-16],
  ])("Φ(%d)", (z, want) => {
    expect(Math.abs(normalCdf(z) - want)).toBeLessThan(1e-15 + 1e-12 * want);
  });

  it("puts 95% between ±1.959964", () => {
    expect(normalCdf(Z95) - normalCdf(-Z95)).toBeCloseTo(0.95, 7);
    expect(twoSidedP(Z95)).toBeCloseTo(0.05, 7);
    expect(twoSidedP(-Z95)).toBeCloseTo(0.05, 7);
  });
});

describe("two-proportion z-test", () => {
  it("matches Stat Trek's worked example", () => {
    // Stat Trek, "Hypothesis Test: Difference in Proportions", sample problem: 38% of 100 men and
    // 51% of 200 women; pooled p = 0.467, SE = 0.061, z = -2.13 (the page rounds each step),
    // two-tailed P-value 2·Φ(-2.13) ≈ 0.033
    const { z, p } = twoProportionZTest(38, 100, 102, 200);
    expect(z).toBeCloseTo(-2.13, 2);
    expect(p).toBeCloseTo(0.033, 3);
    // unrounded: se = √(140/300 · 160/300 · (1/100 + 1/200)) = 0.0611010, z = -0.13 / se = -2.127624
    expect(z).toBeCloseTo(-0.13 / Math.sqrt((140 / 300) * (160 / 300) * (1 / 100 + 1 / 200)), 12);
    expect(p).toBeCloseTo(0.033368, 6);
  });

  it("matches a case computed by hand", () => {
    // 60/100 vs 50/100: pooled 0.55, se = √(0.55 · 0.45 · 0.02) = √0.00495, z = 0.1 / se = 1.421338;
    // p = 2(1 − Φ(1.421338)) ≈ 2 · 0.077612 (table: Φ(1.42) = 0.92220, Φ(1.43) = 0.92364)
    const { z, p } = twoProportionZTest(60, 100, 50, 100);
    expect(z).toBeCloseTo(1.421338, 6);
    expect(p).toBeCloseTo(0.15522, 4);
    expect(twoProportionZTest(50, 100, 60, 100).z).toBeCloseTo(-1.421338, 6);
  });

  it("sees no difference when both rates are 0 or both are 1", () => {
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({ z: NaN, p: 1 });
    expect(twoProportionZTest(10, 10, 20, 20)).toEqual({ z: NaN, p: 1 });
  });
});

describe("Wald interval", () => {
  it("is diff ± 1.959964 · unpooled se", () => {
    // 0.6 − 0.5 = 0.1; se = √(0.24/100 + 0.25/100) = 0.07; half = 0.13719748
    const [lo, hi] = waldInterval(60, 100, 50, 100);
    expect(lo).toBeCloseTo(-0.03719748, 8);
    expect(hi).toBeCloseTo(0.23719748, 8);
  });

  it("collapses to the difference when neither rate varies", () => {
    expect(waldInterval(0, 40, 40, 40)).toEqual([-1, -1]);
  });
});

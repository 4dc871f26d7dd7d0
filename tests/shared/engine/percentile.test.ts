// Selection against a full sort: quickselect, the radix path for larger ranges, and their edge cases.
import { describe, expect, it } from "vitest";
import { QuantileScratch, quantilesOf } from "../../../shared/engine/percentile.ts";
import { selectKth } from "../../../shared/engine/select-kth.ts";
import { mulberry32, type Rand } from "./random.ts";
import { percentile } from "./reference.ts";

const QS = [0, 0.01, 0.25, 0.5, 0.95, 0.99, 1];

const DISTRIBUTIONS: Record<string, (rand: Rand) => number> = {
  lognormal: (r) => Math.round(Math.exp(3 + Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())) * 10) / 10,
  "few values": (r) => [1, 2, 2, 3, 1000][Math.floor(r() * 5)]!,
  "mixed signs": (r) => (r() - 0.5) * 1e6,
  "tiny and huge": (r) => (r() < 0.5 ? r() * 1e-300 : r() * 1e300) * (r() < 0.3 ? -1 : 1),
  constant: () => 42,
  "one outlier": (r) => (r() < 0.001 ? 1e12 : 5),
  integers: (r) => Math.floor(r() * 100) - 50,
};

describe("quantilesOf", () => {
  for (const [name, draw] of Object.entries(DISTRIBUTIONS)) {
    it.each([1, 2, 3, 17, 63, 64, 100, 255, 256, 1000, 1023, 1024, 5000, 70_000])(`matches a full sort for ${name}, n = %i`, (n) => {
      const rand = mulberry32(n * 31 + name.length);
      const values = Array.from({ length: n }, () => draw(rand));
      // a range inside a larger array, as groups are
      const a = Float64Array.from([NaN, NaN, ...values, NaN]);
      const out = QS.map(() => new Float64Array(1));
      quantilesOf(a, 2, 2 + n, QS, out, 0, new QuantileScratch());
      QS.forEach((q, i) => expect(out[i]![0], `q = ${q}`).toBe(percentile(values, q)));
      expect(Number.isNaN(a[0]!) && Number.isNaN(a[1]!) && Number.isNaN(a[n + 2]!)).toBe(true); // stays in its range
      expect([...a.subarray(2, 2 + n)].sort((x, y) => x - y)).toEqual([...values].sort((x, y) => x - y)); // a permutation
    });
  }

  it.each([2, 3, 4, 300, 5000])("takes quantiles in any order, close or equal, n = %i", (n) => {
    const rand = mulberry32(n);
    const values = Array.from({ length: n }, () => Math.floor(rand() * 50));
    const qs = [0.99, 0.5, 0.95, 0.951, 0.5, 0.9999, 0];
    const out = qs.map(() => new Float64Array(1));
    quantilesOf(Float64Array.from(values), 0, n, qs, out, 0, new QuantileScratch());
    qs.forEach((q, i) => expect(out[i]![0], `q = ${q}`).toBe(percentile(values, q)));
  });

  it("gives NaN for an empty range", () => {
    const out = [new Float64Array(1)];
    quantilesOf(new Float64Array(4), 2, 2, [0.5], out, 0, new QuantileScratch());
    expect(out[0]![0]).toBeNaN();
  });

  it("reuses one scratch across calls of any size", () => {
    const scratch = new QuantileScratch();
    const rand = mulberry32(5);
    for (const n of [5000, 300, 100_000, 1500]) {
      const values = Array.from({ length: n }, () => rand() * 100);
      const out = [new Float64Array(1), new Float64Array(1)];
      quantilesOf(Float64Array.from(values), 0, n, [0.5, 0.99], out, 0, scratch);
      expect([out[0]![0], out[1]![0]]).toEqual([percentile(values, 0.5), percentile(values, 0.99)]);
    }
  });
});

describe("selectKth", () => {
  it("puts the k-th smallest at k, nothing greater before, nothing smaller after", () => {
    const rand = mulberry32(9);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 300);
      const a = Float64Array.from({ length: n }, () => Math.floor(rand() * (trial % 2 ? 5 : 1000)));
      const sorted = [...a].sort((x, y) => x - y);
      const k = Math.floor(rand() * n);
      selectKth(a, 0, n, k);
      expect(a[k]).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(a[i]! <= a[k]!).toBe(true);
      for (let i = k + 1; i < n; i++) expect(a[i]! >= a[k]!).toBe(true);
    }
  });

  it("stays fast on sorted, reversed and organ-pipe input", () => {
    const n = 200_000;
    for (const make of [(i: number) => i, (i: number) => n - i, (i: number) => Math.min(i, n - i)]) {
      const a = Float64Array.from({ length: n }, (_, i) => make(i));
      const started = performance.now();
      selectKth(a, 0, n, n >> 1);
      expect(performance.now() - started).toBeLessThan(500);
      expect(a[n >> 1]).toBe([...Float64Array.from({ length: n }, (_, i) => make(i))].sort((x, y) => x - y)[n >> 1]);
    }
  });
});

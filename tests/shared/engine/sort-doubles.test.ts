// The radix sort of doubles against Float64Array's own sort, on the distributions percentiles see.
import { describe, expect, it } from "vitest";
import { sortDoubles } from "../../../shared/engine/sort-doubles.ts";
import { mulberry32, type Rand } from "./random.ts";

const DISTRIBUTIONS: Record<string, (rand: Rand) => number> = {
  lognormal: (r) => Math.round(Math.exp(3 + Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())) * 10) / 10,
  "mixed signs": (r) => (r() - 0.5) * 1e6,
  "zeros of both signs and infinities": (r) => [0, -0, 1, -1, Infinity, -Infinity, 5e-324, -5e-324][Math.floor(r() * 8)]!,
  "tiny and huge": (r) => (r() < 0.5 ? r() * 1e-300 : r() * 1e300) * (r() < 0.3 ? -1 : 1),
  "few values": (r) => [1, 2, 2, 3, 1000][Math.floor(r() * 5)]!,
  integers: (r) => Math.floor(r() * 100_000) - 50_000,
  constant: () => 42,
};

describe("sortDoubles", () => {
  for (const [name, draw] of Object.entries(DISTRIBUTIONS)) {
    it.each([0, 1, 100, 4095, 4096, 50_000])(`orders ${name} as the built-in sort does, n = %i`, (n) => {
      const rand = mulberry32(n + name.length);
      const values = Float64Array.from({ length: n }, () => draw(rand));
      const want = values.slice().sort();
      // inside a larger buffer, as groups' values are
      const buffer = new Float64Array(n + 4).fill(7);
      const view = buffer.subarray(2, 2 + n);
      view.set(values);
      expect(sortDoubles(view)).toBe(view);
      // Object.is per value, so -0 and 0 must land where the built-in sort puts them
      expect([...view].every((v, i) => Object.is(v, want[i]))).toBe(true);
      expect([buffer[0], buffer[1], buffer[n + 2], buffer[n + 3]]).toEqual([7, 7, 7, 7]);
    });
  }
});

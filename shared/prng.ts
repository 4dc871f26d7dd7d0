/**
 * A seeded pseudo-random generator for data that must come out the same every
 * time: demo workspaces, benchmark data, property tests. Deterministic, so it
 * keeps shared/ pure.
 */

/** mulberry32: tiny and fast, uniform in [0, 1); plenty for spreading sample data, not for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

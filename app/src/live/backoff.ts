/**
 * Reconnect delays for the live socket: exponential with full jitter (a
 * uniform pick between 0 and the capped exponential), which spreads the
 * reconnects of many tabs after an edge restart better than a jitter band.
 */

export const LIVE_BACKOFF_BASE_MS = 500;
export const LIVE_BACKOFF_CAP_MS = 30_000;

/** Delay before reconnect attempt `attempt` (1, 2, …): uniform in [0, min(cap, base · 2^(attempt−1))). */
export function fullJitterDelay(attempt: number, random: () => number = Math.random, base = LIVE_BACKOFF_BASE_MS, cap = LIVE_BACKOFF_CAP_MS): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

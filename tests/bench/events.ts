/**
 * Realistic `request` events for benches, from a seeded generator: the same
 * seed gives the same events, so two targets (and two runs) get the same work.
 * Ids are UUIDv7-shaped with a counter in them, so they never repeat.
 */
import type { WireEvent } from "../../shared/event.ts";
import { mulberry32 as prng } from "../../shared/prng.ts";


const RESOURCES = ["users", "orders", "products", "invoices", "payments", "carts", "sessions", "teams", "projects", "webhooks"];
/** 50 templated paths: 10 resources x 5 shapes. */
const ENDPOINTS = RESOURCES.flatMap((r) => [
  `/api/v1/${r}`,
  `/api/v1/${r}/{id}`,
  `/api/v1/${r}/{id}/events`,
  `/api/v1/${r}/{id}/members/{memberId}`,
  `/api/v1/${r}/search`,
]);
const METHODS = ["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "PATCH", "DELETE"];
const STATUSES = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201, 204, 304, 400, 401, 403, 404, 404, 409, 422, 429, 500, 502, 503];
const PROTOCOLS = ["http", "http", "http", "http", "http", "http", "grpc", "graphql", "websocket"];
const ENVS = ["production", "production", "production", "staging", "ci"];
const DAY_MS = 24 * 60 * 60 * 1000;

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function hex(n: number, width: number): string {
  return Math.floor(n).toString(16).padStart(width, "0").slice(-width);
}

/** UUIDv7 layout: ms time, version, random, variant, then a counter for uniqueness. */
function uuidv7(ms: number, rand: () => number, counter: number): string {
  const t = hex(ms, 12);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(rand() * 0x1000, 3)}-${hex(0x8000 + rand() * 0x4000, 4)}-${hex(rand() * 0x10000, 4)}${hex(counter, 8)}`;
}

export interface EventSource {
  /** `count` new events, never seen before from this source. */
  next(count: number): WireEvent[];
}

/** Events timed within the day before `now`. */
export function requestEvents(seed: number, now = Date.now()): EventSource {
  const rand = prng(seed);
  let counter = seed * 0x100000; // separate id spaces per seed
  return {
    next(count) {
      const out: WireEvent[] = [];
      for (let i = 0; i < count; i++) {
        const ts = Math.floor(now - rand() * DAY_MS);
        const method = pick(rand, METHODS);
        const endpoint = pick(rand, ENDPOINTS);
        const status = pick(rand, STATUSES);
        // long-tailed latency, as real APIs have
        const latency = Math.round(5 + 30 * Math.exp(rand() * rand() * 5) * (status >= 500 ? 3 : 1));
        out.push({
          id: uuidv7(ts, rand, counter++),
          ts: new Date(ts).toISOString(),
          type: "request",
          name: `${method} ${endpoint}`,
          props: {
            method,
            endpoint,
            status,
            latency_ms: latency,
            protocol: pick(rand, PROTOCOLS),
            env: pick(rand, ENVS),
            bytes_out: status === 204 || status === 304 ? 0 : Math.round(200 + rand() * rand() * 50_000),
          },
        });
      }
      return out;
    },
  };
}

/**
 * The demo workspace's events: two weeks of a storefront API's traffic, with a
 * daily rhythm, a quieter weekend, one slow deploy and one outage, two chaos
 * experiments (injected latency on checkout, payments, products and search;
 * injected errors on inventory, cart and recommendations; each fault a
 * `chaos` event), plus two CI test runs a day and the mocks' daily states
 * (coverage.ts), with the config that goes with them; a content platform's
 * generation jobs (jobs.ts) and the admin app's product events (product.ts).
 * Seeded, so every demo looks alike. Every event carries the prop
 * `demo: true`, so demo data is never mistaken for real traffic.
 */
import { mulberry32 } from "../../shared/prng.ts";
import { demoConfig, demoMocks, demoTests } from "./coverage.ts";
import { demoJobs } from "./jobs.ts";
import { DEMO_PRODUCT_CONFIG, demoProduct } from "./product.ts";

const ENDPOINTS: [method: string, path: string, weight: number, latency: number][] = [
  ["GET", "/api/products", 30, 45],
  ["GET", "/api/products/{id}", 40, 30],
  ["GET", "/api/search", 18, 120],
  ["GET", "/api/cart", 15, 25],
  ["POST", "/api/cart/items", 8, 60],
  ["DELETE", "/api/cart/items/{id}", 2, 40],
  ["POST", "/api/checkout", 4, 380],
  ["POST", "/api/payments", 3, 520],
  ["GET", "/api/orders", 5, 70],
  ["GET", "/api/orders/{id}", 6, 35],
  ["POST", "/api/auth/login", 5, 150],
  ["POST", "/api/auth/refresh", 7, 20],
  ["GET", "/api/users/{id}", 9, 28],
  ["PATCH", "/api/users/{id}", 1, 90],
  ["GET", "/api/recommendations", 10, 210],
  ["GET", "/api/inventory/{sku}", 6, 55],
];
const PROTOCOLS: [string, number][] = [["http", 70], ["graphql", 14], ["grpc", 10], ["websocket", 6]];
const ENVS: [string, number][] = [["production", 80], ["staging", 20]];

/** A chaos experiment: from `at` for `hours`, faults of one kind on some endpoints, each request hit with `share`. */
interface Experiment {
  name: string;
  fault: "latency" | "error";
  endpoints: string[];
  share: number;
  at: number;
  hours: number;
}

function pick<T>(rand: () => number, items: [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items[items.length - 1]![0];
}

/** Requests per hour at `t`: busy afternoons, quiet nights and weekends. */
function hourlyRate(t: Date): number {
  const hour = t.getUTCHours();
  const day = t.getUTCDay();
  const diurnal = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI));
  return 120 * diurnal * (day === 0 || day === 6 ? 0.45 : 1);
}

/** `hour` UTC on the day `daysBack` days before `now`, moved back to the Friday when that is a weekend. */
function busyHour(now: number, daysBack: number, hour: number): number {
  const dayMs = 24 * 3_600_000;
  let day = Math.floor(now / dayMs) - daysBack;
  while ([0, 6].includes(new Date(day * dayMs).getUTCDay())) day--;
  return day * dayMs + hour * 3_600_000;
}

export interface DemoOptions {
  /** The demo ends at this time, epoch ms. */
  now: number;
  days?: number;
  seed?: number;
}

/** Events in wire format, ids included. */
export function demoEvents({ now, days = 14, seed = 7 }: DemoOptions): Record<string, unknown>[] {
  const rand = mulberry32(seed);
  const events: Record<string, unknown>[] = [];
  const hourMs = 3_600_000;
  const start = Math.floor(now / hourMs) * hourMs - days * 24 * hourMs;
  const slowDeploy = start + Math.floor(days * 0.4) * 24 * hourMs + 14 * hourMs;
  const outage = start + Math.floor(days * 0.75) * 24 * hourMs + 10 * hourMs;
  const endpointWeights = ENDPOINTS.map((e, i) => [i, e[2]] as [number, number]);
  // in the last days, so the default last-7-days view shows both, at a weekday's busy hours
  const experiments: Experiment[] = [
    { name: "checkout-latency", fault: "latency", endpoints: ["/api/checkout", "/api/payments", "/api/products/{id}", "/api/search"], share: 0.5, at: busyHour(now, 3, 13), hours: 3 },
    { name: "inventory-errors", fault: "error", endpoints: ["/api/inventory/{sku}", "/api/cart/items", "/api/recommendations"], share: 0.6, at: busyHour(now, 1, 11), hours: 2 },
  ];
  let n = 0;
  const id = () => `demo-${seed}-${n++}`;

  for (let hour = start; hour < now; hour += hourMs) {
    const count = Math.round(hourlyRate(new Date(hour)) * (0.85 + rand() * 0.3));
    const slow = hour >= slowDeploy && hour < slowDeploy + 5 * hourMs;
    const down = hour >= outage && hour < outage + 2 * hourMs;
    for (let i = 0; i < count; i++) {
      const ts = hour + Math.floor(rand() * hourMs);
      if (ts >= now) continue;
      const [method, endpoint, , base] = ENDPOINTS[pick(rand, endpointWeights)]!;
      const lognormal = Math.exp((rand() + rand() + rand() - 1.5) * 0.9);
      let latency = Math.round(base * lognormal * (slow ? 3.5 : 1) * 10) / 10;
      const failed = rand() < (down && endpoint.startsWith("/api/payments") ? 0.6 : down ? 0.12 : 0.008);
      let status = failed ? pick(rand, [[500, 5], [502, 2], [503, 3]]) : rand() < 0.04 ? pick(rand, [[400, 3], [401, 2], [404, 4], [429, 1]]) : method === "POST" ? 201 : 200;
      const experiment = experiments.find((x) => ts >= x.at && ts < x.at + x.hours * hourMs && x.endpoints.includes(endpoint));
      if (experiment && rand() < experiment.share) {
        const delay = experiment.fault === "latency" ? Math.round(600 + rand() * 900) : 0;
        latency = Math.round((latency + delay) * 10) / 10;
        if (experiment.fault === "error") status = 503;
        const fault = experiment.fault === "latency" ? { delay_ms: delay } : { status: 503 };
        events.push({ id: id(), ts, type: "chaos", name: `${experiment.fault} injection`, props: { fault: experiment.fault, endpoint, method, experiment: experiment.name, ...fault, demo: true } });
      }
      events.push({
        id: id(),
        ts,
        type: "request",
        name: `${method} ${endpoint}`,
        props: {
          method,
          endpoint,
          path: endpoint.replace("{id}", String(1 + Math.floor(rand() * 900))).replace("{sku}", `SKU-${100 + Math.floor(rand() * 50)}`),
          status,
          latency_ms: latency,
          protocol: pick(rand, PROTOCOLS),
          env: pick(rand, ENVS),
          bytes_out: Math.round(400 + rand() * 9000),
          demo: true,
        },
      });
    }
  }

  // the CI side (coverage.ts): tests naming what they cover, and the mocks' daily states
  const ci = { endpoints: ENDPOINTS.map(([method, path]) => [method, path] as const), start, now, days, rand, id };
  events.push(...demoTests(ci), ...demoMocks(ci));
  // streams of their own, so adding jobs and product events left the traffic above as it was
  events.push(...demoJobs({ start, now, days, rand: mulberry32(seed * 7919 + 1), id, outage }));
  events.push(...demoProduct({ start, now, days, rand: mulberry32(seed * 7919 + 2), id }));
  return events.sort((a, b) => (a["ts"] as number) - (b["ts"] as number));
}

/** The config the demo workspace gets: its endpoint catalog, declared personas and scenarios, thresholds; the Product view's experiment goal and funnel. */
export function demoWorkspaceConfig(): ReturnType<typeof demoConfig> {
  return { ...demoConfig(ENDPOINTS.map(([method, path]) => [method, path] as const)), ...DEMO_PRODUCT_CONFIG };
}

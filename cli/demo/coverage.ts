/**
 * The demo workspace's CI side, so its Coverage & risk view has something to
 * say: the storefront's endpoint catalog with documented response codes (some
 * never tested), two CI runs a day whose tests name the endpoint, code,
 * scenario and persona they cover (a few flaky: failed, then passed on a
 * retry of the same commit), and each endpoint's mock reporting its state
 * daily (reality level, drift, breaking changes). Declared personas and
 * scenarios include ones nothing exercises, as real workspaces do.
 */
import type { WorkspaceConfig } from "../../shared/config.ts";

/** [method, path] of the demo's API, in the order generate.ts lists them. */
export type DemoEndpoint = readonly [method: string, path: string];

const SUITES = ["api-contract", "checkout-e2e", "auth"];
const SCENARIOS = ["happy-path", "empty-cart", "payment-declined", "out-of-stock", "expired-session"];
const PERSONAS = ["guest", "member", "admin"];

/** Documented codes: success first, then the errors the API documents. */
export function documentedCodes([method, path]: DemoEndpoint): number[] {
  const item = path.includes("{");
  if (path.startsWith("/api/auth")) return [200, 400, 401];
  if (method === "GET") return item ? [200, 404] : [200];
  if (method === "POST") return [201, 400, 401];
  if (method === "DELETE") return [204, 404];
  return [200, 400, 404];
}

/** The config the demo writes: catalog, declared personas and scenarios, thresholds. */
export function demoConfig(endpoints: readonly DemoEndpoint[]): WorkspaceConfig {
  return {
    endpoint_catalog: endpoints.map((e) => ({ method: e[0], endpoint: e[1], responses: documentedCodes(e) })),
    // "partner" and "gift-card" are declared but nothing exercises them: the view lists them
    personas: [...PERSONAS, "partner"],
    scenarios: [...SCENARIOS, "gift-card"],
    thresholds: { coverage_min: 80, drift_max: 20, stale_days: 7, high_drift: 0.5 },
  };
}

interface CiOptions {
  endpoints: readonly DemoEndpoint[];
  start: number;
  now: number;
  days: number;
  rand: () => number;
  id: () => string;
}

/** Two CI runs a day: per suite and endpoint (70% of them) a test covering one documented code. */
export function demoTests({ endpoints, start, now, days, rand, id }: CiOptions): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const dayMs = 86_400_000;
  for (let day = 0; day < days; day++) {
    for (const runHour of [9, 16]) {
      const ts = start + day * dayMs + runHour * 3_600_000;
      if (ts >= now) continue;
      const run = `run-${day * 2 + (runHour === 9 ? 0 : 1)}`;
      const commit = `c0ffee${(day * 2 + (runHour === 9 ? 0 : 1)).toString(16).padStart(4, "0")}`;
      endpoints.forEach((endpoint, e) => {
        const [method, path] = endpoint;
        const codes = documentedCodes(endpoint);
        SUITES.forEach((suite, s) => {
          if (rand() < 0.3) return;
          // the last documented code of every third endpoint is never tested: coverage stays short of the catalog
          const testable = e % 3 === 0 && codes.length > 1 ? codes.slice(0, -1) : codes;
          const response = testable[(s + day) % testable.length]!;
          const status = rand() < 0.05 ? "failed" : rand() < 0.03 ? "skipped" : "passed";
          const at = ts + Math.floor(rand() * 600_000);
          const props = {
            suite,
            duration_ms: Math.round(20 + rand() * 900),
            endpoint: path,
            method,
            response,
            scenario: SCENARIOS[(e + s) % SCENARIOS.length]!,
            persona: PERSONAS[(e + day) % PERSONAS.length]!,
            ci: "github-actions",
            run,
            branch: "main",
            commit,
            demo: true,
          };
          const name = `${suite} › ${method} ${path} ${response}`;
          events.push({ id: id(), ts: at, type: "test", name, props: { ...props, status, attempt: 1 } });
          // a failure retried on the same commit now and then passes: that test is flaky
          if (status === "failed" && rand() < 0.5) events.push({ id: id(), ts: at + 30_000, type: "test", name, props: { ...props, status: "passed", attempt: 2 } });
        });
      });
    }
  }
  return events;
}

/** Each endpoint's mock, reporting its state once a day; a few drift, one has a breaking change, some are rarely re-recorded. */
export function demoMocks({ endpoints, start, now, days, id }: Omit<CiOptions, "rand">): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  endpoints.forEach(([method, path], e) => {
    let level = 1 + (e % 5);
    // every fourth mock was last re-recorded at the start: it goes stale
    const recordedEvery = e % 4 === 0 ? days + 1 : 3 + (e % 4);
    for (let day = 0; day < days; day++) {
      const ts = start + day * 86_400_000 + 6 * 3_600_000 + e * 60_000;
      if (ts >= now) continue;
      if (day > 0 && day % recordedEvery === 0 && level < 5) level++;
      // mocks start drifting on different days, some growing past high drift: the trend climbs
      const since = (e * 5) % days;
      const drift = e % 3 === 1 && day >= since ? Math.round((0.05 + (day - since) * 0.06) * 100) / 100 : 0;
      events.push({
        id: id(),
        ts,
        type: "mock",
        name: `mock ${method} ${path}`,
        props: { endpoint: path, method, reality_level: level, drift: Math.min(drift, 0.9), breaking_changes: e === 6 && day >= days - 3 ? 1 : 0, demo: true },
      });
    }
  });
  return events;
}

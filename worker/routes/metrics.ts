/**
 * `GET /api/v1/workspaces/:id/metrics`: the workspace's totals in the
 * Prometheus text format, for scraping. Counters count every event stored so
 * far, as of the scrape: events deleted by retention stay counted, so a
 * counter never goes down and `rate()` sees no false resets.
 */
import type { IRequest } from "itty-router";
import { EVENT_TYPES } from "../../shared/event.ts";
import { requireToken } from "../auth.ts";
import { LATENCY_BOUNDS, readMetrics, type MetricRows } from "../db/metrics.ts";
import { Counter, Gauge, Histogram, PROMETHEUS_CONTENT_TYPE, renderMetrics, type AnyMetric } from "../prometheus.ts";

/** The metrics of one scrape, from the rows SQL summed. */
export function toMetrics(rows: MetricRows): AnyMetric[] {
  const events = new Counter("tally_events_total", "Events stored, by type; events deleted by retention stay counted.", ["type"]);
  // every type from the start, so rate() sees the first events of a type too
  for (const type of EVENT_TYPES) events.add([type], 0);
  for (const r of rows.eventsByType) events.add([r.type], r.n);

  const requests = new Counter("tally_requests_total", "Request events, by endpoint, method, status and protocol.", ["endpoint", "method", "status", "protocol"]);
  const errors = new Counter("tally_request_errors_total", "Request events with status 500 or above.", ["endpoint", "method", "protocol"]);
  const latency = new Histogram(
    "tally_request_latency_ms",
    "Latency of request events (latency_ms), by endpoint; requests without a numeric latency_ms are left out.",
    ["endpoint"],
    LATENCY_BOUNDS,
  );
  for (const { labels: l, totals: t } of rows.request) {
    requests.add([l.endpoint, l.method, l.status, l.protocol], t.n);
    errors.add([l.endpoint, l.method, l.protocol], t.errors);
    latency.add([l.endpoint], t.buckets, t.valueCount, t.valueSum);
  }

  const tests = new Counter("tally_tests_total", "Test events, by suite and status.", ["suite", "status"]);
  for (const { labels: l, totals: t } of rows.test) tests.add([l.suite, l.status], t.n);

  const jobs = new Counter("tally_jobs_total", "Job events, by status.", ["status"]);
  const cost = new Counter("tally_job_cost_usd_total", "Sum of cost_usd over job events, by provider.", ["provider"]);
  for (const { labels: l, totals: t } of rows.job) {
    jobs.add([l.status], t.n);
    cost.add([l.provider], t.valueSum);
  }

  const drift = new Gauge("tally_mock_drift", "Drift (0-1) of each mock as its latest mock event reports it, by endpoint and method.", ["endpoint", "method"]);
  for (const m of rows.mockDrift) drift.set([m.endpoint, m.method], m.drift);

  return [events, requests, errors, latency, tests, jobs, cost, drift];
}

export async function getMetrics(request: IRequest, env: Env): Promise<Response> {
  const workspaceId = request.params["id"]!;
  // The Authorization header comes first (Prometheus sets it with
  // `authorization.credentials`); `?token=` is for scrapers that cannot set
  // headers, and takes read tokens only, since URLs end up in logs.
  const query = new URL(request.url).searchParams.get("token");
  const fromQuery = query !== null && !request.headers.has("Authorization");
  await requireToken(request, env, workspaceId, fromQuery ? ["read"] : ["read", "admin"], Date.now(), fromQuery ? query : undefined);
  const text = renderMetrics(toMetrics(await readMetrics(env.DB, workspaceId)));
  return new Response(text, { headers: { "Content-Type": PROMETHEUS_CONTENT_TYPE } });
}

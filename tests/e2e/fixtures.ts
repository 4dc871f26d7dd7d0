/**
 * A workspace for browser tests, made and filled through the public API, and
 * the numbers the Traffic view must show, computed from the events the API
 * serves back with the engine's plain reference implementation.
 */
import type { StoredEvent } from "../../shared/event.ts";
import type { CreateWorkspaceResponse, IngestResponse, PullResponse } from "../../shared/wire.ts";
import { referenceQuery } from "../shared/engine/reference.ts";

export interface SeededWorkspace {
  id: string;
  read: string;
  write: string;
  admin: string;
  events: StoredEvent[];
}

async function call<T>(url: string, init: RequestInit & { token: string }): Promise<T> {
  const res = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${init.token}` } });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** `n` request events over the last two hours, with known error and latency patterns, and a few test events. */
export function trafficEvents(n: number, now: number): Record<string, unknown>[] {
  const protocols = ["http", "grpc", "graphql", "websocket"];
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const status = i % 25 === 0 ? 503 : i % 10 === 0 ? 404 : 200;
    events.push({
      id: `e2e-${i}`,
      ts: now - 7_000_000 + Math.floor((i * 7_000_000) / n),
      type: "request",
      name: `GET /api/items/${i % 12}`,
      props: { method: i % 7 === 0 ? "POST" : "GET", endpoint: `/api/items/${i % 12}`, status, latency_ms: ((i * 37) % 1000) + 0.5, protocol: protocols[i % 4]!, env: i % 3 ? "prod" : "staging" },
    });
  }
  for (let i = 0; i < 20; i++) events.push({ id: `e2e-test-${i}`, ts: now - 60_000 * i, type: "test", name: `suite › case ${i}`, props: { status: "passed" } });
  return events;
}

export async function seedWorkspace(url: string, adminSecret: string, events: Record<string, unknown>[]): Promise<SeededWorkspace> {
  const created = await call<CreateWorkspaceResponse>(`${url}/api/v1/workspaces`, {
    method: "POST",
    token: adminSecret,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "E2E <b>shop</b>" }),
  });
  const ws = created.workspace.id;
  for (let i = 0; i < events.length; i += 1000) {
    const r = await call<IngestResponse>(`${url}/api/v1/workspaces/${ws}/events`, {
      method: "POST",
      token: created.tokens.write.token,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ events: events.slice(i, i + 1000) }),
    });
    if (r.rejected > 0) throw new Error(`seed rejected: ${JSON.stringify(r.rejections.slice(0, 3))}`);
  }
  return { id: ws, read: created.tokens.read.token, write: created.tokens.write.token, admin: created.tokens.admin.token, events: await pullAll(url, ws, created.tokens.read.token) };
}

export async function pullAll(url: string, ws: string, token: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await call<PullResponse>(`${url}/api/v1/workspaces/${ws}/events?after=${after}`, { token });
    all.push(...page.events);
    after = page.next;
    if (!page.more) return all;
  }
}

/** The Traffic cards as the reference computes them over the API's events. */
export function expectedCards(events: StoredEvent[]): { requests: number; errorRate: number; p50: number; p95: number; p99: number } {
  const latency = { prop: "latency_ms" };
  const result = referenceQuery(events, {
    types: ["request"],
    measures: [{ fn: "count" }, { fn: "rate", where: [{ dim: { prop: "status" }, min: 500 }] }, { fn: "p50", of: latency }, { fn: "p95", of: latency }, { fn: "p99", of: latency }],
  });
  const [requests, errorRate, p50, p95, p99] = result.measures.map((m) => m[0]!);
  return { requests: requests!, errorRate: errorRate!, p50: p50!, p95: p95!, p99: p99! };
}

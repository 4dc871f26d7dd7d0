// Small factories for worker tests: requests through the Worker's own fetch,
// and workspaces made through the public API.
import { exports } from "cloudflare:workers";
import type { CreateWorkspaceResponse, ErrorBody, IngestResponse, PullResponse } from "../../shared/wire.ts";

export const ADMIN_SECRET = "test-admin-secret-0123456789abcdef";
export const BASE = "http://tally.test";

export function api(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set("Authorization", `Bearer ${init.token}`);
  return exports.default.fetch(new Request(BASE + path, { ...init, headers }));
}

export async function createWorkspace(name = "test"): Promise<CreateWorkspaceResponse> {
  const res = await api("/api/v1/workspaces", {
    method: "POST",
    token: ADMIN_SECRET,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`workspace create failed: ${res.status} ${await res.text()}`);
  return res.json();
}

export function postJson(ws: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return api(`/api/v1/workspaces/${ws}/events`, {
    method: "POST",
    token,
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function ingest(ws: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<IngestResponse> {
  const res = await postJson(ws, token, body, headers);
  if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function pull(ws: string, token: string, query = ""): Promise<PullResponse> {
  const res = await api(`/api/v1/workspaces/${ws}/events${query}`, { token });
  if (res.status !== 200) throw new Error(`pull failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Pulls every page and returns all events. */
export async function pullAll(ws: string, token: string, limit = 5000): Promise<PullResponse["events"]> {
  const all: PullResponse["events"] = [];
  let after = 0;
  for (;;) {
    const page = await pull(ws, token, `?after=${after}&limit=${limit}`);
    all.push(...page.events);
    after = page.next;
    if (!page.more) return all;
  }
}

export async function errorOf(res: Response): Promise<ErrorBody["error"] & { status: number }> {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, ...body.error };
}

let counter = 0;
/** A valid request event; ids are unique per call unless given. */
export function requestEvent(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    id: `evt-${counter}-${Math.random().toString(36).slice(2)}`,
    ts: "2026-11-20T10:00:00Z",
    type: "request",
    name: "GET /api/users/{id}",
    props: { method: "GET", endpoint: "/api/users/{id}", status: 200, latency_ms: 41, protocol: "http" },
    ...overrides,
  };
}

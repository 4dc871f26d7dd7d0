// Small factories for worker tests: requests through the Worker's own fetch,
// workspaces and tokens made through the public API, and direct reads of D1 to
// check what a request stored (or did not).
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { CreateTokenResponse, CreateWorkspaceResponse, ErrorBody, IngestResponse, IssuedToken, PullResponse, TokenKind } from "../../shared/wire.ts";

export const ADMIN_SECRET = "test-admin-secret-0123456789abcdef";
export const BASE = "http://tally.test";
export const ALLOWED_ORIGIN = "http://localhost:8787";

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

/** A workspace's id and its three first tokens, flattened for brevity. */
export interface Ws {
  id: string;
  admin: string;
  write: string;
  read: string;
  created: CreateWorkspaceResponse;
}

export async function workspace(name = "test"): Promise<Ws> {
  const created = await createWorkspace(name);
  const { admin, write, read } = created.tokens;
  return { id: created.workspace.id, admin: admin.token, write: write.token, read: read.token, created };
}

export async function createToken(ws: Ws, body: { kind: TokenKind; label: string; expires_at?: string | number }): Promise<IssuedToken> {
  const res = await api(`/api/v1/workspaces/${ws.id}/tokens`, {
    method: "POST",
    token: ws.admin,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`token create failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as CreateTokenResponse).token;
}

export function postJson(ws: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return api(`/api/v1/workspaces/${ws}/events`, {
    method: "POST",
    token,
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Posts any body with exactly the headers given: no Content-Type is added. */
export function postRaw(ws: string, token: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return api(`/api/v1/workspaces/${ws}/events`, { method: "POST", token, headers, body });
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

/** Asserts a response is the error envelope with this status and code, and returns the error. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody["error"]> {
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  const body = (await res.json()) as ErrorBody;
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "details", "message"]);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

/** Every stored row of a workspace's log, straight from D1, in seq order. */
export async function storedRows(ws: string): Promise<Record<string, unknown>[]> {
  const { results } = await env.DB.prepare("SELECT * FROM events WHERE workspace_id = ?1 ORDER BY seq").bind(ws).all();
  return results;
}

export async function countEvents(ws: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM events WHERE workspace_id = ?1").bind(ws).first<{ n: number }>();
  return row!.n;
}

/** Every token row of a workspace, straight from D1. */
export async function tokenRows(ws: string): Promise<Record<string, unknown>[]> {
  const { results } = await env.DB.prepare("SELECT * FROM tokens WHERE workspace_id = ?1 ORDER BY id").bind(ws).all();
  return results;
}

/** Everything a request could change in a workspace: its row, its tokens, its events. */
export async function snapshot(ws: string): Promise<unknown> {
  const row = await env.DB.prepare("SELECT * FROM workspaces WHERE id = ?1").bind(ws).first();
  return { row, tokens: await tokenRows(ws), events: await storedRows(ws) };
}

export async function gzip(data: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Incompressible bytes; getRandomValues fills at most 64 KiB per call. */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A body stream with no Content-Length, as a chunked upload arrives. */
export function chunked(bytes: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

/** `n` valid request events; `make` may override fields per index. */
export function requestEvents(n: number, make: (i: number) => Record<string, unknown> = () => ({})) {
  return Array.from({ length: n }, (_, i) => requestEvent(make(i)));
}

/** How a live client sends its token: the query parameter, or the subprotocol a browser would use. */
export type LiveAuth = "query" | "protocol";

/** `GET /live` as a WebSocket upgrade (unless `upgrade` is false), with the token sent as `auth` says. */
export function liveRequest(ws: string, token: string | undefined, options: { auth?: LiveAuth; protocols?: string[]; upgrade?: boolean } = {}): Promise<Response> {
  const { auth = "query", upgrade = true } = options;
  const protocols = [...(options.protocols ?? ["tally.v1"])];
  const query = token !== undefined && auth === "query" ? `?token=${encodeURIComponent(token)}` : "";
  if (token !== undefined && auth === "protocol") protocols.push(`tally.token.${token}`);
  const headers = new Headers(upgrade ? { Upgrade: "websocket" } : {});
  if (protocols.length > 0) headers.set("Sec-WebSocket-Protocol", protocols.join(", "));
  return api(`/api/v1/workspaces/${ws}/live${query}`, { headers });
}

/** The client end of a live socket: every frame it received, in order, and how it closed. */
export interface LiveClient {
  socket: WebSocket;
  /** The next frame not yet taken, parsed as a live message; fails after `ms`. */
  next(ms?: number): Promise<import("../../shared/wire.ts").LiveMessage>;
  /** The next frame not yet taken, as text. */
  nextText(ms?: number): Promise<string>;
  /** Frames received and not yet taken. */
  pending(): string[];
  /** Resolves once the socket is closed, with the server's code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  isClosed(): boolean;
}

/** Accepts the client end of an upgraded response and starts collecting its frames. */
export function liveClient(res: Response): LiveClient {
  const socket = res.webSocket;
  if (res.status !== 101 || !socket) throw new Error(`expected a WebSocket upgrade, got ${res.status}`);
  const frames: string[] = [];
  const waiters: (() => void)[] = [];
  let closedFlag = false;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.addEventListener("close", (e) => {
      closedFlag = true;
      resolve({ code: e.code, reason: e.reason });
      for (const w of waiters.splice(0)) w();
    });
  });
  socket.addEventListener("message", (e) => {
    frames.push(typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data as ArrayBuffer));
    for (const w of waiters.splice(0)) w();
  });
  socket.accept();
  const nextText = async (ms = 2_000): Promise<string> => {
    const deadline = Date.now() + ms;
    while (frames.length === 0) {
      if (closedFlag) throw new Error("socket closed while waiting for a frame");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${ms} ms`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
    return frames.shift()!;
  };
  return {
    socket,
    nextText,
    next: async (ms) => JSON.parse(await nextText(ms)) as import("../../shared/wire.ts").LiveMessage,
    pending: () => [...frames],
    closed,
    isClosed: () => closedFlag,
  };
}

/** Opens a live socket and takes its hello. */
export async function connectLive(ws: string, token: string, auth: LiveAuth = "query"): Promise<{ client: LiveClient; hello: import("../../shared/wire.ts").LiveHelloMessage }> {
  const client = liveClient(await liveRequest(ws, token, { auth }));
  const hello = await client.next();
  if (hello.type !== "hello") throw new Error(`expected hello first, got ${JSON.stringify(hello).slice(0, 200)}`);
  return { client, hello };
}

/** The workspace's live hub, for runInDurableObject and direct RPC. */
export function hubStub(ws: string): DurableObjectStub<import("../../worker/live-hub.ts").LiveHub> {
  return env.LIVE.get(env.LIVE.idFromName(ws));
}

/** `PATCH /config` with a JSON body, as an admin unless another token is given. */
export function patchConfigRequest(ws: Ws, body: unknown, token = ws.admin): Promise<Response> {
  return api(`/api/v1/workspaces/${ws.id}/config`, {
    method: "PATCH",
    token,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Writes config keys and returns the answer; fails the test unless it is 200. */
export async function patchConfig(ws: Ws, set: Record<string, unknown>, baseVersions?: Record<string, number>): Promise<import("../../shared/wire.ts").ConfigPatchResponse> {
  const res = await patchConfigRequest(ws, baseVersions ? { set, base_versions: baseVersions } : { set });
  if (res.status !== 200) throw new Error(`config patch failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Every config row of a workspace, straight from D1. */
export async function configRows(ws: string): Promise<Record<string, unknown>[]> {
  const { results } = await env.DB.prepare("SELECT * FROM workspace_config WHERE workspace_id = ?1 ORDER BY key").bind(ws).all();
  return results;
}

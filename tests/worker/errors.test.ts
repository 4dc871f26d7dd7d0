// What every response shares: the error envelope, unknown routes, security
// headers, and CORS for the app's origins only.
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index.ts";
import { ALLOWED_ORIGIN, api, BASE, createToken, expectError, postJson, postRaw, requestEvent, requestEvents, workspace, type Ws } from "./helpers.ts";

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "cross-origin-resource-policy": "same-site",
  "cache-control": "no-store",
};

function expectSecurityHeaders(res: Response) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
  expect(res.headers.get("vary")).toMatch(/\bOrigin\b/);
}

const CORS_HEADERS = ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers", "access-control-max-age", "access-control-expose-headers", "access-control-allow-credentials"];
const corsOf = (res: Response) => Object.fromEntries(CORS_HEADERS.map((h) => [h, res.headers.get(h)]).filter(([, v]) => v !== null));

/** A database whose every query fails: the way to reach the generic 500. */
const brokenDb = {
  prepare() {
    throw new Error("D1 is down: secret internals");
  },
} as unknown as D1Database;

function withBrokenDb(request: Request): Promise<Response> {
  const incoming = request as Request<unknown, IncomingRequestCfProperties>;
  return worker.fetch(incoming, { ...env, DB: brokenDb }, createExecutionContext());
}

afterEach(() => vi.restoreAllMocks());

/** One request for every error the API gives, with its status and code. */
const FAILURES: [string, (ws: Ws) => Promise<Response>, number, string][] = [
  ["400 invalid_body", (ws) => postJson(ws.id, ws.write, "{"), 400, "invalid_body"],
  ["400 invalid_events", (ws) => postJson(ws.id, ws.write, [{ type: "nope" }]), 400, "invalid_events"],
  ["400 empty_batch", (ws) => postJson(ws.id, ws.write, []), 400, "empty_batch"],
  ["400 invalid_gzip", (ws) => postRaw(ws.id, ws.write, "[]", { "Content-Type": "application/json", "Content-Encoding": "gzip" }), 400, "invalid_gzip"],
  ["400 invalid_cursor", (ws) => api(`/api/v1/workspaces/${ws.id}/events?limit=x`, { token: ws.read }), 400, "invalid_cursor"],
  ["400 invalid_header", (ws) => postJson(ws.id, ws.write, [requestEvent()], { "Idempotency-Key": "k".repeat(300) }), 400, "invalid_header"],
  ["400 invalid_json", (ws) => api(`/api/v1/workspaces/${ws.id}/tokens`, { method: "POST", token: ws.admin, headers: { "Content-Type": "application/json" }, body: "{" }), 400, "invalid_json"],
  ["401 missing_token", (ws) => api(`/api/v1/workspaces/${ws.id}`), 401, "missing_token"],
  ["401 invalid_token", (ws) => api(`/api/v1/workspaces/${ws.id}`, { token: "nope" }), 401, "invalid_token"],
  ["403 insufficient_scope", (ws) => api(`/api/v1/workspaces/${ws.id}/tokens`, { token: ws.read }), 403, "insufficient_scope"],
  ["404 not_found", (ws) => api(`/api/v1/workspaces/${ws.id}/tokens/tok_x`, { method: "DELETE", token: ws.admin }), 404, "not_found"],
  ["409 last_admin_token", (ws) => api(`/api/v1/workspaces/${ws.id}/tokens/${ws.created.tokens.admin.id}`, { method: "DELETE", token: ws.admin }), 409, "last_admin_token"],
  ["413 body_too_large", (ws) => postJson(ws.id, ws.write, " ".repeat(1_000_001)), 413, "body_too_large"],
  ["413 batch_too_large", (ws) => postJson(ws.id, ws.write, requestEvents(1001)), 413, "batch_too_large"],
  ["415 unsupported_media_type", (ws) => postRaw(ws.id, ws.write, "[]", { "Content-Type": "text/csv" }), 415, "unsupported_media_type"],
  ["415 unsupported_encoding", (ws) => postRaw(ws.id, ws.write, "[]", { "Content-Type": "application/json", "Content-Encoding": "zstd" }), 415, "unsupported_encoding"],
];

describe("the error envelope", () => {
  it.each(FAILURES)("%s has exactly { error: { code, message, details } } and the security headers", async (_, request, status, code) => {
    const ws = await workspace();
    const res = await request(ws);
    expectSecurityHeaders(res);
    await expectError(res, status, code);
  });

  it("gives details as null where there are none, and as data where there are", async () => {
    const ws = await workspace();
    expect((await expectError(await api(`/api/v1/workspaces/${ws.id}`), 401, "missing_token")).details).toBeNull();
    expect((await expectError(await postJson(ws.id, ws.write, requestEvents(1001)), 413, "batch_too_large")).details).toEqual({ limit: 1000 });
  });

  it("hides an unexpected failure behind a generic 500, logs it, and keeps the headers", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const ws = await workspace();
    const res = await withBrokenDb(new Request(`${BASE}/api/v1/workspaces/${ws.id}`, { headers: { Authorization: `Bearer ${ws.read}`, Origin: ALLOWED_ORIGIN } }));
    expectSecurityHeaders(res);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    const error = await expectError(res, 500, "internal");
    expect(error).toEqual({ code: "internal", message: "internal error; the request may be retried", details: null });
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![1])).toContain("D1 is down");
  });
});

describe("unknown routes", () => {
  it.each([
    ["GET", "/api/v1/nothing"],
    ["GET", "/api/v2/workspaces"],
    ["PUT", "/api/v1/workspaces"],
    ["PATCH", "/api/v1/workspaces/ws_1"],
    ["DELETE", "/api/v1/workspaces/ws_1/events"],
    ["POST", "/api/v1/workspaces/ws_1/tokens/tok_1"],
    ["GET", "/api/v1/workspaces/ws_1/events/extra"],
  ])("answer %s %s with a 404 envelope naming the route", async (method, path) => {
    const res = await api(path, { method });
    expectSecurityHeaders(res);
    const error = await expectError(res, 404, "not_found");
    expect(error.message).toBe(`no route for ${method} ${path}`);
  });

  it("answers a path outside /api with a 404 envelope too", async () => {
    const res = await api("/no-such-page");
    expectSecurityHeaders(res);
    expect((await expectError(res, 404, "not_found")).message).toBe("not found");
  });
});

describe("security headers on success", () => {
  it("are on every successful response", async () => {
    const ws = await workspace();
    const write = await createToken(ws, { kind: "write", label: "ci" });
    const responses = [
      await api("/api/v1/workspaces", { method: "POST", token: "test-admin-secret-0123456789abcdef" }),
      await api(`/api/v1/workspaces/${ws.id}`, { token: ws.read }),
      await api(`/api/v1/workspaces/${ws.id}/tokens`, { token: ws.admin }),
      await api(`/api/v1/workspaces/${ws.id}/tokens/${write.id}`, { method: "DELETE", token: ws.admin }),
      await postJson(ws.id, ws.write, [requestEvent()]),
      await api(`/api/v1/workspaces/${ws.id}/events`, { token: ws.read }),
      await api(`/api/v1/workspaces/${ws.id}/events`, { method: "OPTIONS", headers: { Origin: ALLOWED_ORIGIN } }),
    ];
    expect(responses.map((r) => r.status)).toEqual([201, 200, 200, 200, 200, 200, 204]);
    for (const res of responses) expectSecurityHeaders(res);
  });
});

describe("CORS", () => {
  const preflight = (origin?: string) =>
    api("/api/v1/workspaces/ws_1/events", {
      method: "OPTIONS",
      headers: { ...(origin ? { Origin: origin } : {}), "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type, content-encoding, idempotency-key" },
    });

  it.each([ALLOWED_ORIGIN, "http://127.0.0.1:8787"])("answers a preflight from %s with the allow headers", async (origin) => {
    const res = await preflight(origin);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(corsOf(res)).toEqual({
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers": "Authorization, Content-Type, Content-Encoding, Idempotency-Key",
      "access-control-max-age": "86400",
      "access-control-expose-headers": "Retry-After",
    });
    expectSecurityHeaders(res);
  });

  it.each(["http://evil.test", "https://localhost:8787", "http://localhost:87870", "http://localhost:8787.evil.test", "null", undefined])(
    "gives a preflight from %s no CORS headers at all",
    async (origin) => {
      const res = await preflight(origin);
      expect(res.status).toBe(204);
      expect(corsOf(res)).toEqual({});
      expectSecurityHeaders(res);
    },
  );

  it("lets the app's origin read successes and errors, and no other origin", async () => {
    const ws = await workspace();
    const from = (origin: string) => [
      api(`/api/v1/workspaces/${ws.id}/events`, { token: ws.read, headers: { Origin: origin } }),
      api(`/api/v1/workspaces/${ws.id}/events`, { token: ws.write, headers: { Origin: origin } }),
      api("/api/v1/nowhere", { headers: { Origin: origin } }),
    ];
    const allowed = await Promise.all(from(ALLOWED_ORIGIN));
    expect(allowed.map((r) => r.status)).toEqual([200, 403, 404]);
    for (const res of allowed) expect(corsOf(res)).toEqual({ "access-control-allow-origin": ALLOWED_ORIGIN, "access-control-expose-headers": "Retry-After" });
    const foreign = await Promise.all(from("http://evil.test"));
    expect(foreign.map((r) => r.status)).toEqual([200, 403, 404]);
    for (const res of foreign) expect(corsOf(res)).toEqual({});
  });
});

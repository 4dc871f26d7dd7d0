// Workspaces: creation with the instance admin secret, first tokens, reading one back.
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index.ts";
import { sha256Hex } from "../../worker/auth.ts";
import type { CreateWorkspaceResponse, WorkspaceInfo } from "../../shared/wire.ts";
import { ADMIN_SECRET, api, expectError, tokenRows, workspace } from "./helpers.ts";

const TOKEN = { admin: /^tly_a_[A-Za-z0-9]{32}$/, write: /^tly_w_[A-Za-z0-9]{32}$/, read: /^tly_r_[A-Za-z0-9]{32}$/ };

function create(body: string | undefined, init: { token?: string; type?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.type !== undefined) headers["Content-Type"] = init.type;
  return api("/api/v1/workspaces", { method: "POST", token: init.token ?? ADMIN_SECRET, headers, body });
}

async function workspaceCount(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM workspaces").first<{ n: number }>())!.n;
}

describe("POST /api/v1/workspaces", () => {
  it("creates a workspace with one token of each kind, shown once and stored only as a hash", async () => {
    const before = Date.now();
    const res = await create(JSON.stringify({ name: "payments-api" }), { type: "application/json" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as CreateWorkspaceResponse;

    expect(body.workspace).toEqual({ id: expect.stringMatching(/^ws_[0-9a-f]{20}$/), name: "payments-api", demo: false, created_at: expect.any(String) });
    const created = Date.parse(body.workspace.created_at);
    expect(created).toBeGreaterThanOrEqual(before);
    expect(created).toBeLessThanOrEqual(Date.now());

    expect(Object.keys(body.tokens).sort()).toEqual(["admin", "read", "write"]);
    for (const kind of ["admin", "write", "read"] as const) {
      const t = body.tokens[kind];
      expect(t).toEqual({
        id: expect.stringMatching(/^tok_[0-9a-f]{16}$/),
        kind,
        label: `first ${kind} token`,
        created_at: body.workspace.created_at,
        expires_at: null,
        revoked_at: null,
        token: expect.stringMatching(TOKEN[kind]),
      });
    }

    const rows = await tokenRows(body.workspace.id);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const issued = body.tokens[row["kind"] as "admin" | "write" | "read"];
      expect(row["id"]).toBe(issued.id);
      expect(row["hash"]).toBe(await sha256Hex(issued.token));
      // the secret itself is in no column
      expect(Object.values(row)).not.toContain(issued.token);
    }
  });

  it("makes every token and workspace id unique", async () => {
    const [a, b] = await Promise.all([workspace(), workspace()]);
    const secrets = [a.admin, a.write, a.read, b.admin, b.write, b.read];
    expect(new Set(secrets).size).toBe(6);
    expect(a.id).not.toBe(b.id);
  });

  it("names an unnamed workspace and stores the demo flag", async () => {
    const res = await create(undefined);
    expect(res.status).toBe(201);
    expect(((await res.json()) as CreateWorkspaceResponse).workspace).toMatchObject({ name: "Untitled workspace", demo: false });

    const demo = await create(JSON.stringify({ name: "  shop  ", demo: true }), { type: "application/json" });
    expect(demo.status).toBe(201);
    const info = ((await demo.json()) as CreateWorkspaceResponse).workspace;
    expect(info).toMatchObject({ name: "shop", demo: true });
    const row = await env.DB.prepare("SELECT name, demo FROM workspaces WHERE id = ?1").bind(info.id).first();
    expect(row).toEqual({ name: "shop", demo: 1 });
  });

  it.each([
    ["no Authorization header", { token: undefined as string | undefined }, 401, "missing_token"],
    ["a wrong secret", { token: "test-admin-secret-0123456789abcdeX" }, 401, "invalid_admin_secret"],
    ["a prefix of the secret", { token: ADMIN_SECRET.slice(0, -1) }, 401, "invalid_admin_secret"],
  ])("refuses %s and creates nothing", async (_, { token }, status, code) => {
    const before = await workspaceCount();
    const res = await api("/api/v1/workspaces", { method: "POST", ...(token === undefined ? {} : { token }) });
    await expectError(res, status, code);
    expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
    expect(await workspaceCount()).toBe(before);
  });

  it("refuses a workspace admin token: only the instance secret creates workspaces", async () => {
    const ws = await workspace();
    const before = await workspaceCount();
    await expectError(await create(undefined, { token: ws.admin }), 401, "invalid_admin_secret");
    expect(await workspaceCount()).toBe(before);
  });

  it.each([
    ["an empty name", { name: "   " }, "name", "must not be empty"],
    ["a 101-character name", { name: "n".repeat(101) }, "name", "names are limited to 100 characters"],
    ["a non-boolean demo", { demo: "yes" }, "demo", "must be true or false"],
    ["an unknown field", { name: "x", owner: "me" }, "owner", "unknown field"],
  ])("rejects %s with the failing path", async (_, body, path, message) => {
    const before = await workspaceCount();
    const error = await expectError(await create(JSON.stringify(body), { type: "application/json" }), 400, "invalid_body");
    expect(error.details).toEqual({ issues: [{ path, message }] });
    expect(await workspaceCount()).toBe(before);
  });

  it("rejects a body that is not JSON, not declared as JSON, or over 16 KiB", async () => {
    const before = await workspaceCount();
    await expectError(await create("{name:", { type: "application/json" }), 400, "invalid_json");
    await expectError(await create(JSON.stringify({ name: "x" }), { type: "text/plain" }), 415, "unsupported_media_type");
    await expectError(await create(JSON.stringify({ name: "x".repeat(17_000) }), { type: "application/json" }), 413, "body_too_large");
    expect(await workspaceCount()).toBe(before);
  });

  it("answers 503 when the instance has no admin secret set", async () => {
    const before = await workspaceCount();
    const request = new Request("http://tally.test/api/v1/workspaces", { method: "POST", headers: { Authorization: "Bearer " } });
    const res = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, { ...env, TALLY_ADMIN_SECRET: "" }, createExecutionContext());
    const error = await expectError(res, 503, "not_configured");
    expect(error.message).toMatch(/wrangler secret put TALLY_ADMIN_SECRET/);
    expect(await workspaceCount()).toBe(before);
  });
});

describe("GET /api/v1/workspaces/:id", () => {
  it("returns the workspace to a token of every kind", async () => {
    const ws = await workspace("shop");
    for (const token of [ws.admin, ws.write, ws.read]) {
      const res = await api(`/api/v1/workspaces/${ws.id}`, { token });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ workspace: ws.created.workspace satisfies WorkspaceInfo });
    }
  });

  it("answers 403 for a workspace that does not exist: a token only opens its own", async () => {
    const ws = await workspace();
    await expectError(await api("/api/v1/workspaces/ws_00000000000000000000", { token: ws.admin }), 403, "wrong_workspace");
  });
});

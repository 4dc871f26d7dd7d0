// Token management: create, list and revoke, by the workspace's admins only.
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/auth.ts";
import type { CreateTokenResponse, RevokeTokenResponse, TokenInfo, TokenListResponse } from "../../shared/wire.ts";
import { api, createToken, expectError, ingest, requestEvent, tokenRows, workspace, type Ws } from "./helpers.ts";

function post(ws: Ws, body: unknown, token = ws.admin): Promise<Response> {
  return api(`/api/v1/workspaces/${ws.id}/tokens`, {
    method: "POST",
    token,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function list(ws: Ws, token = ws.admin): Promise<TokenInfo[]> {
  const res = await api(`/api/v1/workspaces/${ws.id}/tokens`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as TokenListResponse).tokens;
}

function revoke(ws: Ws, tokenId: string, token = ws.admin): Promise<Response> {
  return api(`/api/v1/workspaces/${ws.id}/tokens/${tokenId}`, { method: "DELETE", token });
}

describe("POST /api/v1/workspaces/:id/tokens", () => {
  it("issues a labelled token of the asked kind that works at once", async () => {
    const ws = await workspace();
    const before = Date.now();
    const res = await post(ws, { kind: "write", label: "github-actions" });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as CreateTokenResponse;
    expect(token).toEqual({
      id: expect.stringMatching(/^tok_[0-9a-f]{16}$/),
      kind: "write",
      label: "github-actions",
      created_at: expect.any(String),
      expires_at: null,
      revoked_at: null,
      token: expect.stringMatching(/^tly_w_[A-Za-z0-9]{32}$/),
    });
    expect(Date.parse(token.created_at)).toBeGreaterThanOrEqual(before);

    const rows = await tokenRows(ws.id);
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r["id"] === token.id)).toMatchObject({ kind: "write", label: "github-actions", hash: await sha256Hex(token.token) });
    expect((await ingest(ws.id, token.token, [requestEvent()])).accepted).toBe(1);
  });

  it("takes an expiry as ISO-8601 or epoch milliseconds", async () => {
    const ws = await workspace();
    const at = Date.now() + 86_400_000;
    const iso = await createToken(ws, { kind: "read", label: "share", expires_at: new Date(at).toISOString() });
    const ms = await createToken(ws, { kind: "read", label: "share 2", expires_at: at + 1 });
    expect(iso.expires_at).toBe(new Date(at).toISOString());
    expect(ms.expires_at).toBe(new Date(at + 1).toISOString());
    const rows = await tokenRows(ws.id);
    expect(rows.find((r) => r["id"] === iso.id)!["expires_at"]).toBe(at);
    expect(rows.find((r) => r["id"] === ms.id)!["expires_at"]).toBe(at + 1);
  });

  it.each([
    ["a past expiry", { kind: "read", label: "x", expires_at: "2020-01-01T00:00:00Z" }, [{ path: "expires_at", message: "must lie in the future" }]],
    ["an unknown kind", { kind: "owner", label: "x" }, [{ path: "kind", message: "must be one of admin, write, read" }]],
    ["a missing kind", { label: "x" }, [{ path: "kind", message: "required" }]],
    ["a missing label", { kind: "read" }, [{ path: "label", message: "required" }]],
    ["a blank label", { kind: "read", label: "  " }, [{ path: "label", message: "must not be empty" }]],
    ["a 101-character label", { kind: "read", label: "l".repeat(101) }, [{ path: "label", message: "labels are limited to 100 characters" }]],
    ["an unknown field", { kind: "read", label: "x", scope: "all" }, [{ path: "scope", message: "unknown field" }]],
  ])("rejects %s and issues nothing", async (_, body, issues) => {
    const ws = await workspace();
    const error = await expectError(await post(ws, body), 400, "invalid_body");
    expect(error.details).toEqual({ issues });
    expect(await tokenRows(ws.id)).toHaveLength(3);
  });

  it("is for admin tokens only", async () => {
    const ws = await workspace();
    for (const token of [ws.write, ws.read]) {
      const error = await expectError(await post(ws, { kind: "admin", label: "escalate" }, token), 403, "insufficient_scope");
      expect(error.message).toMatch(/takes admin tokens; this is a (write|read) token$/);
    }
    expect(await tokenRows(ws.id)).toHaveLength(3);
  });
});

describe("GET /api/v1/workspaces/:id/tokens", () => {
  it("lists every token of the workspace, oldest first, without secrets or hashes", async () => {
    const ws = await workspace();
    const extra = await createToken(ws, { kind: "read", label: "share link" });
    const tokens = await list(ws);
    expect(tokens.map((t) => t.kind).sort()).toEqual(["admin", "read", "read", "write"]);
    const ordered = [...tokens].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    expect(tokens).toEqual(ordered);
    expect(tokens.find((t) => t.id === extra.id)).toEqual({ id: extra.id, kind: "read", label: "share link", created_at: extra.created_at, expires_at: null, revoked_at: null });
    for (const t of tokens) expect(Object.keys(t).sort()).toEqual(["created_at", "expires_at", "id", "kind", "label", "revoked_at"]);
    const text = JSON.stringify(tokens);
    for (const secret of [ws.admin, ws.write, ws.read, extra.token]) expect(text).not.toContain(secret.slice(6));
  });

  it("is for admin tokens only", async () => {
    const ws = await workspace();
    for (const token of [ws.write, ws.read]) {
      await expectError(await api(`/api/v1/workspaces/${ws.id}/tokens`, { token }), 403, "insufficient_scope");
    }
  });
});

describe("DELETE /api/v1/workspaces/:id/tokens/:tokenId", () => {
  it("revokes at once and keeps the first revocation time", async () => {
    const ws = await workspace();
    const writeId = ws.created.tokens.write.id;
    const res = await revoke(ws, writeId);
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as RevokeTokenResponse;
    expect(token).toMatchObject({ id: writeId, kind: "write", revoked_at: expect.any(String) });
    await expectError(await api(`/api/v1/workspaces/${ws.id}`, { token: ws.write }), 401, "token_revoked");

    const again = (await (await revoke(ws, writeId)).json()) as RevokeTokenResponse;
    expect(again.token.revoked_at).toBe(token.revoked_at);
    const listed = await list(ws);
    expect(listed.find((t) => t.id === writeId)!.revoked_at).toBe(token.revoked_at);
    expect(listed.filter((t) => t.revoked_at !== null)).toHaveLength(1);
  });

  it("answers 404 for a token id the workspace does not have", async () => {
    const ws = await workspace();
    await expectError(await revoke(ws, "tok_0000000000000000"), 404, "not_found");
    expect((await tokenRows(ws.id)).every((r) => r["revoked_at"] === null)).toBe(true);
  });

  it("refuses to revoke the last active admin token, but allows it once another exists", async () => {
    const ws = await workspace();
    const firstAdmin = ws.created.tokens.admin.id;
    await expectError(await revoke(ws, firstAdmin), 409, "last_admin_token");
    expect((await tokenRows(ws.id)).every((r) => r["revoked_at"] === null)).toBe(true);

    const second = await createToken(ws, { kind: "admin", label: "second admin" });
    expect((await revoke(ws, firstAdmin, second.token)).status).toBe(200);
    await expectError(await api(`/api/v1/workspaces/${ws.id}/tokens`, { token: ws.admin }), 401, "token_revoked");
    // the second admin is now the last one
    await expectError(await revoke(ws, second.id, second.token), 409, "last_admin_token");
    expect((await list(ws, second.token)).filter((t) => t.revoked_at !== null).map((t) => t.id)).toEqual([firstAdmin]);
  });

  it("lets only one of two admins revoking each other at once succeed", async () => {
    const ws = await workspace();
    const second = await createToken(ws, { kind: "admin", label: "second admin" });
    const answers = await Promise.all([revoke(ws, second.id, ws.admin), revoke(ws, ws.created.tokens.admin.id, second.token)]);
    // the loser is refused either as the last admin (409) or, if it came second, with its own token revoked (401)
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const liveAdmins = (await tokenRows(ws.id)).filter((r) => r["kind"] === "admin" && r["revoked_at"] === null);
    expect(liveAdmins).toHaveLength(1);
  });

  it("is for admin tokens only", async () => {
    const ws = await workspace();
    for (const token of [ws.write, ws.read]) {
      await expectError(await revoke(ws, ws.created.tokens.read.id, token), 403, "insufficient_scope");
    }
    expect((await tokenRows(ws.id)).every((r) => r["revoked_at"] === null)).toBe(true);
  });
});

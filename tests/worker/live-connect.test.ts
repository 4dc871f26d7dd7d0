// GET /live: who may open a live socket, how the token travels (query parameter
// or subprotocol, since browsers cannot set headers), and the hello that
// tells a client where the workspace stands.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, connectLive, createToken, expectError, ingest, liveClient, liveRequest, pullAll, requestEvents, workspace } from "./helpers.ts";

describe("GET /api/v1/workspaces/:id/live", () => {
  it("upgrades with a read token in the query and says hello with the workspace's last seq", async () => {
    const ws = await workspace();
    await ingest(ws.id, ws.write, requestEvents(3));
    const last = (await pullAll(ws.id, ws.read)).at(-1)!.seq;
    // another workspace's later events do not count
    const other = await workspace();
    await ingest(other.id, other.write, requestEvents(2));

    const res = await liveRequest(ws.id, ws.read);
    expect(res.status).toBe(101);
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBe("tally.v1");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const client = liveClient(res);
    expect(await client.next()).toEqual({ type: "hello", workspace: ws.id, last_seq: last });
  });

  it("says hello with last_seq 0 in a workspace without events", async () => {
    const ws = await workspace();
    const { hello } = await connectLive(ws.id, ws.admin);
    expect(hello).toEqual({ type: "hello", workspace: ws.id, last_seq: 0 });
  });

  it("takes the token as a subprotocol and answers with tally.v1 only, never the token", async () => {
    const ws = await workspace();
    const res = await liveRequest(ws.id, ws.read, { auth: "protocol" });
    expect(res.status).toBe(101);
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBe("tally.v1");
    expect([...res.headers].join("\n")).not.toContain(ws.read.slice(6));
    expect((await liveClient(res).next()).type).toBe("hello");
  });

  it("answers with no subprotocol when the client offered none it knows", async () => {
    const ws = await workspace();
    const res = await liveRequest(ws.id, ws.read, { auth: "protocol", protocols: [] });
    expect(res.status).toBe(101);
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBeNull();
    const plain = await liveRequest(ws.id, ws.read, { protocols: [] });
    expect(plain.status).toBe(101);
    expect(plain.headers.get("Sec-WebSocket-Protocol")).toBeNull();
  });

  it("takes an admin token, and a bearer header from clients that can set one", async () => {
    const ws = await workspace();
    expect((await connectLive(ws.id, ws.admin, "protocol")).hello.type).toBe("hello");
    const res = await api(`/api/v1/workspaces/${ws.id}/live`, { token: ws.read, headers: { Upgrade: "websocket" } });
    expect((await liveClient(res).next()).type).toBe("hello");
  });

  it.each([
    ["no token", async () => [await workspace(), undefined, 401, "missing_token"] as const],
    ["a garbage token", async () => [await workspace(), "not-a-token", 401, "invalid_token"] as const],
    ["an unknown token", async () => [await workspace(), `tly_r_${"A".repeat(32)}`, 401, "invalid_token"] as const],
    ["a write token", async () => {
      const ws = await workspace();
      return [ws, ws.write, 403, "insufficient_scope"] as const;
    }],
    ["another workspace's read token", async () => [await workspace(), (await workspace()).read, 403, "wrong_workspace"] as const],
    ["a revoked token", async () => {
      const ws = await workspace();
      const res = await api(`/api/v1/workspaces/${ws.id}/tokens/${ws.created.tokens.read.id}`, { method: "DELETE", token: ws.admin });
      expect(res.status).toBe(200);
      return [ws, ws.read, 401, "token_revoked"] as const;
    }],
    ["an expired token", async () => {
      const ws = await workspace();
      const share = await createToken(ws, { kind: "read", label: "share", expires_at: Date.now() + 60_000 });
      await env.DB.prepare("UPDATE tokens SET expires_at = ?1 WHERE id = ?2").bind(Date.now() - 1, share.id).run();
      return [ws, share.token, 401, "token_expired"] as const;
    }],
  ])("refuses %s with the error envelope before upgrading", async (_, setup) => {
    const [ws, token, status, code] = await setup();
    for (const auth of ["query", "protocol"] as const) {
      const res = await liveRequest(ws.id, token, { auth });
      expect(res.webSocket).toBeNull();
      await expectError(res, status, code);
    }
  });

  it("answers 426 with Upgrade: websocket to a plain GET with a good token", async () => {
    const ws = await workspace();
    const res = await liveRequest(ws.id, ws.read, { upgrade: false });
    expect(res.webSocket).toBeNull();
    expect(res.headers.get("Upgrade")).toBe("websocket");
    await expectError(res, 426, "upgrade_required");
  });

  it("checks the token before the upgrade header, so a plain GET without one gets 401", async () => {
    const ws = await workspace();
    await expectError(await liveRequest(ws.id, undefined, { upgrade: false }), 401, "missing_token");
  });
});

// The hub itself: its sockets survive hibernation with their attachments,
// revoked and expired tokens lose their sockets at once, closed sockets leave
// no ghost subscribers, and pings are answered without waking it.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { LiveEventsMessage } from "../../shared/wire.ts";
import { GRANT_HEADER, eventsMessages, type LiveGrant, type SocketAttachment } from "../../worker/live-hub.ts";
import { api, connectLive, createToken, hubStub, ingest, liveClient, requestEvents, sleep, workspace } from "./helpers.ts";

/** The attachments of the hub's open sockets, with their tags, as the hub sees them now. */
function hubSockets(ws: string): Promise<{ tags: string[]; attachment: SocketAttachment }[]> {
  return runInDurableObject(hubStub(ws), (_, state) =>
    state.getWebSockets().map((s) => ({ tags: state.getTags(s), attachment: s.deserializeAttachment() as SocketAttachment })),
  );
}

const message = (workspace: string, seq: number): LiveEventsMessage => ({ type: "events", workspace, prev_seq: seq - 1, first_seq: seq, last_seq: seq, events: [] });

describe("revocation and expiry", () => {
  it("closes a revoked token's sockets with 4401 within a second, and only those", async () => {
    const ws = await workspace();
    const share = await createToken(ws, { kind: "read", label: "share" });
    const doomed = [(await connectLive(ws.id, share.token)).client, (await connectLive(ws.id, share.token, "protocol")).client];
    const kept = (await connectLive(ws.id, ws.read)).client;

    const started = Date.now();
    const res = await api(`/api/v1/workspaces/${ws.id}/tokens/${share.id}`, { method: "DELETE", token: ws.admin });
    expect(res.status).toBe(200);
    for (const c of doomed) expect(await c.closed).toEqual({ code: 4401, reason: "token revoked" });
    expect(Date.now() - started).toBeLessThan(1_000);

    expect((await hubSockets(ws.id)).map((s) => s.tags)).toEqual([[ws.created.tokens.read.id]]);
    await ingest(ws.id, ws.write, requestEvents(1));
    expect((await kept.next()).type).toBe("events");
  });

  it("closes a socket whose token was revoked after the route checked it but before the hub took it", async () => {
    const ws = await workspace();
    const share = await createToken(ws, { kind: "read", label: "share" });
    await env.DB.prepare("UPDATE tokens SET revoked_at = ?1 WHERE id = ?2").bind(Date.now(), share.id).run();
    // what the route would have forwarded had its check come just before the revocation
    const grant: LiveGrant = { workspace: ws.id, tokenId: share.id, kind: "read", expiresAt: null, protocol: null };
    const res = await hubStub(ws.id).fetch("https://hub/connect", { headers: { Upgrade: "websocket", [GRANT_HEADER]: JSON.stringify(grant) } });
    const client = liveClient(res);
    expect(await client.closed).toEqual({ code: 4401, reason: "token revoked" });
    expect(client.pending()).toEqual([]);
  });

  it("closes a socket when its token expires, by alarm", async () => {
    const ws = await workspace();
    const share = await createToken(ws, { kind: "read", label: "share", expires_at: Date.now() + 1_500 });
    const { client } = await connectLive(ws.id, share.token);
    const forever = (await connectLive(ws.id, ws.read)).client;
    expect(await runInDurableObject(hubStub(ws.id), (_, state) => state.storage.getAlarm())).toBe(Date.parse(share.expires_at!));
    expect(await client.closed).toEqual({ code: 4401, reason: "token expired" });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(share.expires_at!));
    expect(forever.isClosed()).toBe(false);
  });

  it("checks expiry on publish too, so a missed alarm lets nothing through", async () => {
    const ws = await workspace();
    const share = await createToken(ws, { kind: "read", label: "share", expires_at: Date.now() + 500 });
    const { client } = await connectLive(ws.id, share.token);
    const forever = (await connectLive(ws.id, ws.read)).client;
    await runInDurableObject(hubStub(ws.id), (_, state) => state.storage.deleteAlarm());
    await sleep(600);
    expect(client.isClosed()).toBe(false);

    expect(await hubStub(ws.id).publish(message(ws.id, 1))).toBe(1);
    expect(await client.closed).toEqual({ code: 4401, reason: "token expired" });
    expect(client.pending()).toEqual([]);
    expect((await forever.next()).type).toBe("events");
  });
});

describe("hibernation", () => {
  it("keeps sockets, tags and attachments across an eviction, and still publishes and revokes", async () => {
    const ws = await workspace();
    const share = await createToken(ws, { kind: "read", label: "share", expires_at: Date.now() + 3_600_000 });
    const a = (await connectLive(ws.id, ws.admin)).client;
    const b = (await connectLive(ws.id, share.token, "protocol")).client;
    const expected: { tags: string[]; attachment: SocketAttachment }[] = [
      { tags: [ws.created.tokens.admin.id], attachment: { tokenId: ws.created.tokens.admin.id, kind: "admin", expiresAt: null } },
      { tags: [share.id], attachment: { tokenId: share.id, kind: "read", expiresAt: Date.parse(share.expires_at!) } },
    ];
    const byToken = (xs: typeof expected) => [...xs].sort((x, y) => x.tags[0]!.localeCompare(y.tags[0]!));
    expect(byToken(await hubSockets(ws.id))).toEqual(byToken(expected));

    await evictDurableObject(hubStub(ws.id));
    expect(a.isClosed() || b.isClosed()).toBe(false);

    await ingest(ws.id, ws.write, requestEvents(2));
    for (const c of [a, b]) expect((await c.next()).type).toBe("events");
    expect(byToken(await hubSockets(ws.id))).toEqual(byToken(expected));

    await evictDurableObject(hubStub(ws.id));
    expect(await hubStub(ws.id).revoke(share.id)).toBe(1);
    expect(await b.closed).toEqual({ code: 4401, reason: "token revoked" });
    expect(a.isClosed()).toBe(false);
  });

  it("answers ping with pong without waking the hub", async () => {
    const ws = await workspace();
    const { client } = await connectLive(ws.id, ws.read);
    await evictDurableObject(hubStub(ws.id));
    client.socket.send("ping");
    expect(await client.nextText()).toBe("pong");
    // evicting fails when the hub is not running: the pong did not wake it
    await expect(evictDurableObject(hubStub(ws.id))).rejects.toThrow();
    const answered = await runInDurableObject(hubStub(ws.id), (_, state) => state.getWebSocketAutoResponseTimestamp(state.getWebSockets()[0]!));
    expect(answered).toBeInstanceOf(Date);
  });
});

describe("closed sockets", () => {
  it("leave getWebSockets, so publish reaches only the open ones", async () => {
    const ws = await workspace();
    const clients = [];
    for (let i = 0; i < 3; i++) clients.push((await connectLive(ws.id, ws.read)).client);
    expect(await hubSockets(ws.id)).toHaveLength(3);

    clients[0]!.socket.close(1000, "bye");
    clients[1]!.socket.close(4000, "tab closed");
    await vi.waitFor(async () => expect(await hubSockets(ws.id)).toHaveLength(1));
    expect(await clients[0]!.closed).toMatchObject({ code: 1000 });

    expect(await hubStub(ws.id).publish(message(ws.id, 1))).toBe(1);
    expect(((await clients[2]!.next()) as LiveEventsMessage).first_seq).toBe(1);
  });

  it("answer other client frames with nothing and stay open", async () => {
    const ws = await workspace();
    const { client } = await connectLive(ws.id, ws.read);
    client.socket.send("hello?");
    client.socket.send(new Uint8Array([1, 2, 3]));
    await sleep(100);
    expect(client.pending()).toEqual([]);
    expect(client.isClosed()).toBe(false);
    expect(await hubSockets(ws.id)).toHaveLength(1);
  });
});

describe("eventsMessages", () => {
  const event = (seq: number, name = "x") => ({ seq, id: `e${seq}`, ts: 1, received_at: 2, type: "track" as const, name, props: {} });

  it("makes one message of a small batch, and none of an empty one", () => {
    const events = [event(5), event(9)];
    expect(eventsMessages("ws_1", 3, events)).toEqual([{ type: "events", workspace: "ws_1", prev_seq: 3, first_seq: 5, last_seq: 9, events }]);
    expect(eventsMessages("ws_1", 3, [])).toEqual([]);
  });

  it("fills each message up to the limit exactly and gives an oversized event a message of its own", () => {
    const events = [event(1), event(2), event(3, "y".repeat(500)), event(4), event(5)];
    const limit = JSON.stringify({ type: "events", workspace: "w", prev_seq: 0, first_seq: 1, last_seq: 2, events: events.slice(0, 2) }).length;
    const messages = eventsMessages("w", 0, events, limit);
    expect(messages.map((m) => [m.prev_seq, m.first_seq, m.last_seq])).toEqual([[0, 1, 2], [2, 3, 3], [3, 4, 5]]);
    expect(JSON.stringify(messages[0]).length).toBe(limit);
    expect(eventsMessages("w", 0, events, limit - 1)[0]!.events).toHaveLength(1);
  });
});

// PostHog-compatible capture: every body shape PostHog's SDKs and capture API
// send, on every path, each stored as track events in the workspace the key
// names; and every refusal, in PostHog's fields and Tally's envelope, leaving
// the stored data untouched.
import { describe, expect, it } from "vitest";
import type { PosthogCaptureResponse, PosthogErrorBody } from "../../shared/wire.ts";
import { LIMITS } from "../../shared/event.ts";
import { api, connectLive, createToken, gzip, pullAll, snapshot, storedRows, workspace, type Ws } from "./helpers.ts";

const JSON_TYPE = { "Content-Type": "application/json" };
const FORM_TYPE = { "Content-Type": "application/x-www-form-urlencoded" };
const PATHS = ["/batch", "/batch/", "/capture", "/capture/", "/e", "/e/", "/i/v0/e", "/i/v0/e/"];

function post(path: string, body: BodyInit, headers: Record<string, string> = JSON_TYPE): Promise<Response> {
  return api(path, { method: "POST", headers, body });
}

let counter = 0;
/** A PostHog event as posthog-node sends it, uuid unique per call. */
function phEvent(extra: Record<string, unknown> = {}) {
  counter++;
  return {
    event: "checkout started",
    distinct_id: `user-${counter}`,
    uuid: `0193f5b2-0000-7000-8000-${String(counter).padStart(12, "0")}`,
    timestamp: "2026-11-20T10:00:00.000Z",
    properties: { plan: "pro", items: counter, $lib: "posthog-node", $lib_version: "5.70.0", $geoip_disable: true },
    ...extra,
  };
}

/** What a PostHog event looks like once pulled (no sent_at skew). */
function stored(e: ReturnType<typeof phEvent>) {
  return {
    id: e.uuid,
    ts: Date.parse(e.timestamp),
    type: "track",
    name: e.event,
    props: { plan: "pro", items: e.properties.items, user: e.distinct_id },
    seq: expect.any(Number),
    received_at: expect.any(Number),
  };
}

function base64(text: string | Uint8Array): string {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return btoa(String.fromCharCode(...bytes));
}

async function ok(res: Response, accepted: number): Promise<PosthogCaptureResponse> {
  const body = (await res.json()) as PosthogCaptureResponse;
  expect({ status: res.status, body }).toEqual({ status: 200, body: { status: 1, accepted, duplicates: 0, rejected: 0, rejections: [], warnings: [] } });
  return body;
}

/** Asserts PostHog's error fields and Tally's envelope, with the same code and message in both. */
async function phError(res: Response, status: number, code: string): Promise<PosthogErrorBody> {
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  const body = (await res.json()) as PosthogErrorBody;
  expect({ status: res.status, code: body.code, envelope: body.error?.code }).toEqual({ status, code, envelope: code });
  expect(body.type).toBe(status === 401 || status === 403 ? "authentication_error" : "validation_error");
  expect(body.detail).toBe(body.error.message);
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

describe("accepted bodies", () => {
  it.each(PATHS)("POST %s takes posthog-node's { api_key, batch, sent_at }", async (path) => {
    const ws = await workspace();
    const events = [phEvent(), phEvent()];
    await ok(await post(path, JSON.stringify({ api_key: ws.write, batch: events })), 2);
    expect(await pullAll(ws.id, ws.read)).toEqual(events.map(stored));
  });

  it.each(["/capture/", "/e/", "/i/v0/e/", "/batch/"])("POST %s takes one event with its api_key", async (path) => {
    const ws = await workspace();
    const e = phEvent();
    await ok(await post(path, JSON.stringify({ api_key: ws.write, ...e })), 1);
    expect(await pullAll(ws.id, ws.read)).toEqual([stored(e)]);
  });

  const shapes: [string, (ws: Ws, events: ReturnType<typeof phEvent>[]) => Promise<[BodyInit, Record<string, string>, string?]>][] = [
    ["`token` instead of `api_key`", async (ws, e) => [JSON.stringify({ token: ws.write, batch: e }), JSON_TYPE]],
    ["an array of events, each with properties.token (posthog-js)", async (ws, e) => [JSON.stringify(e.map((x) => ({ ...x, properties: { ...x.properties, token: ws.write } }))), JSON_TYPE]],
    ["a gzip body with Content-Encoding: gzip (posthog-node)", async (ws, e) => [await gzip(JSON.stringify({ api_key: ws.write, batch: e })), { ...JSON_TYPE, "Content-Encoding": "gzip" }]],
    [
      "a gzip body as text/plain with ?compression=gzip-js (posthog-js)",
      async (ws, e) => [await gzip(JSON.stringify(e.map((x) => ({ ...x, properties: { ...x.properties, token: ws.write } })))), { "Content-Type": "text/plain" }, "?compression=gzip-js&ver=1.200.0"],
    ],
    ["{ api_key, data: base64 }", async (ws, e) => [JSON.stringify({ api_key: ws.write, data: base64(JSON.stringify(e)) }), JSON_TYPE]],
    ["{ data: JSON text } with the key in the batch", async (ws, e) => [JSON.stringify({ data: JSON.stringify({ api_key: ws.write, batch: e }) }), JSON_TYPE]],
    ["form-encoded data=<base64>", async (ws, e) => [`data=${encodeURIComponent(base64(JSON.stringify({ api_key: ws.write, batch: e })))}`, FORM_TYPE]],
    // a sender that did not escape its base64: form decoding turns each + into a space
    ["form-encoded data=<base64> with unescaped + signs", async (ws, e) => [`data=${base64(JSON.stringify({ api_key: ws.write, batch: e, pad: ">>>>??" }))}`, FORM_TYPE]],
    ["form-encoded data=<JSON> with compression=base64", async (ws, e) => [new URLSearchParams({ data: JSON.stringify({ api_key: ws.write, batch: e }), compression: "base64" }).toString(), FORM_TYPE]],
    ["base64 of gzip in a form", async (ws, e) => [`data=${encodeURIComponent(base64(await gzip(JSON.stringify({ api_key: ws.write, batch: e }))))}`, FORM_TYPE]],
    ["the key as a bearer token when the body names none", async (ws, e) => [JSON.stringify({ batch: e }), { ...JSON_TYPE, Authorization: `Bearer ${ws.write}` }]],
  ];

  it.each(shapes)("stores %s", async (_, make) => {
    const ws = await workspace();
    const events = [phEvent(), phEvent(), phEvent()];
    const [body, headers, query = ""] = await make(ws, events);
    await ok(await post(`/batch/${query}`, body, headers), 3);
    expect(await pullAll(ws.id, ws.read)).toEqual(events.map(stored));
  });

  it("checks the base64 + sign case really holds one", () => {
    const text = JSON.stringify({ api_key: "k", batch: [], pad: ">>>>??" });
    expect(base64(text)).toContain("+");
  });

  it("stores in the workspace the key belongs to", async () => {
    const [a, b] = [await workspace("a"), await workspace("b")];
    await ok(await post("/batch/", JSON.stringify({ api_key: a.write, batch: [phEvent()] })), 1);
    await ok(await post("/batch/", JSON.stringify({ api_key: b.write, batch: [phEvent(), phEvent()] })), 2);
    expect((await pullAll(a.id, a.read)).length).toBe(1);
    expect((await pullAll(b.id, b.read)).length).toBe(2);
  });

  it("refuses an admin or read token as the key: a PostHog key ships in client code", async () => {
    const ws = await workspace();
    for (const key of [ws.admin, ws.read]) {
      const res = await post("/batch/", JSON.stringify({ api_key: key, batch: [phEvent()] }));
      expect(res.status).toBe(403);
    }
    expect(await pullAll(ws.id, ws.read)).toEqual([]);
  });

  it("never stores the key, and maps the useful $ properties", async () => {
    const ws = await workspace();
    const e = phEvent({ properties: { token: ws.write, $current_url: "https://shop.example/cart?x=1", $feature_flag: "new-cart", $set: { email: "a@b.c" }, note: null } });
    await ok(await post("/e/", JSON.stringify(e)), 1);
    const rows = await storedRows(ws.id);
    expect(JSON.stringify(rows)).not.toContain(ws.write);
    expect(JSON.parse(rows[0]!["props"] as string)).toEqual({ path: "/cart", feature: "new-cart", user: e.distinct_id });
  });

  it("corrects the sender's clock by sent_at, from the body or posthog-js's `_`", async () => {
    const ws = await workspace();
    const ahead = 3_600_000; // the sender's clock runs an hour fast
    const before = Date.now();
    const at = (ms: number) => new Date(ms).toISOString();
    await ok(await post("/batch/", JSON.stringify({ api_key: ws.write, sent_at: at(before + ahead), batch: [phEvent({ timestamp: at(before + ahead - 60_000) })] })), 1);
    await ok(await post(`/e/?_=${before + ahead}`, JSON.stringify({ ...phEvent({ timestamp: at(before + ahead - 60_000) }), api_key: ws.write })), 1);
    const after = Date.now();
    for (const e of await pullAll(ws.id, ws.read)) {
      expect(e.ts).toBeGreaterThanOrEqual(before - 60_000);
      expect(e.ts).toBeLessThanOrEqual(after - 60_000);
    }
  });

  it("stores a re-posted batch once", async () => {
    const ws = await workspace();
    const body = JSON.stringify({ api_key: ws.write, batch: [phEvent(), phEvent()] });
    await ok(await post("/batch/", body), 2);
    const again = (await (await post("/batch/", body)).json()) as PosthogCaptureResponse;
    expect(again).toMatchObject({ status: 1, accepted: 0, duplicates: 2 });
    expect((await storedRows(ws.id)).length).toBe(2);
  });

  it("stores events without a uuid once per Idempotency-Key, by their posted index", async () => {
    const ws = await workspace();
    const body = JSON.stringify({ api_key: ws.write, batch: [{ event: "a", distinct_id: "u" }, { event: "b", distinct_id: "u" }] });
    const headers = { ...JSON_TYPE, "Idempotency-Key": "ci-run-7" };
    await ok(await post("/batch/", body, headers), 2);
    expect(await (await post("/batch/", body, headers)).json()).toMatchObject({ accepted: 0, duplicates: 2 });
    expect((await pullAll(ws.id, ws.read)).map((e) => e.id)).toEqual(["ci-run-7:0", "ci-run-7:1"]);
    // without the header every post is new
    await ok(await post("/batch/", body), 2);
    expect((await storedRows(ws.id)).length).toBe(4);
  });

  it("stores the valid events of a batch and names the others in PostHog's fields", async () => {
    const ws = await workspace();
    const good = phEvent();
    const res = await post("/batch/", JSON.stringify({ api_key: ws.write, batch: [{ distinct_id: "u" }, good, phEvent({ timestamp: "last tuesday" })] }));
    const body = (await res.json()) as PosthogCaptureResponse;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: 1, accepted: 1, rejected: 2 });
    expect(body.rejections.map((r) => [r.index, r.path])).toEqual([[0, "event"], [2, "timestamp"]]);
    expect(await pullAll(ws.id, ws.read)).toEqual([stored(good)]);
  });

  it("broadcasts a committed batch to live clients", async () => {
    const ws = await workspace();
    const { client } = await connectLive(ws.id, ws.read);
    const e = phEvent();
    await ok(await post("/batch/", JSON.stringify({ api_key: ws.write, batch: [e] })), 1);
    const message = await client.next();
    expect(message).toMatchObject({ type: "events", events: [{ id: e.uuid, type: "track", name: e.event }] });
    client.socket.close();
  });

  it("answers CORS preflights and posts from any origin: the key is in the body, not in cookies", async () => {
    const origin = "https://shop.example";
    const pre = await api("/i/v0/e/", { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "POST" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("Access-Control-Allow-Origin")).toBe(origin);
    expect(pre.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    const ws = await workspace();
    const res = await post("/i/v0/e/", JSON.stringify({ api_key: ws.write, ...phEvent() }), { ...JSON_TYPE, Origin: origin });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(origin);
    // the versioned API keeps its own origin list
    const apiPre = await api("/api/v1/workspaces", { method: "OPTIONS", headers: { Origin: origin } });
    expect(apiPre.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("refused requests leave stored data untouched", () => {
  /** Posts a bad request to a workspace that already holds events and checks nothing changed. */
  async function refused(make: (ws: Ws) => Promise<Response>, status: number, code: string): Promise<PosthogErrorBody> {
    const ws = await workspace();
    await ok(await post("/batch/", JSON.stringify({ api_key: ws.write, batch: [phEvent()] })), 1);
    const before = await snapshot(ws.id);
    const error = await phError(await make(ws), status, code);
    expect(await snapshot(ws.id)).toEqual(before);
    return error;
  }

  it("401 without a key", async () => {
    const error = await refused(() => post("/batch/", JSON.stringify({ batch: [phEvent()] })), 401, "missing_api_key");
    expect(error.detail).toMatch(/api_key/);
  });

  it("401 for a PostHog project key, an unknown key and a revoked key", async () => {
    await refused(() => post("/batch/", JSON.stringify({ api_key: "phc_abcdefghijklmnop", batch: [phEvent()] })), 401, "invalid_api_key");
    const unknown = `tly_w_${"A".repeat(32)}`;
    expect((await refused(() => post("/batch/", JSON.stringify({ api_key: unknown, batch: [phEvent()] })), 401, "invalid_api_key")).detail).toBe("unknown API key");
  });

  it("401 for a revoked key", async () => {
    const ws = await workspace();
    const token = await createToken(ws, { kind: "write", label: "ci" });
    await ok(await post("/batch/", JSON.stringify({ api_key: token.token, batch: [phEvent()] })), 1);
    await api(`/api/v1/workspaces/${ws.id}/tokens/${token.id}`, { method: "DELETE", token: ws.admin });
    const before = await snapshot(ws.id);
    await phError(await post("/batch/", JSON.stringify({ api_key: token.token, batch: [phEvent()] })), 401, "token_revoked");
    expect(await snapshot(ws.id)).toEqual(before);
  });

  it("403 for a read token", async () => {
    await refused((ws) => post("/batch/", JSON.stringify({ api_key: ws.read, batch: [phEvent()] })), 403, "insufficient_scope");
  });

  it("400 for malformed JSON, saying where", async () => {
    const error = await refused((ws) => post("/batch/", `{"api_key": "${ws.write}", "batch": [{"event": "x",}]}`), 400, "invalid_json");
    expect(error.detail).toMatch(/^body is not valid JSON: .*position \d+/);
  });

  it("400 for malformed base64 data and for bodies that are no PostHog shape", async () => {
    expect((await refused(() => post("/batch/", "data=%%%%", FORM_TYPE), 400, "invalid_body")).detail).toMatch(/base64/);
    expect((await refused((ws) => post("/batch/", JSON.stringify({ api_key: ws.write, batch: { event: "x" } })), 400, "invalid_body")).detail).toMatch(/`batch` must be an array/);
    await refused(() => post("/batch/", "42"), 400, "invalid_body");
    await refused(() => post("/batch/", "a=1", FORM_TYPE), 400, "invalid_body");
  });

  it("400 for two keys in one request, an empty batch, a bad sent_at, and a batch of only bad events", async () => {
    await refused((ws) => post("/batch/", JSON.stringify([{ ...phEvent(), api_key: ws.write }, { ...phEvent(), api_key: ws.admin }])), 400, "multiple_api_keys");
    await refused((ws) => post("/batch/", JSON.stringify({ api_key: ws.write, batch: [] })), 400, "empty_batch");
    await refused((ws) => post("/batch/", JSON.stringify({ api_key: ws.write, sent_at: "later", batch: [phEvent()] })), 400, "invalid_body");
    const error = await refused((ws) => post("/batch/", JSON.stringify({ api_key: ws.write, batch: [{ distinct_id: "u" }] })), 400, "invalid_events");
    expect(error.error.details).toMatchObject({ rejected: 1, rejections: [{ index: 0, path: "event", message: "required" }] });
  });

  it("413 for too many events and oversized bodies, 415 for lz64 compression, 400 for an empty body", async () => {
    const many = Array.from({ length: LIMITS.eventsPerBatch + 1 }, () => ({ event: "x", distinct_id: "u" }));
    await refused((ws) => post("/batch/", JSON.stringify({ api_key: ws.write, batch: many })), 413, "batch_too_large");
    await refused((ws) => post("/e/?compression=lz64", JSON.stringify({ api_key: ws.write, ...phEvent() })), 415, "unsupported_compression");
    await refused(() => post("/e/", ""), 400, "empty_body");
    const huge = (ws: Ws) => JSON.stringify({ api_key: ws.write, batch: [phEvent({ properties: { pad: "x".repeat(LIMITS.bodyBytes) } })] });
    await refused((ws) => post("/batch/", huge(ws)), 413, "body_too_large");
    // a gzip bomb: small on the wire, over the limit once inflated
    await refused(async (ws) => post("/batch/?compression=gzip-js", await gzip(huge(ws)), { "Content-Type": "text/plain" }), 413, "body_too_large");
  });

  it("GET on a capture path is not a capture", async () => {
    const res = await api("/batch/");
    expect(res.status).toBe(404);
  });
});

// Posting batches: every accepted body form, gzip, and every way a whole body
// is refused (400, 413, 415), each leaving the stored log untouched.
import { describe, expect, it } from "vitest";
import type { IngestResponse } from "../../shared/wire.ts";
import { chunked, expectError, gzip, randomBytes, pullAll, postJson, postRaw, requestEvent, requestEvents, snapshot, utf8, workspace, type Ws } from "./helpers.ts";

const JSON_TYPE = { "Content-Type": "application/json" };
const NDJSON_TYPE = { "Content-Type": "application/x-ndjson" };

/** What a posted event looks like once pulled: ts in epoch ms, plus seq and received_at. */
function stored(e: ReturnType<typeof requestEvent>) {
  return { id: e.id, ts: Date.parse(e.ts), type: e.type, name: e.name, props: e.props, seq: expect.any(Number), received_at: expect.any(Number) };
}

async function accepted(res: Response, n: number): Promise<IngestResponse> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as IngestResponse;
  expect(body).toEqual({ accepted: n, duplicates: 0, rejected: 0, rejections: [], warnings: [] });
  return body;
}

describe("accepted bodies", () => {
  const events = () => requestEvents(3, (i) => ({ name: `GET /a/${i}`, props: { status: 200 + i, ok: i !== 1, path: `/a/${i}` } }));

  it.each([
    ["the object form", (e: unknown[]) => JSON.stringify({ events: e }), JSON_TYPE],
    ["a bare array", (e: unknown[]) => JSON.stringify(e), { "Content-Type": "application/json; charset=utf-8" }],
    ["NDJSON", (e: unknown[]) => e.map((x) => JSON.stringify(x)).join("\n"), NDJSON_TYPE],
    ["NDJSON with CRLF, blank lines and a final newline", (e: unknown[]) => `\r\n${e.map((x) => JSON.stringify(x)).join("\r\n\r\n")}\n`, NDJSON_TYPE],
    ["application/ndjson", (e: unknown[]) => e.map((x) => JSON.stringify(x)).join("\n"), { "Content-Type": "application/ndjson" }],
    ["application/jsonl", (e: unknown[]) => e.map((x) => JSON.stringify(x)).join("\n"), { "Content-Type": "Application/JSONL" }],
    ["JSON with a byte order mark", (e: unknown[]) => `\uFEFF${JSON.stringify(e)}`, JSON_TYPE],
  ])("stores %s, every field as sent", async (_, write, headers) => {
    const ws = await workspace();
    const batch = events();
    await accepted(await postRaw(ws.id, ws.write, write(batch), headers), 3);
    expect(await pullAll(ws.id, ws.read)).toEqual(batch.map(stored));
  });

  it.each([
    ["with Content-Encoding: gzip", { "Content-Encoding": "gzip" }],
    ["with Content-Encoding: x-gzip", { "Content-Encoding": "x-gzip" }],
    ["without Content-Encoding (recognised by its magic bytes)", {}],
    ["with Content-Encoding: identity", { "Content-Encoding": "identity" }],
  ])("stores a gzip body %s", async (_, encoding) => {
    const ws = await workspace();
    const batch = events();
    await accepted(await postRaw(ws.id, ws.write, await gzip(JSON.stringify({ events: batch })), { ...JSON_TYPE, ...encoding }), 3);
    const ndjson = events();
    await accepted(await postRaw(ws.id, ws.write, await gzip(ndjson.map((x) => JSON.stringify(x)).join("\n")), { ...NDJSON_TYPE, ...encoding }), 3);
    expect(await pullAll(ws.id, ws.read)).toEqual([...batch, ...ndjson].map(stored));
  });

  it("stores a body streamed without Content-Length", async () => {
    const ws = await workspace();
    const batch = events();
    await accepted(await postRaw(ws.id, ws.write, chunked(utf8(JSON.stringify(batch)), 7), JSON_TYPE), 3);
    expect(await pullAll(ws.id, ws.read)).toEqual(batch.map(stored));
  });

  it("keeps non-ASCII text intact", async () => {
    const ws = await workspace();
    const e = requestEvent({ name: "GET /café/😀", props: { user: "Zoë", city: "東京" } });
    await accepted(await postJson(ws.id, ws.write, [e]), 1);
    expect(await pullAll(ws.id, ws.read)).toEqual([stored(e)]);
  });

  it("accepts an admin token as well as a write token", async () => {
    const ws = await workspace();
    await accepted(await postJson(ws.id, ws.admin, [requestEvent()]), 1);
  });
});

/** Posts a bad request to a workspace that already holds events and checks nothing changed. */
async function refused(post: (ws: Ws) => Promise<Response>, status: number, code: string) {
  const ws = await workspace();
  await accepted(await postJson(ws.id, ws.write, requestEvents(2)), 2);
  const before = await snapshot(ws.id);
  const error = await expectError(await post(ws), status, code);
  expect(await snapshot(ws.id)).toEqual(before);
  return error;
}

const valid = () => JSON.stringify([requestEvent()]);

describe("400: bodies that are not a batch", () => {
  it.each([
    ["not JSON", "{events: [", /^body is not valid JSON/],
    ["truncated JSON", valid().slice(0, -1), /^body is not valid JSON/],
    ["a string", '"events"', /must be an array of events or an object/],
    ["a number", "42", /must be an array of events or an object/],
    ["null", "null", /must be an array of events or an object/],
  ])("refuses %s as invalid_body", async (_, body, message) => {
    const error = await refused((ws) => postRaw(ws.id, ws.write, body, JSON_TYPE), 400, "invalid_body");
    expect(error.message).toMatch(message);
    expect(error.details).toEqual({ issues: [{ path: "", message: error.message }] });
  });

  it("refuses an empty body as empty_body", async () => {
    await refused((ws) => postRaw(ws.id, ws.write, "", JSON_TYPE), 400, "empty_body");
    await refused((ws) => postRaw(ws.id, ws.write, "", { "Content-Type": "application/x-ndjson" }), 400, "empty_body");
  });

  it.each([
    ["events that is not an array", { events: { a: 1 } }, [{ path: "events", message: "must be an array of events" }]],
    ["a missing events field", { evts: [] }, [{ path: "events", message: "must be an array of events" }, { path: "evts", message: "unknown field" }]],
    ["an unknown envelope field", { events: [requestEvent()], source: "ci" }, [{ path: "source", message: "unknown field" }]],
    ["a bad sent_at", { events: [requestEvent()], sent_at: "now" }, [{ path: "sent_at", message: expect.stringMatching(/ISO-8601/) }]],
  ])("refuses a wrong envelope: %s", async (_, body, issues) => {
    const error = await refused((ws) => postJson(ws.id, ws.write, body), 400, "invalid_body");
    expect(error.details).toEqual({ issues });
  });

  it("refuses NDJSON with a bad line, naming the line", async () => {
    const body = [valid().slice(1, -1), "", "{not json}", valid().slice(1, -1)].join("\n");
    const error = await refused((ws) => postRaw(ws.id, ws.write, body, NDJSON_TYPE), 400, "invalid_body");
    expect(error.details).toEqual({ issues: [{ path: "line 3", message: expect.stringMatching(/^not valid JSON/) }] });
  });

  it.each([
    ["[]", JSON_TYPE],
    ['{"events":[]}', JSON_TYPE],
    ["\n \n\r\n", NDJSON_TYPE],
  ])("refuses the empty batch %j", async (body, headers) => {
    await refused((ws) => postRaw(ws.id, ws.write, body, headers), 400, "empty_batch");
  });

  it("refuses bad gzip, with the header, by magic bytes, truncated, or with trailing bytes", async () => {
    const gz = await gzip(valid());
    const bodies: [Uint8Array, Record<string, string>][] = [
      [utf8(valid()), { "Content-Encoding": "gzip" }],
      [new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6]), {}],
      [gz.slice(0, gz.length - 4), {}],
      [gz.slice(0, 12), { "Content-Encoding": "gzip" }],
      [new Uint8Array([...gz, 0x5b, 0x5d]), {}],
    ];
    for (const [body, encoding] of bodies) {
      const error = await refused((ws) => postRaw(ws.id, ws.write, body, { ...JSON_TYPE, ...encoding }), 400, "invalid_gzip");
      expect(error.message).toBe("body is not valid gzip");
    }
  });

  it("refuses a body that is not UTF-8, plain or gzipped", async () => {
    const bad = new Uint8Array([...utf8('[{"type":"request","name":"'), 0xc3, 0x28, ...utf8('"}]')]);
    await refused((ws) => postRaw(ws.id, ws.write, bad, JSON_TYPE), 400, "invalid_encoding");
    const badGz = await gzip(bad);
    await refused((ws) => postRaw(ws.id, ws.write, badGz, JSON_TYPE), 400, "invalid_encoding");
  });

  it("refuses an Idempotency-Key over 100 characters", async () => {
    await refused((ws) => postJson(ws.id, ws.write, valid(), { "Idempotency-Key": "k".repeat(101) }), 400, "invalid_header");
  });
});

describe("413: too large", () => {
  const LIMIT = 1_000_000;
  /** A valid one-event JSON batch padded with whitespace to exactly `bytes` bytes. */
  const padded = (bytes: number) => {
    const text = valid();
    return text + " ".repeat(bytes - text.length);
  };

  it("accepts a body of exactly 1,000,000 bytes, plain and after decompression", async () => {
    const ws = await workspace();
    await accepted(await postRaw(ws.id, ws.write, padded(LIMIT), JSON_TYPE), 1);
    await accepted(await postRaw(ws.id, ws.write, await gzip(padded(LIMIT)), JSON_TYPE), 1);
  });

  it("refuses 1,000,001 bytes, declared by Content-Length or streamed without it", async () => {
    const e1 = await refused((ws) => postRaw(ws.id, ws.write, padded(LIMIT + 1), JSON_TYPE), 413, "body_too_large");
    expect(e1.details).toEqual({ limit: LIMIT });
    const e2 = await refused((ws) => postRaw(ws.id, ws.write, chunked(utf8(padded(LIMIT + 1))), JSON_TYPE), 413, "body_too_large");
    expect(e2.message).toBe("body exceeds 1000000 bytes");
  });

  it("refuses a gzip body over the limit before decompression", async () => {
    // random bytes do not compress: the gzip body itself is over the limit
    const noise = randomBytes(LIMIT + 1000);
    const gz = await gzip(noise);
    expect(gz.byteLength).toBeGreaterThan(LIMIT);
    const error = await refused((ws) => postRaw(ws.id, ws.write, gz, { ...JSON_TYPE, "Content-Encoding": "gzip" }), 413, "body_too_large");
    expect(error.message).toBe("body exceeds 1000000 bytes");
  });

  it("refuses a small gzip body that decompresses past the limit", async () => {
    const bomb = await gzip(padded(LIMIT + 1));
    expect(bomb.byteLength).toBeLessThan(10_000);
    for (const encoding of [{ "Content-Encoding": "gzip" }, {}] as Record<string, string>[]) {
      const error = await refused((ws) => postRaw(ws.id, ws.write, bomb, { ...JSON_TYPE, ...encoding }), 413, "body_too_large");
      expect(error.message).toBe("body exceeds 1000000 bytes after decompression");
    }
  });

  it("refuses 1,001 events, and accepts 1,000", async () => {
    const error = await refused((ws) => postJson(ws.id, ws.write, requestEvents(1001)), 413, "batch_too_large");
    expect(error.details).toEqual({ limit: 1000 });
    expect(error.message).toMatch(/this one has 1001$/);
    const ws = await workspace();
    await accepted(await postJson(ws.id, ws.write, requestEvents(1000)), 1000);
  });
});

describe("415: what the edge does not read", () => {
  it.each([
    ["text/plain", { "Content-Type": "text/plain" }],
    ["application/xml", { "Content-Type": "application/xml" }],
    ["multipart/form-data", { "Content-Type": "multipart/form-data; boundary=x" }],
  ])("refuses Content-Type %s", async (_, headers) => {
    const error = await refused((ws) => postRaw(ws.id, ws.write, valid(), headers), 415, "unsupported_media_type");
    expect(error.details).toEqual({ accepted: ["application/json", "application/x-ndjson", "application/ndjson", "application/jsonl"] });
  });

  it("refuses a body without Content-Type", async () => {
    const error = await refused((ws) => postRaw(ws.id, ws.write, utf8(valid())), 415, "unsupported_media_type");
    expect(error.message).toBe("Content-Type (none) is not accepted");
  });

  it.each(["br", "deflate", "compress", "gzip, br"])("refuses Content-Encoding %s", async (encoding) => {
    const error = await refused((ws) => postRaw(ws.id, ws.write, valid(), { ...JSON_TYPE, "Content-Encoding": encoding }), 415, "unsupported_encoding");
    expect(error.message).toContain(`"${encoding}"`);
  });
});

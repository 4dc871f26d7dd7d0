// `tally post`, the sending side: batching by count and bytes, retries and
// what is never retried, and rejections reported as places in the file.
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IngestResponse } from "../../shared/wire.ts";
import { LIMITS } from "../../shared/event.ts";
import { apiError, ndjson, requestEvents, startEdge, tally, tempDir, type FakeEdge, type Reply } from "./helpers.ts";

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge.close());
beforeEach(async () => {
  edge.requests.length = 0;
  edge.queue.length = 0;
  edge.stored.clear();
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

const post = (args: string[]) => tally(["post", ...args], { edge, cwd: tmp.dir });
const eventsOf = (i: number): { id: string; name: string }[] => edge.requests[i]!.json.events;

/** An edge answer that stores the batch but rejects the events at the given batch positions. */
function rejecting(positions: number[], path = "props.status", message = "must be a string, number or boolean"): (events: { id?: string }[]) => IngestResponse {
  return (events) => ({
    accepted: events.length - positions.length,
    duplicates: 0,
    rejected: positions.length,
    rejections: positions.map((index) => ({ index, id: events[index]!.id!, path, message })),
    warnings: [],
  });
}

describe("batches", () => {
  it("splits 2,500 events into batches of 1,000, 1,000 and 500, in order", async () => {
    await tmp.write("many.ndjson", ndjson(requestEvents(2500)));
    const r = await post(["many.ndjson"]);
    expect(r.code).toBe(0);
    expect(edge.requests.map((q) => q.json.events.length)).toEqual([1000, 1000, 500]);
    const names = edge.requests.flatMap((_, i) => eventsOf(i).map((e) => e.name));
    expect(names).toEqual(requestEvents(2500).map((e) => e.name));
    expect(r.stdout()).toContain("many.ndjson: 2500 accepted, 0 duplicates, 0 rejected");
  });

  it("keeps each body under 900,000 bytes", async () => {
    // ~20 kB per event: 150 events are ~3 MB, far fewer than 1,000 events
    const big = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, "x".repeat(2000)]));
    await tmp.write("big.json", JSON.stringify(requestEvents(150, { props: big })));
    const r = await post(["big.json"]);
    expect(r.code).toBe(0);
    expect(edge.requests.length).toBeGreaterThanOrEqual(4);
    for (const q of edge.requests) expect(Buffer.byteLength(q.text)).toBeLessThanOrEqual(900_000);
    // greedy packing: every batch but the last is full, the next event would not have fitted
    for (const q of edge.requests.slice(0, -1)) expect(Buffer.byteLength(q.text)).toBeGreaterThan(900_000 - 21_000);
    expect(edge.requests.reduce((n, q) => n + q.json.events.length, 0)).toBe(150);
  });

  it("still sends an event over the per-event limit, in its place, so the edge reports it", async () => {
    const events = requestEvents(3);
    events[1] = { type: "request", name: "huge", props: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, "y".repeat(2000)])) };
    await tmp.write("one-big.json", JSON.stringify(events));
    edge.handler = (req) => ({ status: 200, body: { ...rejecting([1], "", `event is 40000 bytes; the limit is ${LIMITS.eventBytes}`)(req.json.events) } });
    try {
      const r = await post(["one-big.json"]);
      expect(edge.requests).toHaveLength(1);
      expect(eventsOf(0).map((e) => e.name)).toEqual(["GET /items/0", "huge", "GET /items/2"]);
      expect(r.code).toBe(1);
      expect(r.stderr()).toMatch(/one-big\.json#1 \(id [0-9a-f]{20}-1\): event is 40000 bytes/);
    } finally {
      edge.handler = () => undefined;
    }
  });

  it("reports an event too large for any body without sending it, and sends the rest", async () => {
    const events = requestEvents(3);
    events[1] = { type: "request", name: "enormous", props: { blob: "z".repeat(1_100_000) } };
    await tmp.write("giant.json", JSON.stringify(events));
    const r = await post(["giant.json"]);
    expect(r.code).toBe(1);
    expect(edge.requests.flatMap((_, i) => eventsOf(i).map((e) => e.name))).toEqual(["GET /items/0", "GET /items/2"]);
    expect(r.stderr()).toMatch(/giant\.json#1 \(id [0-9a-f]{20}-1\): event is 1100\d\d\d bytes; the limit is 32768/);
    expect(r.stdout()).toContain("giant.json: 2 accepted, 0 duplicates, 1 rejected");
  });
});

describe("retries", () => {
  it.each<[string, Reply]>([
    ["500", apiError(500, "internal", "internal error; the request may be retried")],
    ["503", apiError(503, "unavailable", "overloaded")],
    ["502 from a proxy", { status: 502, raw: "<html>Bad Gateway</html>", headers: { "Content-Type": "text/html" } }],
    ["a dropped connection", "destroy"],
  ])("retries after %s with backoff and succeeds, with the same ids and a new sent_at", async (_, reply) => {
    await tmp.write("r.json", JSON.stringify(requestEvents(3)));
    edge.queue.push(reply, reply);
    const r = await post(["r.json"]);
    expect(r.code).toBe(0);
    expect(edge.requests).toHaveLength(3);
    expect(eventsOf(2).map((e) => e.id)).toEqual(eventsOf(0).map((e) => e.id));
    expect(eventsOf(1).map((e) => e.id)).toEqual(eventsOf(0).map((e) => e.id));
    const sentAt = edge.requests.map((q) => q.json.sent_at);
    expect(new Set(sentAt).size).toBe(3);
    // full jitter with random() = 0.5: half of 250 ms, then half of 500 ms
    expect(r.sleeps).toEqual([125, 250]);
    expect(r.stderr()).toContain("retrying in 0.1 s (retry 1 of 5)");
    expect(r.stdout()).toContain("r.json: 3 accepted, 0 duplicates, 0 rejected");
  });

  it("retries a network error when nothing listens, then gives up", async () => {
    const closed = await new Promise<number>((done) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => done(port));
      });
    });
    await tmp.write("n.json", JSON.stringify(requestEvents(1)));
    const r = await tally(["post", "n.json", "--url", `http://127.0.0.1:${closed}`, "--retries", "2"], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.sleeps).toHaveLength(2);
    expect(r.stderr()).toContain(`could not reach http://127.0.0.1:${closed}`);
    expect(r.stderr()).toContain("ECONNREFUSED");
    expect(r.stderr()).toContain("n.json: batch 1 of 1 failed after 3 attempts");
  });

  it("honours Retry-After on 429, capped at 30 s", async () => {
    await tmp.write("l.json", JSON.stringify(requestEvents(1)));
    edge.queue.push(apiError(429, "rate_limited", "slow down", undefined, { "Retry-After": "7" }));
    edge.queue.push(apiError(429, "rate_limited", "slow down", undefined, { "Retry-After": "3600" }));
    const r = await post(["l.json"]);
    expect(r.code).toBe(0);
    expect(r.sleeps).toEqual([7000, 30_000]);
    expect(edge.requests).toHaveLength(3);
  });

  it("backs off exponentially up to the 8 s cap and stops after --retries", async () => {
    await tmp.write("d.json", JSON.stringify(requestEvents(1)));
    edge.handler = () => apiError(503, "unavailable", "down");
    try {
      const r = await tally(["post", "d.json", "--retries", "7"], { edge, cwd: tmp.dir });
      expect(r.code).toBe(1);
      expect(edge.requests).toHaveLength(8);
      expect(r.sleeps).toEqual([125, 250, 500, 1000, 2000, 4000, 4000]);
      expect(r.stderr()).toContain("d.json: batch 1 of 1 failed after 8 attempts: HTTP 503 unavailable: down");
    } finally {
      edge.handler = () => undefined;
    }
  });

  it.each([
    [400, "invalid_body", "body is not valid JSON"],
    [401, "invalid_token", "unknown token"],
    [403, "insufficient_scope", "this needs a write or admin token; this is a read token"],
    [413, "body_too_large", "body exceeds 1000000 bytes"],
  ])("never retries %i", async (status, code, message) => {
    await tmp.write("x.json", JSON.stringify(requestEvents(2)));
    edge.queue.push(apiError(status, code, message, { limit: 1 }));
    const r = await post(["x.json"]);
    expect(r.code).toBe(1);
    expect(edge.requests).toHaveLength(1);
    expect(r.sleeps).toEqual([]);
    expect(r.stderr()).toContain(`x.json: batch 1 of 1 failed: HTTP ${status} ${code}: ${message}`);
    expect(r.stderr()).toContain('details: {"limit":1}');
  });
});

describe("failures", () => {
  it("stops the file at a batch that fails for good and says which batches were not sent", async () => {
    await tmp.write("f.ndjson", ndjson(requestEvents(2500)));
    edge.handler = (req) => (req.json.events[0].name === "GET /items/1000" ? apiError(400, "invalid_body", "something odd") : undefined);
    try {
      const r = await post(["f.ndjson"]);
      expect(r.code).toBe(1);
      expect(edge.requests).toHaveLength(2);
      expect(r.stderr()).toContain("f.ndjson: batch 2 of 3 failed: HTTP 400 invalid_body: something odd");
      expect(r.stderr()).toContain("f.ndjson: batches sent: 1; not sent: 2, 3 (events #1000-#1999, #2000-#2499)");
      expect(r.stdout()).toContain("f.ndjson: 1000 accepted, 0 duplicates, 0 rejected, 1500 not sent");
      expect(r.stdout()).toContain("total: 1000 accepted, 0 duplicates, 0 rejected, 1500 not sent");
    } finally {
      edge.handler = () => undefined;
    }
  });

  it("goes on with the next file after a batch-specific failure (413)", async () => {
    await tmp.write("a.json", JSON.stringify(requestEvents(1)));
    await tmp.write("b.json", JSON.stringify(requestEvents(2)));
    edge.queue.push(apiError(413, "body_too_large", "too big"));
    const r = await post(["a.json", "b.json"]);
    expect(r.code).toBe(1);
    expect(edge.requests).toHaveLength(2);
    expect(r.stdout()).toContain("b.json: 2 accepted");
  });

  it("stops every later file after an auth failure, and says so", async () => {
    await tmp.write("a.json", JSON.stringify(requestEvents(1)));
    await tmp.write("b.json", JSON.stringify(requestEvents(2)));
    edge.queue.push(apiError(401, "token_revoked", "this token has been revoked"));
    const r = await post(["a.json", "b.json"]);
    expect(r.code).toBe(1);
    expect(edge.requests).toHaveLength(1);
    expect(r.stderr()).toContain("b.json: not sent (stopped after an earlier failure); events #0-#1");
    expect(r.stdout()).toContain("total (2 files): 0 accepted, 0 duplicates, 0 rejected, 3 not sent");
    expect(r.stderr()).toContain("Running the same command again sends them");
  });

  it("sends everything again on a re-run; what got through counts as duplicates", async () => {
    await tmp.write("resume.ndjson", ndjson(requestEvents(2500)));
    edge.handler = (req) => (req.json.events[0].name === "GET /items/2000" ? apiError(503, "unavailable", "down") : undefined);
    const first = await tally(["post", "resume.ndjson", "--retries", "0"], { edge, cwd: tmp.dir });
    expect(first.code).toBe(1);
    edge.handler = () => undefined;
    const second = await post(["resume.ndjson"]);
    expect(second.code).toBe(0);
    expect(second.stdout()).toContain("resume.ndjson: 500 accepted, 2000 duplicates, 0 rejected");
  });
});

describe("rejections", () => {
  it("maps batch positions back to FILE#INDEX, with ids and warnings, and exits 1", async () => {
    const events = requestEvents(1500);
    events[1003] = { ...events[1003], id: "given-id" };
    await tmp.write("rej.ndjson", ndjson(events));
    edge.handler = (req) => {
      if (req.json.events.length !== 500) return undefined;
      const body = rejecting([3, 7])(req.json.events);
      body.warnings = [{ index: 10, code: "ts_clamped", message: "ts is more than 23 h ahead of receive time; stored as receive time" }];
      return { status: 200, body };
    };
    try {
      const r = await post(["rej.ndjson"]);
      expect(r.code).toBe(1);
      expect(r.stderr()).toContain("rej.ndjson#1003 (id given-id) props.status: must be a string, number or boolean");
      expect(r.stderr()).toMatch(/rej\.ndjson#1007 \(id [0-9a-f]{20}-1007\) props\.status: must be a string, number or boolean/);
      expect(r.stderr()).toMatch(/rej\.ndjson#1010 \(id [0-9a-f]{20}-1010\) warning ts_clamped: ts is more than 23 h ahead/);
      expect(r.stdout()).toContain("rej.ndjson: 1498 accepted, 0 duplicates, 2 rejected");
      expect(r.stdout()).toContain("total: 1498 accepted, 0 duplicates, 2 rejected");
    } finally {
      edge.handler = () => undefined;
    }
  });

  it("reports a 400 invalid_events like an answer and goes on with the next batch", async () => {
    await tmp.write("all-bad.ndjson", ndjson(requestEvents(1200)));
    edge.handler = (req) => {
      if (req.json.events.length !== 200) return undefined;
      const details = { accepted: 0, duplicates: 0, rejected: 200, rejections: req.json.events.map((e: { id: string }, index: number) => ({ index, id: e.id, path: "type", message: "required" })), warnings: [] };
      return apiError(400, "invalid_events", "all 200 events were rejected; nothing was stored", details);
    };
    try {
      const r = await post(["all-bad.ndjson"]);
      expect(r.code).toBe(1);
      expect(edge.requests).toHaveLength(2);
      expect(r.stderr()).toMatch(/all-bad\.ndjson#1000 \(id [0-9a-f]{20}-1000\) type: required/);
      expect(r.stderr()).toMatch(/all-bad\.ndjson#1199 \(id [0-9a-f]{20}-1199\) type: required/);
      expect(r.stderr()).not.toContain("failed");
      expect(r.stdout()).toContain("all-bad.ndjson: 1000 accepted, 0 duplicates, 200 rejected");
    } finally {
      edge.handler = () => undefined;
    }
  });

  it("--json gives counts, placed rejections and delivery per file", async () => {
    await tmp.write("j.json", JSON.stringify(requestEvents(4)));
    edge.queue.push({ status: 200, body: { accepted: 3, duplicates: 0, rejected: 1, rejections: [{ index: 2, path: "name", message: "required" }], warnings: [] } });
    const r = await post(["j.json", "--json"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toBe("");
    const doc = JSON.parse(r.stdout());
    expect(doc.ok).toBe(false);
    expect(doc.total).toEqual({ accepted: 3, duplicates: 0, rejected: 1, not_sent: 0 });
    expect(doc.files[0]).toMatchObject({ file: "j.json", events: 4, batches: 1, sent: [1], unsent: [], accepted: 3, rejected: 1 });
    expect(doc.files[0].rejections[0]).toMatchObject({ index: 2, path: "name", message: "required" });
    expect(doc.files[0].rejections[0].id).toMatch(/^[0-9a-f]{20}-2$/);
  });
});

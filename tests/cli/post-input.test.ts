// `tally post`, the input side: file formats and stdin, the request it makes,
// ids derived from file content, and files that do not parse (nothing sent).
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WRITE, WS, ndjson, requestEvents, startEdge, tally, tempDir, type FakeEdge } from "./helpers.ts";

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge.close());
beforeEach(async () => {
  edge.requests.length = 0;
  edge.stored.clear();
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

const post = (args: string[], stdin?: string) => tally(["post", ...args], { edge, cwd: tmp.dir, ...(stdin !== undefined ? { stdin } : {}) });
const prefixOf = (content: string | Buffer) => createHash("sha256").update(content).digest("hex").slice(0, 20);
const sentNames = () => edge.requests.flatMap((r) => r.json.events.map((e: { name: string }) => e.name));

describe("the request", () => {
  it("is a gzip JSON batch to the workspace's events with the write token and a fresh sent_at", async () => {
    await tmp.write("a.json", JSON.stringify(requestEvents(3)));
    const r = await post(["a.json"]);
    expect(r.code).toBe(0);
    expect(edge.requests).toHaveLength(1);
    const req = edge.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(`/api/v1/workspaces/${WS}/events`);
    expect(req.headers.authorization).toBe(`Bearer ${WRITE}`);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["content-encoding"]).toBe("gzip");
    expect(req.headers["user-agent"]).toBe("tally-cli");
    expect(req.rawBytes).toBeLessThan(Buffer.byteLength(req.text));
    expect(Object.keys(req.json)).toEqual(["events", "sent_at"]);
    expect(req.json.sent_at).toMatch(/^2026-11-20T10:00:\d\d\.000Z$/);
    expect(req.json.events.map((e: { name: string }) => e.name)).toEqual(["GET /items/0", "GET /items/1", "GET /items/2"]);
    expect(r.stdout()).toContain("a.json: 3 accepted, 0 duplicates, 0 rejected");
    expect(r.stdout()).toContain("total: 3 accepted, 0 duplicates, 0 rejected");
  });

  it("--workspace and --token flags win over the environment, and the workspace id is escaped", async () => {
    await tmp.write("a.json", JSON.stringify(requestEvents(1)));
    const r = await tally(["post", "a.json", "--workspace", "ws/odd", "--token", "tly_w_flag"], { edge, cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(edge.requests[0]!.path).toBe("/api/v1/workspaces/ws%2Fodd/events");
    expect(edge.requests[0]!.headers.authorization).toBe("Bearer tly_w_flag");
  });
});

describe("formats", () => {
  it("reads the object form and replaces its sent_at with the send time", async () => {
    await tmp.write("b.json", JSON.stringify({ events: requestEvents(2), sent_at: "2020-01-01T00:00:00Z" }));
    const r = await post(["b.json"]);
    expect(r.code).toBe(0);
    expect(sentNames()).toEqual(["GET /items/0", "GET /items/1"]);
    expect(edge.requests[0]!.json.sent_at).not.toBe("2020-01-01T00:00:00Z");
  });

  it.each(["c.ndjson", "c.jsonl", "c.log"])("reads NDJSON from %s, skipping blank lines", async (name) => {
    await tmp.write(name, "\n" + ndjson(requestEvents(3)).replace("\n", "\n\n") + "\n");
    const r = await post([name]);
    expect(r.stderr()).toBe("");
    expect(r.code).toBe(0);
    expect(sentNames()).toEqual(["GET /items/0", "GET /items/1", "GET /items/2"]);
  });

  it("reads a single-line NDJSON file without an extension", async () => {
    await tmp.write("one", JSON.stringify(requestEvents(1)[0]));
    const r = await post(["one"]);
    expect(r.code).toBe(0);
    expect(sentNames()).toEqual(["GET /items/0"]);
  });

  it("reads JSON from stdin with -", async () => {
    const r = await post(["-"], JSON.stringify(requestEvents(2)));
    expect(r.code).toBe(0);
    expect(sentNames()).toEqual(["GET /items/0", "GET /items/1"]);
    expect(r.stdout()).toContain("<stdin>: 2 accepted");
  });

  it("reads NDJSON from stdin with -, alongside files", async () => {
    await tmp.write("a.json", JSON.stringify(requestEvents(1, { name: "from file" })));
    const r = await post(["a.json", "-"], ndjson(requestEvents(2)));
    expect(r.code).toBe(0);
    expect(sentNames()).toEqual(["from file", "GET /items/0", "GET /items/1"]);
    expect(r.stdout()).toContain("total (2 files): 3 accepted, 0 duplicates, 0 rejected");
  });

  it("ignores a byte-order mark", async () => {
    await tmp.write("bom.json", "\ufeff" + JSON.stringify(requestEvents(1)));
    const r = await post(["bom.json"]);
    expect(r.code).toBe(0);
    expect(sentNames()).toEqual(["GET /items/0"]);
  });

  it("an empty NDJSON file posts nothing and is not a failure", async () => {
    await tmp.write("empty.ndjson", "\n\n");
    const r = await post(["empty.ndjson"]);
    expect(r.code).toBe(0);
    expect(edge.requests).toHaveLength(0);
    expect(r.stdout()).toContain("empty.ndjson: no events");
  });
});

describe("ids", () => {
  it("fills missing ids from the file's sha256 and the event's index, keeping existing ids", async () => {
    const events = [...requestEvents(2), { id: "mine-1", type: "test", name: "t" }, ...requestEvents(1)];
    const content = ndjson(events);
    await tmp.write("ids.ndjson", content);
    const r = await post(["ids.ndjson"]);
    expect(r.code).toBe(0);
    const p = prefixOf(content);
    expect(edge.requests[0]!.json.events.map((e: { id: string }) => e.id)).toEqual([`${p}-0`, `${p}-1`, "mine-1", `${p}-3`]);
  });

  it("gives the same ids on a second run, which the edge counts as duplicates", async () => {
    await tmp.write("again.json", JSON.stringify(requestEvents(5)));
    const first = await post(["again.json"]);
    const second = await post(["again.json"]);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const ids = edge.requests.map((r) => r.json.events.map((e: { id: string }) => e.id));
    expect(ids[0]).toHaveLength(5);
    expect(ids[1]).toEqual(ids[0]);
    expect(second.stdout()).toContain("again.json: 0 accepted, 5 duplicates, 0 rejected");
  });

  it("gives different ids to different content", async () => {
    await tmp.write("x.json", JSON.stringify(requestEvents(1)));
    await tmp.write("y.json", JSON.stringify(requestEvents(1, { ts: 1763632800000 })));
    await post(["x.json", "y.json"]);
    const [x, y] = edge.requests.map((r) => r.json.events[0].id);
    expect(x).not.toBe(y);
  });

  it("stdin ids come from the bytes read", async () => {
    const content = JSON.stringify(requestEvents(1));
    await post(["-"], content);
    expect(edge.requests[0]!.json.events[0].id).toBe(`${prefixOf(content)}-0`);
  });
});

describe("files that cannot be posted", () => {
  it.each([
    ["bad.json", "[{\"type\":\"request\",", "FILE: bad.json: body is not valid JSON"],
    ["bad.ndjson", `${JSON.stringify(requestEvents(1)[0])}\n\n{nope\n`, "FILE: bad.ndjson: line 3: not valid JSON"],
    ["shape.json", JSON.stringify({ events: 5 }), "FILE: shape.json: events: must be an array of events"],
    ["extra.json", JSON.stringify({ events: [], batch: 1 }), "FILE: extra.json: batch: unknown field"],
    ["scalar.json", "42", "FILE: scalar.json: body must be an array of events"],
    ["sniffed", "{\"a\":1}\n{broken", "FILE: sniffed: line 2: not valid JSON"],
    ["pretty", "[\n  {\"type\": \"request\",\n", "FILE: pretty: body is not valid JSON"],
  ])("%s: prints the issue, exits 1, posts nothing", async (name, content, message) => {
    await tmp.write("good.json", JSON.stringify(requestEvents(2)));
    await tmp.write(name, content);
    const r = await post(["good.json", name]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain(message);
    expect(r.stderr()).toContain("nothing was posted");
    expect(edge.requests).toHaveLength(0);
  });

  it("a missing file is reported and nothing is posted", async () => {
    await tmp.write("good.json", JSON.stringify(requestEvents(2)));
    const r = await post(["good.json", "missing.ndjson"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("FILE: missing.ndjson: cannot read: no such file");
    expect(edge.requests).toHaveLength(0);
  });

  it("a file that is not UTF-8 is reported", async () => {
    await tmp.write("latin1.ndjson", Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    const r = await post(["latin1.ndjson"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("FILE: latin1.ndjson: not valid UTF-8");
  });

  it("--json reports the problems as one error document", async () => {
    await tmp.write("bad.json", "nope");
    const r = await post(["bad.json", "--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout());
    expect(doc.error.code).toBe("invalid_input");
    expect(doc.error.details.problems[0]).toContain("FILE: bad.json: body is not valid JSON");
  });
});

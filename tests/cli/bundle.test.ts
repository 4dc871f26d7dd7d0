// `tally bundle export` and `tally bundle import`: a workspace out through the
// pull API and back in through ingest, idempotently; bad bundles post nothing.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { endLine, eventLine, headerLine } from "../../shared/bundle.ts";
import { configPatchRequest, type WorkspaceConfig } from "../../shared/config.ts";
import type { StoredEvent } from "../../shared/event.ts";
import type { PullResponse } from "../../shared/wire.ts";
import { ADMIN, WS, apiError, ingest, startEdge, tally, tempDir, type FakeEdge } from "./helpers.ts";

const READ = "tly_r_abcdefghijklmnopqrstuvwxyz012345";
const base = `/api/v1/workspaces/${WS}`;

/** The source workspace's log, served in pages of `pageSize`. */
let log: StoredEvent[] = [];
let config: WorkspaceConfig = {};
let pageSize = 5000;
let patches: unknown[] = [];

function events(n: number): StoredEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: 10 + i * 3,
    id: `evt-${i}`,
    ts: Date.UTC(2026, 10, 1) + i * 1000,
    received_at: Date.UTC(2026, 10, 1) + i * 1000 + 7,
    type: i % 2 ? "test" : "request",
    name: `GET /items/${i % 5}`,
    props: { status: 200, env: "prod", flaky: i % 3 === 0 },
  }));
}

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
  edge = await startEdge((req, e) => {
    const url = new URL(req.path, "http://x");
    if (req.method === "GET" && url.pathname === base) return { status: 200, body: { workspace: { id: WS, name: "payments", demo: true, created_at: "2026-11-01T00:00:00Z" } } };
    if (req.method === "GET" && url.pathname === `${base}/config`) return { status: 200, body: { config, versions: {} } };
    if (req.method === "PATCH" && url.pathname === `${base}/config`) {
      if (req.headers.authorization !== `Bearer ${ADMIN}`) return apiError(403, "insufficient_scope", "this takes admin tokens");
      const parsed = configPatchRequest.safeParse(req.json);
      if (!parsed.success) return apiError(400, "invalid_body", parsed.error.issues[0]!.message);
      patches.push(req.json);
      return { status: 200, body: { config: req.json.set, versions: {}, changed: Object.keys(req.json.set), overwritten: [] } };
    }
    if (req.method === "GET" && url.pathname === `${base}/events`) {
      const after = Number(url.searchParams.get("after") ?? 0);
      const rest = log.filter((ev) => ev.seq > after);
      const page = rest.slice(0, pageSize);
      const body: PullResponse = { events: page, next: page.at(-1)?.seq ?? after, more: rest.length > page.length };
      return { status: 200, body };
    }
    if (req.method === "POST" && url.pathname === `${base}/events`) return { status: 200, body: ingest(req.json.events, e.stored) };
    return undefined;
  });
});
afterAll(async () => {
  await edge.close();
  await tmp.remove();
});
beforeEach(() => {
  edge.requests.length = 0;
  edge.stored.clear();
  log = events(25);
  config = { thresholds: { coverage_min: 70 }, personas: ["admin", "guest"] };
  pageSize = 10;
  patches = [];
});

const posts = () => edge.requests.filter((r) => r.method === "POST");

describe("tally bundle export", () => {
  it("writes every page, the config and an end line to a gzip file", async () => {
    const r = await tally(["bundle", "export", "--out", "ws.ndjson.gz"], { edge, cwd: tmp.dir, token: READ });
    expect(r.stderr()).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout()).toContain('Exported 25 events and 2 config keys of "payments"');
    const lines = gunzipSync(await readFile(join(tmp.dir, "ws.ndjson.gz"))).toString("utf8").trim().split("\n");
    expect(lines).toHaveLength(27);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: "tally-bundle", version: 1, workspace: { id: WS, name: "payments", demo: true }, config });
    expect(lines.slice(1, -1)).toEqual(log.map(eventLine));
    expect(lines.at(-1)).toBe(endLine(25));
    // three pages of ten, each after the last one's cursor
    expect(edge.requests.filter((q) => q.path.includes("/events")).map((q) => new URL(q.path, "http://x").searchParams.get("after"))).toEqual(["0", "37", "67"]);
  });

  it("leaves out a stored config key that no longer fits today's schema, saying so, and the bundle still imports", async () => {
    config = { thresholds: { coverage_min: "high" }, personas: ["admin"] } as unknown as WorkspaceConfig;
    const r = await tally(["bundle", "export", "--out", "stale.ndjson"], { edge, cwd: tmp.dir, token: READ });
    expect(r.code).toBe(0);
    expect(r.stderr()).toMatch(/config key thresholds \(does not fit today's schema: .*\): left out of the bundle/);
    const first = JSON.parse((await readFile(join(tmp.dir, "stale.ndjson"), "utf8")).split("\n")[0]!);
    expect(first.config).toEqual({ personas: ["admin"] });
    const i = await tally(["bundle", "import", "stale.ndjson"], { edge, cwd: tmp.dir });
    expect(i.code).toBe(0);
    expect(edge.stored.size).toBe(25);
  });

  it("writes to stdout without --out, the summary on stderr", async () => {
    const r = await tally(["bundle", "export"], { edge, cwd: tmp.dir, token: READ });
    expect(r.code).toBe(0);
    expect(r.stdout().trim().split("\n")).toHaveLength(27);
    expect(r.stderr()).toContain("Exported 25 events");
  });

  it("removes only its half-written .partial when a page fails, keeping a good bundle already there", async () => {
    const good = await tally(["bundle", "export", "--out", "kept.ndjson"], { edge, cwd: tmp.dir, token: READ });
    expect(good.code).toBe(0);
    const before = await readFile(join(tmp.dir, "kept.ndjson"), "utf8");
    expect(before.trim().split("\n")).toHaveLength(27);
    edge.queue.push({ status: 200, body: { workspace: { id: WS, name: "p", demo: false } } }, { status: 200, body: { config: {}, versions: {} } }, apiError(401, "token_revoked", "revoked"));
    const r = await tally(["bundle", "export", "--out", "kept.ndjson"], { edge, cwd: tmp.dir, token: READ });
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("could not read events after seq 0: HTTP 401 token_revoked: revoked");
    expect(await readFile(join(tmp.dir, "kept.ndjson"), "utf8")).toBe(before);
    await expect(readFile(join(tmp.dir, "kept.ndjson.partial"))).rejects.toThrow(/ENOENT/);
    // with nothing there before, nothing is left
    edge.queue.push({ status: 200, body: { workspace: { id: WS, name: "p", demo: false } } }, { status: 200, body: { config: {}, versions: {} } }, apiError(401, "token_revoked", "revoked"));
    expect((await tally(["bundle", "export", "--out", "broken.ndjson"], { edge, cwd: tmp.dir, token: READ })).code).toBe(1);
    await expect(readFile(join(tmp.dir, "broken.ndjson"))).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(tmp.dir, "broken.ndjson.partial"))).rejects.toThrow(/ENOENT/);
  });
});

describe("tally bundle import", () => {
  const write = async (name: string, lines: string[], gz = false) => {
    const text = lines.join("\n") + "\n";
    return tmp.write(name, gz ? gzipSync(text) : text);
  };
  const valid = (evs: StoredEvent[] = log) => [
    headerLine({ exported_at: "2026-11-23T10:00:00.000Z", workspace: { id: "ws_src", name: "source", demo: false }, config }),
    ...evs.map(eventLine),
    endLine(evs.length),
  ];

  it("posts events with their ids in batches, and a second import stores nothing new", async () => {
    const file = await write("b.ndjson.gz", valid(events(2500)), true);
    const first = await tally(["bundle", "import", file], { edge, cwd: tmp.dir });
    expect(first.code).toBe(0);
    expect(first.stdout()).toContain("events: 2500 in the bundle, 2500 stored, 0 already there, 0 rejected");
    expect(posts().map((p) => p.json.events.length)).toEqual([1000, 1000, 500]);
    expect(posts()[0]!.json.events[0]).toEqual({ id: "evt-0", ts: Date.UTC(2026, 10, 1), type: "request", name: "GET /items/0", props: { status: 200, env: "prod", flaky: true } });
    expect(posts()[0]!.json.sent_at).toBeUndefined();
    expect(posts()[0]!.headers["content-encoding"]).toBe("gzip");

    const again = await tally(["bundle", "import", file], { edge, cwd: tmp.dir });
    expect(again.code).toBe(0);
    expect(again.stdout()).toContain("0 stored, 2500 already there");
    expect(edge.stored.size).toBe(2500);
  });

  it("skips the config without an admin token, saying how to write it", async () => {
    const file = await write("c.ndjson", valid());
    const r = await tally(["bundle", "import", file], { edge, cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout()).toContain("config: personas, thresholds not written: pass --admin-token (or set TALLY_ADMIN_TOKEN)");
    expect(patches).toEqual([]);
  });

  it("writes the config with --admin-token or TALLY_ADMIN_TOKEN", async () => {
    const file = await write("d.ndjson", valid());
    const r = await tally(["bundle", "import", file, "--admin-token", ADMIN], { edge, cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout()).toContain("config: personas, thresholds written");
    expect(patches).toEqual([{ set: config }]);
    const env = await tally(["bundle", "import", file], { edge, cwd: tmp.dir, env: { TALLY_ADMIN_TOKEN: ADMIN } });
    expect(env.code).toBe(0);
    expect(patches).toHaveLength(2);
  });

  it("skips a bundle's config key that no longer fits, with a warning naming it, and imports the rest", async () => {
    const lines = valid();
    lines[0] = lines[0]!.replace('"coverage_min":70', '"coverage_min":"high"');
    await write("stale-in.ndjson", lines);
    const r = await tally(["bundle", "import", "stale-in.ndjson", "--admin-token", ADMIN], { edge, cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr()).toMatch(/stale-in\.ndjson line 1, config\.thresholds\.coverage_min: .*the key thresholds does not fit today's schema and was skipped/);
    expect(edge.stored.size).toBe(25);
    expect(patches).toEqual([{ set: { personas: ["admin", "guest"] } }]);
  });

  it("refuses a bad bundle naming line and field, and posts nothing", async () => {
    const lines = valid();
    lines[4] = JSON.stringify({ ...JSON.parse(lines[4]!), props: { status: null } });
    lines[9] = "{oops";
    const file = await write("bad.ndjson", lines);
    const r = await tally(["bundle", "import", file], { edge, cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("bad.ndjson is not a valid bundle; nothing was posted:");
    expect(r.stderr()).toContain("bad.ndjson line 5, props.status: must be a string, number or boolean");
    expect(r.stderr()).toContain("bad.ndjson line 10: not valid JSON");
    expect(posts()).toEqual([]);
  });

  it("refuses a cut-short bundle and a file that is not one", async () => {
    const cut = await write("cut.ndjson", valid().slice(0, -1));
    const r = await tally(["bundle", "import", cut], { edge, cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("line 27: the end line is missing after 25 events");
    const csv = await write("x.csv", ["a,b,c", "1,2,3"]);
    const c = await tally(["bundle", "import", csv, "--json"], { edge, cwd: tmp.dir });
    expect(c.code).toBe(1);
    expect(JSON.parse(c.stdout()).error).toMatchObject({ code: "invalid_bundle", details: { problems: [expect.stringMatching(/^line 1: not a Tally bundle/)] } });
    const missing = await tally(["bundle", "import", "nope.ndjson"], { edge, cwd: tmp.dir });
    expect(missing.stderr()).toContain("cannot read it: no such file");
    expect(posts()).toEqual([]);
  });

  it("reports rejections by bundle line and stops at a batch that cannot be delivered", async () => {
    const file = await write("r.ndjson", valid(events(1500)));
    edge.queue.push({ status: 200, body: { accepted: 999, duplicates: 0, rejected: 1, rejections: [{ index: 3, id: "evt-3", path: "name", message: "too long" }], warnings: [] } });
    edge.queue.push(apiError(403, "insufficient_scope", "this takes write tokens"));
    const r = await tally(["bundle", "import", file], { edge, cwd: tmp.dir });
    expect(r.code).toBe(1);
    // the header is line 1, so the batch's index 3 is line 5
    expect(r.stderr()).toContain("r.ndjson line 5, name: too long");
    expect(r.stderr()).toContain("the import stopped: HTTP 403 insufficient_scope: this takes write tokens");
    expect(r.stderr()).toContain("run it again");
  });

  it("round-trips an export into an import", async () => {
    const out = await tally(["bundle", "export", "--out", "round.ndjson.gz"], { edge, cwd: tmp.dir, token: READ });
    expect(out.code).toBe(0);
    const r = await tally(["bundle", "import", "round.ndjson.gz", "--admin-token", ADMIN], { edge, cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect([...edge.stored]).toEqual(log.map((e) => e.id));
    // whole events, as posted: ids, times, types, names and props (received_at is the target edge's)
    const posted = posts().flatMap((p) => p.json.events as unknown[]);
    expect(posted).toEqual(log.map((e) => ({ id: e.id, ts: e.ts, type: e.type, name: e.name, props: e.props })));
    expect(patches).toEqual([{ set: config }]);
  });
});

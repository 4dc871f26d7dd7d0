/**
 * Test doubles for the CLI: a fake edge on a real local HTTP server (it undoes
 * gzip and records every request), and an Io whose output is captured and
 * whose sleeps return at once but are recorded.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import type { IngestResponse } from "../../shared/wire.ts";
import { run, type Io } from "../../cli/main.ts";

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as sent, before decompression. */
  rawBytes: number;
  /** The body after gunzip, as text. */
  text: string;
  json: any;
}

/** What the fake edge answers; `destroy` drops the connection with no answer. */
export type Reply = { status: number; body?: unknown; headers?: Record<string, string>; raw?: string } | "destroy";
export type Handler = (req: Recorded, edge: FakeEdge) => Reply | undefined | Promise<Reply | undefined>;

export interface FakeEdge {
  url: string;
  requests: Recorded[];
  /** Ids the default events handler has stored. */
  stored: Set<string>;
  /** Replies used first, one per request, before `handler`. */
  queue: Reply[];
  handler: Handler;
  close(): Promise<void>;
}

/** The edge's ingest answer for a batch, deduplicating ids across requests like the real one. */
export function ingest(events: { id?: string }[], stored: Set<string>): IngestResponse {
  let accepted = 0;
  let duplicates = 0;
  for (const e of events) {
    if (e.id !== undefined && stored.has(e.id)) duplicates++;
    else {
      accepted++;
      if (e.id !== undefined) stored.add(e.id);
    }
  }
  return { accepted, duplicates, rejected: 0, rejections: [], warnings: [] };
}

const defaultHandler: Handler = (req, edge) => {
  if (req.method === "POST" && /\/events$/.test(req.path)) return { status: 200, body: ingest(req.json.events, edge.stored) };
  return undefined;
};

export async function startEdge(handler: Handler = defaultHandler): Promise<FakeEdge> {
  const edge: FakeEdge = { url: "", requests: [], stored: new Set(), queue: [], handler, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      const text = body.toString("utf8");
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: Recorded = { method: req.method!, path: req.url!, headers: req.headers, rawBytes: raw.length, text, json };
      edge.requests.push(recorded);
      const reply = edge.queue.shift() ?? (await edge.handler(recorded, edge)) ?? (await defaultHandler(recorded, edge));
      if (reply === undefined) {
        res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: { code: "not_found", message: "no route" } }));
      } else if (reply === "destroy") {
        req.socket.destroy();
      } else {
        res.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
        res.end(reply.raw ?? JSON.stringify(reply.body ?? {}));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  edge.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  edge.close = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return edge;
}

/** An error envelope reply. */
export function apiError(status: number, code: string, message: string, details?: unknown, headers?: Record<string, string>): Reply {
  return { status, body: { error: { code, message, details } }, ...(headers ? { headers } : {}) };
}

export interface Harness {
  io: Io;
  stdout: () => string;
  stderr: () => string;
  sleeps: number[];
}

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  cwd: string;
  fetch?: typeof fetch;
  random?: () => number;
}

/** An Io with captured output, no real waiting, and a clock that ticks one second per read. */
export function harness(options: HarnessOptions): Harness {
  let out = "";
  let err = "";
  const sleeps: number[] = [];
  let clock = Date.UTC(2026, 10, 20, 10, 0, 0);
  const io: Io = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdin: (async function* () {
      if (options.stdin !== undefined) yield Buffer.from(options.stdin);
    })(),
    env: options.env ?? {},
    cwd: options.cwd,
    sleep: async (ms) => void sleeps.push(ms),
    random: options.random ?? (() => 0.5),
    now: () => (clock += 1000),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return { io, stdout: () => out, stderr: () => err, sleeps };
}

/** A fresh directory for a test's files (and its .dev.vars), removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; write(name: string, content: string | Buffer): Promise<string>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "tally-cli-"));
  return {
    dir,
    write: async (name, content) => {
      await writeFile(join(dir, name), content);
      return name;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export const WS = "ws_0123456789abcdef0123";
export const WRITE = "tly_w_abcdefghijklmnopqrstuvwxyz012345";
export const ADMIN = "tly_a_abcdefghijklmnopqrstuvwxyz012345";

/** Runs the CLI against `edge` with workspace and token set in the environment. */
export async function tally(
  args: string[],
  options: { edge?: FakeEdge; cwd: string; stdin?: string; env?: Record<string, string | undefined>; token?: string; fetch?: typeof fetch },
): Promise<Harness & { code: number }> {
  const env = {
    ...(options.edge ? { TALLY_URL: options.edge.url } : {}),
    TALLY_WORKSPACE: WS,
    TALLY_TOKEN: options.token ?? WRITE,
    ...options.env,
  };
  const h = harness({ env, cwd: options.cwd, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  const code = await run(args, h.io);
  return { ...h, code };
}

/** `n` valid request events, without ids. */
export function requestEvents(n: number, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ type: "request", name: `GET /items/${i}`, props: { status: 200, latency_ms: i % 97 }, ...extra }));
}

export function ndjson(events: unknown[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + "\n";
}

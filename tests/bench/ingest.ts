/**
 * Ingestion throughput: the product's `POST /api/v1/workspaces/:id/events`
 * against a bare-insert Worker (bare/worker.ts) on the same machine, the same
 * D1 schema and the same batches. The ratio, not the raw rate, is the figure:
 * it says what auth, validation and dedupe cost over writing rows at all.
 */
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CreateWorkspaceResponse, IngestResponse, PullResponse } from "../../shared/wire.ts";
import { requestEvents, type EventSource } from "./events.ts";
import type { Figure } from "./table.ts";
import { startWranglerDev, type DevServer } from "../support/wrangler-dev.ts";
import { median, notes } from "./stats.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BATCHES = 100;
const EVENTS_PER_BATCH = 1_000;
const SENDERS = 4;
const ROUNDS = 3;
const WARMUP_BATCHES = 5;
const TARGET_RATIO = 0.8;

/** A place to post batches; `post` resolves to the events it stored, or throws. */
interface Target {
  name: string;
  server: DevServer;
  post(body: string): Promise<number>;
  /** Events the target holds, read back from it where it can tell. */
  stored?(): Promise<number>;
}

async function failed(res: Response, what: string): Promise<Error> {
  return new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
}

async function productTarget(server: DevServer, adminSecret: string): Promise<Target> {
  const url = server.url;
  const res = await fetch(`${url}/api/v1/workspaces`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminSecret}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "ingest bench" }),
  });
  if (res.status !== 201) throw await failed(res, "creating the bench workspace");
  const ws = (await res.json()) as CreateWorkspaceResponse;
  const events = `${url}/api/v1/workspaces/${ws.workspace.id}/events`;
  return {
    name: "product",
    server,
    async post(body) {
      const res = await fetch(events, {
        method: "POST",
        headers: { Authorization: `Bearer ${ws.tokens.write.token}`, "Content-Type": "application/json" },
        body,
      });
      if (res.status !== 200) throw await failed(res, "product ingest");
      const r = (await res.json()) as IngestResponse;
      if (r.duplicates !== 0 || r.rejected !== 0) throw new Error(`product ingest: ${JSON.stringify(r).slice(0, 500)}`);
      return r.accepted;
    },
    async stored() {
      // the sync pull, page by page: what a browser would get
      let after = 0;
      let count = 0;
      for (;;) {
        const res = await fetch(`${events}?after=${after}&limit=5000`, { headers: { Authorization: `Bearer ${ws.tokens.read.token}` } });
        if (res.status !== 200) throw await failed(res, "product pull");
        const page = (await res.json()) as PullResponse;
        count += page.events.length;
        after = page.next;
        if (!page.more) return count;
      }
    },
  };
}

function bareTarget(server: DevServer): Target {
  return {
    name: "bare",
    server,
    async post(body) {
      const res = await fetch(`${server.url}/events`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      if (res.status !== 200) throw await failed(res, "bare ingest");
      return ((await res.json()) as { inserted: number }).inserted;
    },
  };
}

/** `{ events }` bodies, serialised up front so the timing holds no client JSON work. */
function bodies(source: EventSource, batches: number): string[] {
  return Array.from({ length: batches }, () => JSON.stringify({ events: source.next(EVENTS_PER_BATCH) }));
}

interface Rates {
  /** Events per second of wall time, first send to last response. */
  wall: number;
  /** Events per CPU-second of the server's processes: steadier on a busy machine. */
  cpu: number;
}

/**
 * Posts every body from SENDERS concurrent senders, each taking the next body
 * from a shared queue.
 */
async function send(target: Target, batches: string[]): Promise<Rates> {
  let next = 0;
  let stored = 0;
  const cpuBefore = target.server.cpuSeconds();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let i = next++; i < batches.length; i = next++) {
        const n = await target.post(batches[i]!); // not `stored += await`: that reads stored before the await
        stored += n;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = target.server.cpuSeconds() - cpuBefore;
  const expected = batches.length * EVENTS_PER_BATCH;
  if (stored !== expected) throw new Error(`${target.name}: stored ${stored} of ${expected} events`);
  return { wall: expected / seconds, cpu: expected / cpuSeconds };
}


const note = notes("ingest");

export async function ingestBench(): Promise<Figure[]> {
  const adminSecret = randomBytes(24).toString("base64url");
  const servers: DevServer[] = [];
  let ok = false;
  try {
    const started = await Promise.allSettled([
      startWranglerDev({ label: "product", config: join(ROOT, "wrangler.toml"), database: "tally", vars: { TALLY_ADMIN_SECRET: adminSecret }, emptyAssets: true }),
      startWranglerDev({ label: "bare", config: join(ROOT, "tests/bench/bare/wrangler.toml"), database: "tally-bench-bare" }),
    ]);
    for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    const [product, bare] = servers as [DevServer, DevServer];
    const productT = await productTarget(product, adminSecret);
    const targets = [productT, bareTarget(bare)];

    // warm-up: JIT, D1 connections, first pages of the table; events not used later
    const warmup = bodies(requestEvents(1), WARMUP_BATCHES);
    for (const t of targets) await send(t, warmup);

    // every round has new ids (the product would count repeats as duplicates),
    // and both targets get that round's very same bodies
    const rates: Record<string, Rates[]> = { product: [], bare: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const batches = bodies(requestEvents(10 + round), BATCHES);
      // alternate who goes first, so neither always runs on the warmer machine
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const rate = await send(t, batches);
        rates[t.name]!.push(rate);
        note(
          `round ${round + 1}/${ROUNDS} ${t.name.padEnd(7)} ${Math.round(rate.wall).toLocaleString("en-US").padStart(6)} events/s, ` +
            `${Math.round(rate.cpu).toLocaleString("en-US").padStart(6)} events per server CPU-second`,
        );
      }
      note(`round ${round + 1}/${ROUNDS} product/bare ${(rates["product"]![round]!.wall / rates["bare"]![round]!.wall).toFixed(2)}x`);
    }

    const expected = (WARMUP_BATCHES + ROUNDS * BATCHES) * EVENTS_PER_BATCH;
    const pulled = await productT.stored!();
    if (pulled !== expected) throw new Error(`product: sync pull returned ${pulled} events, expected ${expected}`);
    ok = true;

    const label = `${BATCHES} x ${EVENTS_PER_BATCH} events, ${SENDERS} senders, median of ${ROUNDS}`;
    const med = (name: string, key: keyof Rates) => median(rates[name]!.map((r) => r[key]));
    return [
      { figure: `ingest events/s (${label})`, value: med("product", "wall"), baseline: med("bare", "wall"), minRatio: TARGET_RATIO },
      // no target: shown because wall time swings with whatever else the machine runs
      { figure: "ingest events per server CPU-second (same runs)", value: med("product", "cpu"), baseline: med("bare", "cpu") },
    ];
  } finally {
    if (!ok) for (const s of servers) process.stderr.write(`  ingest: wrangler output kept in ${s.logFile}\n`);
    await Promise.all(servers.map((s) => s.stop({ keep: !ok })));
  }
}

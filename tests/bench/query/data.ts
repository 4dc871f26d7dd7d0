/**
 * Synthetic `request` traffic for the query bench: N events over 30 days from
 * a seeded generator, so every run (and both systems) sees the same data. It
 * writes typed arrays directly, a million events in about a second, and hands
 * out the same rows twice: as the engine's 4,096-event ColumnBlocks and as
 * whole columns for loading into DuckDB.
 */
import { encode, newDictionary, typeCode, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";
import { mulberry32 } from "../../../shared/prng.ts";

export const BLOCK_SIZE = 4_096;
const DAY_MS = 86_400_000;
/** The 30 days end here, so results never depend on the clock. */
export const END_MS = Date.UTC(2026, 10, 20);


const RESOURCES = ["users", "orders", "products", "invoices", "payments", "carts", "sessions", "teams", "projects", "webhooks"];
const SHAPES = ["", "/{id}", "/{id}/events", "/{id}/members/{memberId}", "/search"];
const PROTOCOLS: [string, number][] = [["http", 70], ["grpc", 12], ["graphql", 8], ["websocket", 6], ["sse", 4]];
const ENVS: [string, number][] = [["production", 70], ["staging", 20], ["ci", 10]];
const OK_STATUSES: [number, number][] = [[200, 80], [201, 8], [204, 6], [304, 6]];
const CLIENT_ERRORS: [number, number][] = [[400, 25], [401, 15], [403, 8], [404, 35], [409, 5], [422, 7], [429, 5]];
const SERVER_ERRORS: [number, number][] = [[500, 55], [502, 20], [503, 20], [504, 5]];

/** The same rows, as columns: string props are dictionary codes into `dict`. */
export interface TrafficColumns {
  ts: Float64Array;
  name: Int32Array;
  method: Int32Array;
  endpoint: Int32Array;
  protocol: Int32Array;
  env: Int32Array;
  status: Float64Array;
  latency_ms: Float64Array;
}

export interface TrafficData {
  blocks: ColumnBlock[];
  dict: Dictionary;
  columns: TrafficColumns;
  /** The 30 days, `to` exclusive. */
  range: { from: number; to: number };
}

interface Endpoint {
  path: number;
  methods: number[];
  names: number[];
  /** log-latency median and share of 5xx. */
  mu: number;
  serverErrors: number;
}

/** `n` request events, deterministic for a given `seed`. */
export function trafficData(n: number, seed = 42): TrafficData {
  const rand = mulberry32(seed);
  const dict = newDictionary();
  const methodNames = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  const methodCodes = methodNames.map((m) => encode(dict, m));
  const endpoints: Endpoint[] = RESOURCES.flatMap((r) =>
    SHAPES.map((shape) => {
      const path = `/api/v1/${r}${shape}`;
      const methods = shape === "/search" ? [0] : shape === "" ? [0, 1] : [0, 2, 3, 4];
      return {
        path: encode(dict, path),
        methods: methods.map((m) => methodCodes[m]!),
        names: methods.map((m) => encode(dict, `${methodNames[m]} ${path}`)),
        mu: Math.log(8 + rand() * 120),
        serverErrors: 0.002 + rand() * rand() * 0.08,
      };
    }),
  );
  // Zipf-like popularity: a few endpoints take most of the traffic
  const popularity = endpoints.map((_, i) => 1 / (i + 1) ** 0.9);
  const pickEndpoint = sampler(popularity, rand);
  const protocol = weighted(PROTOCOLS.map(([p, w]) => [encode(dict, p), w]), rand);
  const env = weighted(ENVS.map(([e, w]) => [encode(dict, e), w]), rand);
  const ok = weighted(OK_STATUSES, rand);
  const clientError = weighted(CLIENT_ERRORS, rand);
  const serverError = weighted(SERVER_ERRORS, rand);

  const from = END_MS - 30 * DAY_MS;
  const step = (30 * DAY_MS) / n;
  const c: TrafficColumns = {
    ts: new Float64Array(n),
    name: new Int32Array(n),
    method: new Int32Array(n),
    endpoint: new Int32Array(n),
    protocol: new Int32Array(n),
    env: new Int32Array(n),
    status: new Float64Array(n),
    latency_ms: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    // arrival order with some jitter, as events reach the edge slightly out of order
    c.ts[i] = Math.min(END_MS - 1, Math.max(from, Math.floor(from + i * step + (rand() - 0.5) * 60_000)));
    const e = endpoints[pickEndpoint()]!;
    const m = Math.floor(rand() * e.methods.length);
    c.method[i] = e.methods[m]!;
    c.name[i] = e.names[m]!;
    c.endpoint[i] = e.path;
    c.protocol[i] = protocol();
    c.env[i] = env();
    const u = rand();
    const status = u < e.serverErrors ? serverError() : u < e.serverErrors + 0.06 ? clientError() : ok();
    c.status[i] = status;
    // lognormal around the endpoint's median; failures are slower
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const latency = Math.exp(e.mu + 0.7 * z) * (status >= 500 ? 3 : 1);
    c.latency_ms[i] = Math.round(latency * 10) / 10;
  }
  return { blocks: toBlocks(c, n), dict, columns: c, range: { from, to: END_MS } };
}

function toBlocks(c: TrafficColumns, n: number): ColumnBlock[] {
  const blocks: ColumnBlock[] = [];
  const request = typeCode("request");
  for (let start = 0; start < n; start += BLOCK_SIZE) {
    const end = Math.min(n, start + BLOCK_SIZE);
    const length = end - start;
    const ts = c.ts.slice(start, end);
    blocks.push({
      length,
      seq: Float64Array.from({ length }, (_, i) => start + i + 1),
      ts,
      receivedAt: ts.map((t) => t + 50),
      type: new Uint8Array(length).fill(request),
      name: c.name.slice(start, end),
      ids: Array.from({ length }, (_, i) => `evt-${start + i}`),
      props: {
        method: { kind: "str", codes: c.method.slice(start, end) },
        endpoint: { kind: "str", codes: c.endpoint.slice(start, end) },
        status: { kind: "num", values: c.status.slice(start, end) },
        latency_ms: { kind: "num", values: c.latency_ms.slice(start, end) },
        protocol: { kind: "str", codes: c.protocol.slice(start, end) },
        env: { kind: "str", codes: c.env.slice(start, end) },
      },
    });
  }
  return blocks;
}

/** Draws an index with probability proportional to `weights`. */
function sampler(weights: number[], rand: () => number): () => number {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cumulative = weights.map((w) => (acc += w / total));
  return () => {
    const u = rand();
    const i = cumulative.findIndex((c) => u < c);
    return i < 0 ? weights.length - 1 : i;
  };
}

function weighted(choices: [number, number][], rand: () => number): () => number {
  const pick = sampler(choices.map(([, w]) => w), rand);
  return () => choices[pick()]![0];
}

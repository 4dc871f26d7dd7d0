/**
 * Fixtures for the app's data layer: a fresh fake IndexedDB per test, event
 * factories, and a fake edge serving pages from an in-memory log through a
 * fetch function (recording every request).
 */
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { expect } from "vitest";
import type { EventType, StoredEvent } from "../../shared/event.ts";
import type { PullResponse } from "../../shared/wire.ts";
import type { RetentionCutoffs } from "../../shared/config.ts";
import { TallyDb } from "../../app/src/store/db.ts";

let dbCount = 0;

/** A TallyDb on its own fake IndexedDB; pass `factory` to open the same one again. */
export function openTestDb(factory: IDBFactory = new IDBFactory(), name = `tally-test-${++dbCount}`): { db: TallyDb; factory: IDBFactory; name: string } {
  return { db: new TallyDb({ name, indexedDB: factory, IDBKeyRange }), factory, name };
}

const TYPES: EventType[] = ["request", "request", "request", "test", "job"];
const ENDPOINTS = ["/users/{id}", "/orders", "/items/{id}", "/login", "/health", "/search"];

/** `n` events with seq `from`, `from + 1`, …: varied types, names and props (numbers and strings, some absent). */
export function makeEvents(n: number, from = 1): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let i = 0; i < n; i++) {
    const seq = from + i;
    const endpoint = ENDPOINTS[seq % ENDPOINTS.length]!;
    const props: StoredEvent["props"] = { endpoint, method: seq % 3 === 0 ? "POST" : "GET", status: seq % 11 === 0 ? 500 : 200, latency_ms: (seq * 37) % 997 };
    if (seq % 2 === 0) props["env"] = seq % 4 === 0 ? "prod" : "dev";
    // a prop that is rare and unique-valued, to grow the dictionary page after page
    if (seq % 50 === 0) props["run"] = `run-${seq}`;
    out.push({
      seq,
      id: `evt-${seq}`,
      ts: Date.UTC(2026, 10, 1) + seq * 61_000,
      received_at: Date.UTC(2026, 10, 1) + seq * 61_000 + 500,
      type: TYPES[seq % TYPES.length]!,
      name: `${props["method"]} ${endpoint}`,
      props,
    });
  }
  return out;
}

export interface FakeEdgeRequest {
  path: string;
  after: number | null;
  authorization: string | null;
}

/** What a test may answer instead of the log: a Response, or an error to reject fetch with. */
export type Override = (req: FakeEdgeRequest, call: number) => Response | Error | undefined;

export interface FakeEdge {
  fetch: typeof fetch;
  requests: FakeEdgeRequest[];
  log: StoredEvent[];
  override: Override | null;
  /** Sent with every events page when set, as an edge with retention configured does. */
  retention?: RetentionCutoffs;
}

export const TOKEN = "tly_r_test";

/** A fetch serving `GET /api/v1/workspaces/:id` and its events from `log`, checking the bearer token. */
export function fakeEdge(log: StoredEvent[], workspaceId = "ws_test"): FakeEdge {
  const edge: FakeEdge = {
    log,
    requests: [],
    override: null,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const headers = new Headers(init?.headers);
      const req: FakeEdgeRequest = { path: url.pathname, after: url.searchParams.has("after") ? Number(url.searchParams.get("after")) : null, authorization: headers.get("authorization") };
      edge.requests.push(req);
      const custom = edge.override?.(req, edge.requests.length);
      // as a real fetch does when its signal aborts before the answer arrives
      if (init?.signal?.aborted) throw new DOMException("The operation was aborted.", "AbortError");
      if (custom instanceof Error) throw custom;
      if (custom) return custom;
      if (req.authorization !== `Bearer ${TOKEN}`) return errorResponse(401, "invalid_token", "unknown token");
      const base = `/api/v1/workspaces/${workspaceId}`;
      if (url.pathname === base) return Response.json({ workspace: { id: workspaceId, name: "payments-api", demo: true, created_at: "2026-11-01T00:00:00.000Z" } });
      if (url.pathname === `${base}/events`) {
        const after = req.after ?? 0;
        const limit = Number(url.searchParams.get("limit") ?? 5000);
        const rest = edge.log.filter((e) => e.seq > after);
        const events = rest.slice(0, limit);
        const body: PullResponse = { events, next: events.at(-1)?.seq ?? after, more: rest.length > limit };
        if (edge.retention) body.retention = edge.retention;
        return Response.json(body);
      }
      return errorResponse(404, "not_found", "no such route");
    },
  };
  return edge;
}

export function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message, details: null } }, { status });
}

/** Whether two events are the same: every field and prop strictly equal (a number is not its text). */
function sameEvent(a: StoredEvent, b: StoredEvent): boolean {
  if (a.seq !== b.seq || a.id !== b.id || a.ts !== b.ts || a.received_at !== b.received_at || a.type !== b.type || a.name !== b.name) return false;
  let keys = 0;
  for (const k in a.props) {
    keys++;
    if (!(k in b.props) || !Object.is(a.props[k], b.props[k])) return false;
  }
  for (const _ in b.props) keys--;
  return keys === 0;
}

/**
 * Expects the same events in the same order. For tens of thousands of events
 * this is far faster than a deep `toEqual`, and a failure shows the first
 * differing events rather than a diff of everything.
 */
export function expectSameEvents(actual: readonly StoredEvent[], expected: readonly StoredEvent[]): void {
  const at = actual.findIndex((e, i) => i >= expected.length || !sameEvent(e, expected[i]!));
  if (at !== -1) {
    expect(actual.slice(at, at + 3), `events from index ${at}`).toEqual(expected.slice(at, at + 3));
    expect.fail(`event ${at} differs: ${JSON.stringify(actual[at])} vs ${JSON.stringify(expected[at])}`);
  }
  expect(actual.length, "event count").toBe(expected.length);
}

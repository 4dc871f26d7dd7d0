// The live socket's lifecycle with a fake browser: address and subprotocols, hello → live,
// ping and dead connections, full-jitter reconnects, online/offline, 4401 and stop.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LIVE_CLOSE_UNAUTHORIZED, LIVE_PING, LIVE_PONG, type LiveMessage } from "../../shared/wire.ts";
import { fullJitterDelay } from "../../app/src/live/backoff.ts";
import { LIVE_PING_MS, LIVE_PONG_TIMEOUT_MS, LIVE_STABLE_MS, liveUrl, startLiveConnection, type LiveEnv, type LiveSocket, type LiveState } from "../../app/src/live/live-connection.ts";
import { parseLiveFrame } from "../../app/src/live/live-messages.ts";

class FakeSocket implements LiveSocket {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  sent: string[] = [];
  closedWith: number | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code = 1000): void {
    this.closedWith = code;
  }
  // what the server side does
  open(): void {
    this.onopen?.(new Event("open"));
  }
  receive(data: string | LiveMessage): void {
    this.onmessage?.({ data: typeof data === "string" ? data : JSON.stringify(data) } as MessageEvent);
  }
  drop(code = 1006): void {
    this.onclose?.({ code, reason: "" } as CloseEvent);
  }
}

function fakeEnv() {
  let online = true;
  let listener: ((e: "online" | "offline") => void) | null = null;
  const sockets: FakeSocket[] = [];
  const env: LiveEnv = {
    online: () => online,
    subscribe(l) {
      listener = l;
      return () => (listener = null);
    },
    connect(url, protocols) {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    now: () => Date.now(),
  };
  return {
    env,
    sockets,
    last: () => sockets.at(-1)!,
    setOnline(value: boolean) {
      online = value;
      listener?.(value ? "online" : "offline");
    },
    subscribed: () => listener !== null,
  };
}

const WS = { id: "ws_a", apiBase: "https://edge.example.com", key: "tly_r_secret" };
const hello: LiveMessage = { type: "hello", workspace: "ws_a", last_seq: 3 };

describe("liveUrl", () => {
  it.each([
    ["http://localhost:8787", "ws://localhost:8787/api/v1/workspaces/ws_a/live"],
    ["https://edge.example.com/", "wss://edge.example.com/api/v1/workspaces/ws_a/live"],
    ["https://example.com/tally", "wss://example.com/tally/api/v1/workspaces/ws_a/live"],
  ])("%s → %s", (base, url) => expect(liveUrl(base, "ws_a")).toBe(url));
});

describe("fullJitterDelay", () => {
  it("picks uniformly below the doubling ceiling, capped at 30 s", () => {
    expect([1, 2, 3, 4].map((n) => fullJitterDelay(n, () => 0.999))).toEqual([499, 999, 1998, 3996]);
    expect(fullJitterDelay(20, () => 0.999)).toBe(29_970);
    expect(fullJitterDelay(20, () => 0)).toBe(0);
  });
});

describe("parseLiveFrame", () => {
  it("takes the known kinds and drops pongs, garbage and kinds it does not know", () => {
    expect(parseLiveFrame(JSON.stringify(hello))).toEqual(hello);
    expect(parseLiveFrame(LIVE_PONG)).toBeNull();
    expect(parseLiveFrame("{")).toBeNull();
    expect(parseLiveFrame(JSON.stringify({ type: "presence", workspace: "ws_a" }))).toBeNull();
    expect(parseLiveFrame(JSON.stringify({ type: "events", workspace: "ws_a", prev_seq: 0, first_seq: 1, last_seq: 1, events: [{ seq: 1 }] }))).toBeNull();
  });
});

describe("startLiveConnection", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function start(fake = fakeEnv(), random = () => 0.5) {
    const states: LiveState[] = [];
    const messages: LiveMessage[] = [];
    const conn = startLiveConnection({ workspace: WS, env: fake.env, random, onMessage: (m) => messages.push(m), onState: (s) => states.push(s) });
    return { fake, conn, states, messages };
  }

  it("connects with the protocol and the token as subprotocols, and is live once hello arrives", () => {
    const { fake, conn, states, messages } = start();
    expect(fake.sockets).toHaveLength(1);
    expect(fake.last().url).toBe("wss://edge.example.com/api/v1/workspaces/ws_a/live");
    expect(fake.last().protocols).toEqual(["tally.v1", "tally.token.tly_r_secret"]);
    expect(states).toEqual(["connecting"]);
    fake.last().open();
    expect(conn.state).toBe("connecting");
    fake.last().receive(hello);
    expect(states).toEqual(["connecting", "live"]);
    expect(messages).toEqual([hello]);
  });

  it("pings after a quiet spell and drops a connection that stays silent, then reconnects", () => {
    const { fake, states } = start();
    const first = fake.last();
    first.open();
    first.receive(hello);
    vi.advanceTimersByTime(LIVE_PING_MS - 1);
    expect(first.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(first.sent).toEqual([LIVE_PING]);
    // a pong resets the clock
    first.receive(LIVE_PONG);
    vi.advanceTimersByTime(LIVE_PONG_TIMEOUT_MS);
    expect(first.closedWith).toBeNull();
    vi.advanceTimersByTime(LIVE_PING_MS - LIVE_PONG_TIMEOUT_MS);
    expect(first.sent).toEqual([LIVE_PING, LIVE_PING]);
    // now silence: dead after the timeout, closed without waiting for its handshake
    vi.advanceTimersByTime(LIVE_PONG_TIMEOUT_MS);
    expect(first.closedWith).toBe(1000);
    expect(states.at(-1)).toBe("connecting");
    vi.advanceTimersByTime(fullJitterDelay(1, () => 0.5));
    expect(fake.sockets).toHaveLength(2);
  });

  it("backs off with full jitter, doubling per failed attempt, and starts over after a stable connection", () => {
    const { fake } = start(fakeEnv(), () => 0.999);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      fake.last().drop();
      const before = fake.sockets.length;
      const delay = fullJitterDelay(attempt, () => 0.999);
      vi.advanceTimersByTime(delay - 1);
      expect(fake.sockets.length, `attempt ${attempt} waits`).toBe(before);
      vi.advanceTimersByTime(1);
      expect(fake.sockets.length, `attempt ${attempt} reconnects`).toBe(before + 1);
      delays.push(delay);
    }
    expect(delays).toEqual([499, 999, 1998, 3996]);
    // stable for a while: the next drop retries from the smallest delay
    fake.last().open();
    fake.last().receive(hello);
    vi.advanceTimersByTime(LIVE_STABLE_MS);
    fake.last().receive(LIVE_PONG);
    fake.last().drop();
    const n = fake.sockets.length;
    vi.advanceTimersByTime(499);
    expect(fake.sockets.length).toBe(n + 1);
  });

  it("goes offline with the browser, without retrying, and reconnects at once when it is back", () => {
    const { fake, states } = start();
    fake.last().open();
    fake.last().receive(hello);
    fake.setOnline(false);
    expect(fake.last().closedWith).toBe(1000);
    expect(states.at(-1)).toBe("offline");
    vi.advanceTimersByTime(120_000);
    expect(fake.sockets).toHaveLength(1);
    fake.setOnline(true);
    expect(fake.sockets).toHaveLength(2);
    expect(states.at(-1)).toBe("connecting");
  });

  it("reconnects at once on `online` while waiting out a backoff", () => {
    const { fake } = start(fakeEnv(), () => 0.999);
    for (let i = 0; i < 5; i++) {
      fake.last().drop();
      vi.advanceTimersByTime(30_000);
    }
    const n = fake.sockets.length;
    fake.last().drop();
    fake.setOnline(true);
    expect(fake.sockets.length).toBe(n + 1);
  });

  it("does not connect while the browser is offline", () => {
    const fake = fakeEnv();
    fake.setOnline(false);
    const { states } = start(fake);
    expect(fake.sockets).toHaveLength(0);
    expect(states).toEqual(["connecting", "offline"]);
  });

  it("stops for good on 4401 and shows the link revoked", () => {
    const { fake, states, conn } = start();
    fake.last().open();
    fake.last().receive(hello);
    fake.last().drop(LIVE_CLOSE_UNAUTHORIZED);
    expect(conn.state).toBe("revoked");
    expect(states.at(-1)).toBe("revoked");
    vi.advanceTimersByTime(120_000);
    fake.setOnline(true);
    expect(fake.sockets).toHaveLength(1);
    expect(fake.subscribed()).toBe(false);
  });

  it("revoke() closes and stays revoked; stop() closes, unsubscribes and reports nothing more", () => {
    const a = start();
    a.fake.last().open();
    a.conn.revoke();
    expect(a.fake.last().closedWith).toBe(1000);
    expect(a.states.at(-1)).toBe("revoked");

    const b = start();
    b.fake.last().open();
    b.fake.last().receive(hello);
    b.conn.stop();
    expect(b.fake.last().closedWith).toBe(1000);
    expect(b.fake.subscribed()).toBe(false);
    b.fake.last().drop();
    vi.advanceTimersByTime(120_000);
    expect(b.fake.sockets).toHaveLength(1);
    expect(b.states).toEqual(["connecting", "live"]);
  });
});

/**
 * The live WebSocket of one open workspace: connected while the browser is
 * online, the read token offered as a subprotocol (browsers cannot set
 * headers on a WebSocket), a ping to find dead connections, and reconnects
 * with full-jitter backoff, at once when the browser comes back online. It
 * stops for good on 4401 (the token was revoked or expired) and on `stop()`.
 * Messages go to `onMessage` in arrival order; applying them is live-apply.ts.
 */
import { LIVE_CLOSE_UNAUTHORIZED, LIVE_PING, LIVE_PROTOCOL, LIVE_TOKEN_PROTOCOL_PREFIX, type LiveMessage } from "../../../shared/wire.ts";
import type { KnownWorkspace } from "../data/api.ts";
import { fullJitterDelay } from "./backoff.ts";
import { parseLiveFrame } from "./live-messages.ts";

/** What the live indicator shows. */
export type LiveState = "connecting" | "live" | "offline" | "revoked";

/** The part of a WebSocket used here; tests pass a fake. */
export interface LiveSocket {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** The browser around the socket; tests pass a fake. */
export interface LiveEnv {
  online(): boolean;
  /** Calls `listener` on `online` and `offline` events; returns an unsubscribe. */
  subscribe(listener: (event: "online" | "offline") => void): () => void;
  connect(url: string, protocols: string[]): LiveSocket;
  now(): number;
}

export interface LiveConnectionOptions {
  workspace: Pick<KnownWorkspace, "id" | "apiBase" | "key">;
  onMessage(message: LiveMessage): void;
  onState?(state: LiveState): void;
  env?: LiveEnv;
  /** For jitter; default Math.random. */
  random?: () => number;
}

export interface LiveConnection {
  readonly state: LiveState;
  /** The link no longer gives access (the pull was refused): close and stay revoked. */
  revoke(): void;
  /** Closes the socket and stops every timer and listener; no more callbacks. */
  stop(): void;
}

/** A ping goes out this long after the last frame heard… */
export const LIVE_PING_MS = 25_000;
/** …and a connection that stays silent this long after it is taken for dead. */
export const LIVE_PONG_TIMEOUT_MS = 10_000;
/** A connection open this long counts as stable: the next reconnect starts from the smallest delay again. */
export const LIVE_STABLE_MS = 10_000;

/** The socket address of a workspace's live updates on the edge at `apiBase` (http→ws, https→wss). */
export function liveUrl(apiBase: string, workspaceId: string): string {
  const url = new URL(apiBase);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/v1/workspaces/${encodeURIComponent(workspaceId)}/live`;
  url.search = "";
  url.hash = "";
  return url.href;
}

/** `online`/`offline` events from window, sockets from the WebSocket constructor. */
export function browserLiveEnv(): LiveEnv {
  return {
    online: () => navigator.onLine !== false,
    subscribe(listener) {
      const onOnline = (): void => listener("online");
      const onOffline = (): void => listener("offline");
      window.addEventListener("online", onOnline);
      window.addEventListener("offline", onOffline);
      return () => {
        window.removeEventListener("online", onOnline);
        window.removeEventListener("offline", onOffline);
      };
    },
    connect: (url, protocols) => new WebSocket(url, protocols),
    now: () => Date.now(),
  };
}

/** Connects `workspace`'s live socket (when online) and keeps it connected until `stop()`. */
export function startLiveConnection(options: LiveConnectionOptions): LiveConnection {
  const env = options.env ?? browserLiveEnv();
  const random = options.random ?? Math.random;
  const url = liveUrl(options.workspace.apiBase, options.workspace.id);
  const protocols = [LIVE_PROTOCOL, `${LIVE_TOKEN_PROTOCOL_PREFIX}${options.workspace.key}`];
  let state: LiveState = "connecting";
  let socket: LiveSocket | null = null;
  let openedAt: number | null = null;
  let attempts = 0;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: LiveState): void => {
    if (next === state) return;
    state = next;
    if (!stopped) options.onState?.(next);
  };

  // silence is measured from the last frame heard: a ping after LIVE_PING_MS, then dead after the timeout
  const heard = (): void => {
    clearTimeout(pingTimer);
    pingTimer = setTimeout(() => {
      try {
        socket?.send(LIVE_PING);
      } catch {
        // closing already: its close event follows
      }
      pingTimer = setTimeout(() => dropped(true), LIVE_PONG_TIMEOUT_MS);
    }, LIVE_PING_MS);
  };

  // forgets the current socket without waiting for its close handshake, which a dead network never finishes
  const detach = (): void => {
    clearTimeout(pingTimer);
    const s = socket;
    socket = null;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    try {
      s.close(1000, "closed by the app");
    } catch {
      // already closed
    }
  };

  const connect = (): void => {
    clearTimeout(retryTimer);
    if (stopped) return;
    if (!env.online()) return setState("offline");
    detach();
    setState("connecting");
    let s: LiveSocket;
    try {
      s = env.connect(url, protocols);
    } catch (err) {
      // a malformed address or token: only a new link fixes it, so say so loudly; retrying costs little
      console.error("Tally: could not open the live connection", err);
      return scheduleRetry();
    }
    socket = s;
    openedAt = null;
    s.onopen = () => {
      openedAt = env.now();
      heard();
    };
    s.onmessage = (event) => {
      heard();
      const message = parseLiveFrame(event.data);
      if (!message) return;
      // the hub sends hello first: from then on, everything committed reaches us
      if (message.type === "hello") setState("live");
      options.onMessage(message);
    };
    s.onclose = (event) => {
      if (event.code === LIVE_CLOSE_UNAUTHORIZED) {
        detach();
        setState("revoked");
        return end();
      }
      dropped(false);
    };
    // an error is always followed by a close event, which decides what happens next
    s.onerror = () => undefined;
  };

  // the connection ended without a 4401: reconnect, or wait for the browser to come online
  const dropped = (silent: boolean): void => {
    const stable = openedAt !== null && env.now() - openedAt >= LIVE_STABLE_MS && !silent;
    detach();
    if (stopped) return;
    if (stable) attempts = 0;
    if (!env.online()) return setState("offline");
    setState("connecting");
    scheduleRetry();
  };

  const scheduleRetry = (): void => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, fullJitterDelay(++attempts, random));
  };

  const unsubscribe = env.subscribe((event) => {
    if (stopped) return;
    if (event === "offline") {
      // the socket may linger half-open for minutes; the pull loop shows what is stored meanwhile
      clearTimeout(retryTimer);
      detach();
      setState("offline");
    } else if (socket === null) {
      attempts = 0;
      connect();
    }
  });

  const end = (): void => {
    stopped = true;
    clearTimeout(retryTimer);
    detach();
    unsubscribe();
  };

  // the first state is reported too, so the indicator never guesses; connect() reports changes from it
  options.onState?.(state);
  connect();

  return {
    get state() {
      return state;
    },
    revoke() {
      if (stopped) return;
      detach();
      setState("revoked");
      end();
    },
    stop: end,
  };
}

/**
 * The live hub: one Durable Object per workspace that fans committed events
 * out to the workspace's WebSockets. It uses the hibernation API, so it holds
 * no state in memory: the sockets (`getWebSockets()`) are the subscriber list,
 * and each carries its token as a tag and an attachment, which survive
 * hibernation and restarts. Messages are serialised here, once for all
 * sockets, and not at all when nobody listens. Being the one place per
 * workspace, it also runs the workspace's alert evaluations and webhooks
 * (worker/alerts/runner.ts), one at a time, from its alarm.
 */
import { DurableObject } from "cloudflare:workers";
import type { StoredEvent } from "../shared/event.ts";
import {
  LIVE_CLOSE_UNAUTHORIZED,
  LIVE_PING,
  LIVE_PONG,
  LIVE_PROTOCOL,
  type LiveAlertMessage,
  type LiveEventsMessage,
  type LiveHelloMessage,
  type LiveMessage,
  type TokenKind,
} from "../shared/wire.ts";
import { lastSeq, type InsertedEvents } from "./db/events.ts";
import { findToken } from "./db/tokens.ts";
import { AlertRunner } from "./alerts/runner.ts";

/** Live messages above this many bytes of JSON are split into several. */
export const LIVE_MESSAGE_BYTES = 256 * 1024;

/** Header that carries a {@link LiveGrant} from the live route to the hub. */
export const GRANT_HEADER = "X-Tally-Live-Grant";

/** What the live route checked about a connecting token: all the hub needs, never the secret. */
export interface LiveGrant {
  workspace: string;
  tokenId: string;
  kind: TokenKind;
  /** Epoch ms, or null for a token that does not expire. */
  expiresAt: number | null;
  /** The subprotocol to answer with, when the client offered it. */
  protocol: typeof LIVE_PROTOCOL | null;
}

/** Kept on each socket (serializeAttachment), so it outlives hibernation. */
export interface SocketAttachment {
  tokenId: string;
  kind: TokenKind;
  expiresAt: number | null;
}

/** The hub of a workspace. */
export function liveHub(env: Env, workspaceId: string): DurableObjectStub<LiveHub> {
  return env.LIVE.get(env.LIVE.idFromName(workspaceId));
}

function utf8Bytes(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // surrogate halves count 2 each: 4 bytes a pair
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}

/**
 * A committed batch as `events` messages of at most `maxBytes` of JSON each
 * (one event larger than that still gets a message of its own). Each message
 * covers a contiguous run and follows on from the one before: its `prev_seq`
 * is the previous message's `last_seq`.
 */
export function eventsMessages(workspace: string, prevSeq: number, events: StoredEvent[], maxBytes = LIVE_MESSAGE_BYTES): LiveEventsMessage[] {
  // the envelope's size without its three seqs' digits, which are added per message
  const empty = { type: "events", workspace, prev_seq: 0, first_seq: 0, last_seq: 0, events: [] } satisfies LiveEventsMessage;
  const envelope = utf8Bytes(JSON.stringify(empty)) - 3;
  const digits = (n: number) => String(n).length;
  const messages: LiveEventsMessage[] = [];
  let from = 0;
  let bytes = 0; // the events of the message being filled, with their commas
  const prev = () => (from === 0 ? prevSeq : events[from - 1]!.seq);
  const cut = (to: number) => {
    const part = events.slice(from, to);
    messages.push({ type: "events", workspace, prev_seq: prev(), first_seq: part[0]!.seq, last_seq: part.at(-1)!.seq, events: part } satisfies LiveEventsMessage);
  };
  for (let i = 0; i < events.length; i++) {
    const size = utf8Bytes(JSON.stringify(events[i])) + (i > from ? 1 : 0);
    const total = envelope + digits(prev()) + digits(events[from]!.seq) + digits(events[i]!.seq) + bytes + size;
    if (i > from && total > maxBytes) {
      cut(i);
      from = i;
      bytes = size - 1;
    } else {
      bytes += size;
    }
  }
  if (events.length > from) cut(events.length);
  return messages;
}

/**
 * Tells the workspace's hub about a committed batch. For `ctx.waitUntil`:
 * it never throws, since live delivery is best effort (clients repair gaps by
 * pulling) and must never fail an ingest.
 */
export async function publishInserted(env: Env, workspace: string, inserted: InsertedEvents): Promise<void> {
  const { prevSeq, events } = inserted;
  if (events.length === 0) return;
  try {
    await liveHub(env, workspace).publish({
      type: "events",
      workspace,
      prev_seq: prevSeq,
      first_seq: events[0]!.seq,
      last_seq: events.at(-1)!.seq,
      events,
    } satisfies LiveEventsMessage);
  } catch (e) {
    console.error("live: publishing to the hub failed", e);
  }
}

function attachmentOf(ws: WebSocket): SocketAttachment | null {
  return ws.deserializeAttachment() as SocketAttachment | null;
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // already closed or closing
  }
}

export class LiveHub extends DurableObject<Env> {
  private readonly alerts: AlertRunner;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // answered by the runtime, even while the hub hibernates
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(LIVE_PING, LIVE_PONG));
    this.alerts = new AlertRunner({
      storage: ctx.storage,
      db: env.DB,
      publish: (workspace, alert) => this.publishAlert({ type: "alert", workspace, alert } satisfies LiveAlertMessage),
      wakeAt: (time) => this.wakeAt(time),
    });
  }

  /** Accepts a socket the live route authenticated; the grant travels in {@link GRANT_HEADER}. */
  override async fetch(request: Request): Promise<Response> {
    const grant = JSON.parse(request.headers.get(GRANT_HEADER) ?? "null") as LiveGrant | null;
    if (!grant || request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("the live hub takes WebSocket upgrades from the live route only", { status: 400 });
    }
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    // nothing is published while this runs: a batch committed after the seq is read
    // reaches the new socket, one committed before is in its hello
    await this.ctx.blockConcurrencyWhile(async () => {
      this.ctx.acceptWebSocket(server, [grant.tokenId]);
      server.serializeAttachment({ tokenId: grant.tokenId, kind: grant.kind, expiresAt: grant.expiresAt } satisfies SocketAttachment);
      try {
        const [seq, token] = await Promise.all([lastSeq(this.env.DB, grant.workspace), findToken(this.env.DB, grant.workspace, grant.tokenId)]);
        // the token may have been revoked between the route's check and now, when no socket carried it yet
        if (!token || token.revoked_at !== null) return closeQuietly(server, LIVE_CLOSE_UNAUTHORIZED, "token revoked");
        if (token.expires_at !== null && token.expires_at <= Date.now()) return closeQuietly(server, LIVE_CLOSE_UNAUTHORIZED, "token expired");
        this.send(server, { type: "hello", workspace: grant.workspace, last_seq: seq } satisfies LiveHelloMessage);
        if (grant.expiresAt !== null) await this.wakeAt(grant.expiresAt);
      } catch (e) {
        console.error("live: accepting a socket failed", e);
        closeQuietly(server, 1011, "try again");
      }
    });
    const headers = grant.protocol ? { "Sec-WebSocket-Protocol": grant.protocol } : undefined;
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /**
   * Sends a message to every connected socket whose token is still live, as
   * several messages if its JSON passes {@link LIVE_MESSAGE_BYTES}; returns
   * how many sockets got it. With nobody listening it costs nothing more.
   * Then asks for the workspace's alerts to be evaluated, if it has rules.
   */
  async publish(message: LiveEventsMessage): Promise<number> {
    const now = Date.now();
    const live = this.liveSockets(now);
    let sent = 0;
    if (live.length > 0) {
      const whole = JSON.stringify(message);
      // a UTF-16 unit is 1 to 3 UTF-8 bytes: count them only when the length leaves it open
      const fits = whole.length * 3 <= LIVE_MESSAGE_BYTES || (whole.length <= LIVE_MESSAGE_BYTES && utf8Bytes(whole) <= LIVE_MESSAGE_BYTES);
      const texts = fits ? [whole] : eventsMessages(message.workspace, message.prev_seq, message.events).map((m) => JSON.stringify(m));
      for (const ws of live) if (texts.every((text) => this.sendText(ws, text))) sent++;
    }
    try {
      await this.alerts.eventsCommitted(message.workspace, now);
    } catch (e) {
      // alerts are looked at again on the next batch; live delivery is done
      console.error("alerts: scheduling an evaluation failed", e);
    }
    return sent;
  }

  /** Sends an alert that fired or resolved to every live socket; returns how many got it. */
  publishAlert(message: LiveAlertMessage): number {
    const text = JSON.stringify(message);
    let sent = 0;
    for (const ws of this.liveSockets(Date.now())) if (this.sendText(ws, text)) sent++;
    return sent;
  }

  /** The workspace's alert rules changed, or the hourly job looks in: evaluate and post due webhooks now. */
  async checkAlerts(workspace: string): Promise<void> {
    await this.alerts.evaluateSoon(workspace, Date.now());
  }

  /** Closes every socket of a token at once; returns how many were open. */
  revoke(tokenId: string): number {
    const sockets = this.ctx.getWebSockets(tokenId);
    for (const ws of sockets) closeQuietly(ws, LIVE_CLOSE_UNAUTHORIZED, "token revoked");
    return sockets.length;
  }

  /**
   * Runs at the earliest token expiry or when alerts want it: closes expired
   * sockets, lets the alerts do what is due, and waits for what comes next.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next: number | null = null;
    for (const ws of this.ctx.getWebSockets()) {
      const expiresAt = attachmentOf(ws)?.expiresAt ?? null;
      if (expiresAt === null) continue;
      if (expiresAt <= now) closeQuietly(ws, LIVE_CLOSE_UNAUTHORIZED, "token expired");
      else next = next === null ? expiresAt : Math.min(next, expiresAt);
    }
    const alerts = await this.alerts.onAlarm(now);
    if (alerts !== null) next = next === null ? alerts : Math.min(next, alerts);
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    // the auto-response answers pings; this only runs if it was not set up yet
    if (message === LIVE_PING) this.sendText(ws, LIVE_PONG);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    // complete the closing handshake (a no-op where the runtime already replied);
    // reserved codes such as 1005 and 1006 may not be sent back
    const echo = code === 1000 || (code >= 3000 && code <= 4999);
    closeQuietly(ws, echo ? code : 1000, echo ? reason : "");
  }

  override webSocketError(ws: WebSocket): void {
    closeQuietly(ws, 1011, "socket error");
  }

  /** Sockets whose token is still live; those whose token expired are closed. */
  private liveSockets(now: number): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => {
      const expiresAt = attachmentOf(ws)?.expiresAt ?? null;
      if (expiresAt === null || expiresAt > now) return true;
      closeQuietly(ws, LIVE_CLOSE_UNAUTHORIZED, "token expired");
      return false;
    });
  }

  private async wakeAt(time: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || time < current) await this.ctx.storage.setAlarm(time);
  }

  private send(ws: WebSocket, message: LiveMessage): boolean {
    return this.sendText(ws, JSON.stringify(message));
  }

  private sendText(ws: WebSocket, text: string): boolean {
    try {
      ws.send(text);
      return true;
    } catch {
      // closing or closed: the runtime drops it from getWebSockets()
      return false;
    }
  }
}

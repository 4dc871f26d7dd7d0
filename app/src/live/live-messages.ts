/**
 * Frames from the live socket, checked like pull answers (sync/responses.ts):
 * only well-formed messages of the kinds this app knows reach the planner;
 * anything else (a newer kind, garbage) is dropped, as the contract asks.
 */
import * as z from "zod/mini";
import type { LiveMessage } from "../../../shared/wire.ts";
import { alertHistoryEntry, storedEvent } from "../sync/responses.ts";

const hello = z.object({ type: z.literal("hello"), workspace: z.string(), last_seq: z.number() });

const events = z.object({
  type: z.literal("events"),
  workspace: z.string(),
  prev_seq: z.number(),
  first_seq: z.number(),
  last_seq: z.number(),
  events: z.array(storedEvent),
});

const alert = z.object({ type: z.literal("alert"), workspace: z.string(), alert: alertHistoryEntry });

/** The live messages this app understands. */
export const liveMessage: z.ZodMiniType<LiveMessage> = z.discriminatedUnion("type", [hello, events, alert]);

/** The message a text frame holds, or null for anything else (pong, unknown kinds, malformed JSON). */
export function parseLiveFrame(data: unknown): LiveMessage | null {
  if (typeof data !== "string") return null;
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = liveMessage.safeParse(body);
  return parsed.success ? parsed.data : null;
}

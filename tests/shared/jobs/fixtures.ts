/** Small factories for hand-built jobs workspaces. */
import type { Props, StoredEvent } from "../../../shared/event.ts";

let seq = 0;

/** A job event at `ts` (ISO text or epoch ms); `name` is the job's name. */
export function job(ts: string | number, props: Props, name = "a job"): StoredEvent {
  const ms = typeof ts === "number" ? ts : Date.parse(ts);
  seq++;
  return { seq, id: `j${seq}`, ts: ms, received_at: ms, type: "job", name, props };
}

/** Any other event, which the jobs queries must not read. */
export function other(type: "request" | "track", ts: string, props: Props): StoredEvent {
  seq++;
  return { seq, id: `o${seq}`, ts: Date.parse(ts), received_at: Date.parse(ts), type, name: type, props };
}

export const DAY = 86_400_000;
